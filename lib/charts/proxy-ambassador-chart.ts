import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { stoppableLoop } from './shell';
import { recommendedLabels } from '../_pod/labels';
import { hardenContainer } from '../harden';
import { HaproxyBalance, HaproxyMode, ProxyAmbassador, ProxyBackend } from '../proxy-ambassador';
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { TWEMPROXY_DOCKERFILE } from '../proxy-ambassador';

/** Images of the ambassador example's apps, pinned; each tag exists on Docker Hub. */
export const PROXY_EXAMPLE_IMAGES = {
  /** The Redis client of the cart worker (redis-cli), run as the image's `redis` user. */
  redis: 'redis:7.4.1-alpine',
  /** The HTTP client of the rates poller, run as the image's `curl_user`. */
  curl: 'curlimages/curl:8.11.1',
} as const;

/** uid/gid of the `redis` user of the official Redis images. */
export const REDIS_IMAGE_ID = 999;
/** uid of `curl_user` in curlimages/curl (its group is 101). */
export const CURL_IMAGE_UID = 100;
export const CURL_IMAGE_GID = 101;

/**
 * The Redis servers of the example, in the `cache` namespace: a primary and a standby, each behind
 * its own ClusterIP Service. The ambassador sends every connection to the first healthy one.
 *
 * The example uses HAProxy, whose official image exists at a pinned tag. twemproxy (key sharding
 * over several Redis servers) is supported by `ProxyBackend.twemproxy()` and tested against the real
 * program, but no trustworthy public twemproxy image exists: build {@link TWEMPROXY_DOCKERFILE}
 * and pass your image, so it is not part of the example's dist/.
 */
export const EXAMPLE_REDIS_SERVERS = [
  'redis-primary.cache.svc.cluster.local:6379',
  'redis-standby.cache.svc.cluster.local:6379',
];

/** The external HTTP API of the example. */
export const EXAMPLE_API_HOST = 'rates.api.example.com';

/** The cart worker's loop: count an event in Redis through the ambassador every 5 s; stops at once on SIGTERM. */
export const CART_WORKER_SCRIPT = stoppableLoop('redis-cli -u "redis://$REDIS_ADDR" INCR "cart:events:$(date +%Y%m%d%H)" >/dev/null || echo "redis via ambassador unavailable"', 5);
/** The rates poller's loop: GET the rates through the ambassador every 60 s; stops at once on SIGTERM. */
export const RATES_POLLER_SCRIPT = stoppableLoop('curl -fsS --max-time 10 "http://$RATES_API_ADDR/v1/rates?base=EUR" || echo "rates API via ambassador unavailable"', 60);

/**
 * The ambassador pattern as a user writes it:
 *
 * - `cart-worker`: a worker that counts cart events in Redis. It talks to `$REDIS_ADDR`
 *   (127.0.0.1:6379); an HAProxy ambassador in TCP mode forwards to the primary Redis and fails
 *   over to the standby when the primary's health check fails (`balance first`).
 * - `rates-poller`: a poller of an external HTTP API. It calls `http://$RATES_API_ADDR`
 *   (127.0.0.1:8080) in plain HTTP; an HAProxy ambassador speaks TLS to the API (verified against
 *   the system CAs and the API's name), sets the Host header, health-checks `/v1/health` and
 *   re-resolves the API's name every 10 s (its addresses rotate).
 *
 * Both apps run as their images' non-root users with the restricted Pod Security settings.
 */
export class ProxyAmbassadorChart extends Chart {
  public readonly cartWorker: kplus.Deployment;
  public readonly cache: ProxyAmbassador;
  public readonly ratesPoller: kplus.Deployment;
  public readonly api: ProxyAmbassador;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    this.cartWorker = new kplus.Deployment(this, 'cart-worker', {
      metadata: { name: 'cart-worker', labels: recommendedLabels(this, { name: 'cart-worker', component: 'worker' }) },
      replicas: 2,
      containers: [{
        name: 'worker',
        image: PROXY_EXAMPLE_IMAGES.redis,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/bin/sh', '-c'],
        args: [CART_WORKER_SCRIPT],
        resources: appResources(),
      }],
    });
    hardenContainer(this.cartWorker, 'worker', { runAsUser: REDIS_IMAGE_ID, runAsGroup: REDIS_IMAGE_ID });
    this.cache = new ProxyAmbassador(this, 'cache', {
      workload: this.cartWorker,
      backend: ProxyBackend.haproxy({
        mode: HaproxyMode.TCP,
        balance: HaproxyBalance.FIRST,
        resolveAtRuntime: true,
        connectTimeout: Duration.seconds(2),
      }),
      listenPort: 6379,
      envVar: 'REDIS_ADDR',
      upstreams: EXAMPLE_REDIS_SERVERS,
    });

    this.ratesPoller = new kplus.Deployment(this, 'rates-poller', {
      metadata: { name: 'rates-poller', labels: recommendedLabels(this, { name: 'rates-poller', component: 'worker' }) },
      replicas: 1,
      containers: [{
        name: 'poller',
        image: PROXY_EXAMPLE_IMAGES.curl,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/bin/sh', '-c'],
        args: [RATES_POLLER_SCRIPT],
        resources: appResources(),
      }],
    });
    hardenContainer(this.ratesPoller, 'poller', { runAsUser: CURL_IMAGE_UID, runAsGroup: CURL_IMAGE_GID });
    this.api = new ProxyAmbassador(this, 'rates-api', {
      workload: this.ratesPoller,
      backend: ProxyBackend.haproxy({
        mode: HaproxyMode.HTTP,
        upstreamTls: true,
        resolveAtRuntime: true,
        hostHeader: EXAMPLE_API_HOST,
        healthCheckPath: '/v1/health',
        connectTimeout: Duration.seconds(3),
        serverTimeout: Duration.seconds(15),
      }),
      listenPort: 8080,
      envVar: 'RATES_API_ADDR',
      upstreams: [`${EXAMPLE_API_HOST}:443`],
    });
  }
}

function appResources(): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(10) },
    memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
  };
}

