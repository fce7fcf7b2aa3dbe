import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { ProxyAmbassador, ProxyKind, TWEMPROXY_DOCKERFILE } from '../proxy-ambassador';
import { addPodSpecTransform, sortKeys } from '../_pod/render';
import { containerSecurityContext, Hardening, podSecurityContext } from '../_pod/security';

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
 * The twemproxy image of the example. No trustworthy public twemproxy image exists (see
 * {@link TWEMPROXY_DOCKERFILE}): build that Dockerfile, push it to your registry and pass its
 * pinned reference as `twemproxyImage`. This default names a registry you must replace.
 */
export const EXAMPLE_TWEMPROXY_IMAGE = 'registry.example.com/platform/twemproxy:0.5.0-debian12';

/**
 * The Redis shards of the example's cache cluster, in the `cache` namespace: one ClusterIP Service
 * per shard, so each keeps its address when its pod is replaced (twemproxy resolves names once).
 */
export const EXAMPLE_REDIS_SHARDS = [
  'redis-shard-0.cache.svc.cluster.local:6379',
  'redis-shard-1.cache.svc.cluster.local:6379',
  'redis-shard-2.cache.svc.cluster.local:6379',
];

/** The external HTTP API of the example. */
export const EXAMPLE_API_HOST = 'rates.api.example.com';

/** Props of the {@link ProxyAmbassadorChart}. */
export interface ProxyAmbassadorChartProps extends ChartProps {
  /**
   * The twemproxy image, built from {@link TWEMPROXY_DOCKERFILE}.
   * @default EXAMPLE_TWEMPROXY_IMAGE (a placeholder registry)
   */
  readonly twemproxyImage?: string;
}

/**
 * The ambassador pattern as a user writes it:
 *
 * - `cart-worker`: a worker that counts cart events in a sharded Redis. It talks to
 *   `$REDIS_ADDR` (127.0.0.1:6379); a twemproxy ambassador shards its keys over three Redis
 *   servers of the cache cluster by consistent hashing.
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

  constructor(scope: Construct, id: string, props: ProxyAmbassadorChartProps = {}) {
    super(scope, id, props);

    this.cartWorker = new kplus.Deployment(this, 'cart-worker', {
      metadata: { name: 'cart-worker' },
      replicas: 2,
      containers: [{
        name: 'worker',
        image: PROXY_EXAMPLE_IMAGES.redis,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/bin/sh', '-c'],
        args: ['while true; do redis-cli -u "redis://$REDIS_ADDR" INCR "cart:events:$(date +%Y%m%d%H)" >/dev/null || echo "redis via ambassador unavailable"; sleep 5; done'],
        resources: appResources(),
      }],
    });
    hardenForRestricted(this.cartWorker, 'worker', REDIS_IMAGE_ID, REDIS_IMAGE_ID);
    this.cache = new ProxyAmbassador(this, 'cache', {
      workload: this.cartWorker,
      kind: ProxyKind.TWEMPROXY,
      image: props.twemproxyImage ?? EXAMPLE_TWEMPROXY_IMAGE,
      upstreams: EXAMPLE_REDIS_SHARDS,
      autoEjectHosts: true,
      serverRetryTimeoutMs: 2000,
      serverFailureLimit: 1,
      timeoutMs: 400,
    });

    this.ratesPoller = new kplus.Deployment(this, 'rates-poller', {
      metadata: { name: 'rates-poller' },
      replicas: 1,
      containers: [{
        name: 'poller',
        image: PROXY_EXAMPLE_IMAGES.curl,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/bin/sh', '-c'],
        args: ['while true; do curl -fsS --max-time 10 "http://$RATES_API_ADDR/v1/rates?base=EUR" || echo "rates API via ambassador unavailable"; sleep 60; done'],
        resources: appResources(),
      }],
    });
    hardenForRestricted(this.ratesPoller, 'poller', CURL_IMAGE_UID, CURL_IMAGE_GID);
    this.api = new ProxyAmbassador(this, 'rates-api', {
      workload: this.ratesPoller,
      kind: ProxyKind.HAPROXY,
      mode: 'http',
      listenPort: 8080,
      envVar: 'RATES_API_ADDR',
      upstreams: [`${EXAMPLE_API_HOST}:443`],
      upstreamTls: true,
      resolveAtRuntime: true,
      hostHeader: EXAMPLE_API_HOST,
      healthCheckPath: '/v1/health',
      connectTimeoutMs: 3000,
      serverTimeoutMs: 15000,
    });
  }
}

function appResources(): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(10) },
    memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
  };
}

/**
 * Gives the user's app container and its pod the restricted security context cdk8s-plus-27
 * cannot express (capabilities dropped without the `CAP_` prefix, seccomp RuntimeDefault).
 */
function hardenForRestricted(workload: kplus.AbstractPod, containerName: string, uid: number, gid: number): void {
  const pod = podSecurityContext(Hardening.RESTRICTED, { runAsUser: uid, runAsGroup: gid });
  const container = containerSecurityContext(Hardening.RESTRICTED, {}, { runAsUser: uid, runAsGroup: gid });
  addPodSpecTransform(workload, (spec) => {
    spec.securityContext = sortKeys(pod);
    for (const c of spec.containers ?? []) {
      if (c.name === containerName) c.securityContext = sortKeys(container);
    }
  });
}
