import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { hardenContainer } from '../harden';
import { recommendedLabels } from '../_pod/labels';
import { POD_SECURITY_ANNOTATION } from '../_pod/security';
import { PodSecurityLevel } from '../_pod/pod-security';
import { stoppableLoop } from './shell';

/** The image of both halves of the pair: redis-server for the cache, redis-cli for the counter. */
export const ONE_POD_OR_TWO_IMAGE = 'redis:7.4.1-alpine';
/** uid/gid of the `redis` user of the official Redis images. */
export const REDIS_USER_ID = 999;
/** The port Redis listens on. */
export const CACHE_PORT = 6379;
/** The counter's loop: count an event in the cache every 5 s, at the address in `$REDIS_URL`; stops at once on SIGTERM. */
export const COUNTER_SCRIPT = stoppableLoop('redis-cli -u "$REDIS_URL" INCR counter:events >/dev/null || echo "cache unavailable"', 5);
/** redis-server's arguments: an in-memory cache (no snapshots, no append-only file). */
export const CACHE_ARGS: readonly string[] = ['--save', '', '--appendonly', 'no'];

/** Small explicit resources (cdk8s-plus would request 1 CPU and 512Mi per container). */
function resources(memoryMi: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(10) },
    memory: { request: Size.mebibytes(memoryMi / 2), limit: Size.mebibytes(memoryMi) },
  };
}

/**
 * Hardens the named containers of a workload (restricted Pod Security settings, the redis user)
 * and declares the profile its pods pass, as the patterns do, so that synth checks it and the
 * namespace can be labelled for it.
 */
function restricted(workload: kplus.Deployment, ...containers: string[]): void {
  for (const name of containers) hardenContainer(workload, name, { runAsUser: REDIS_USER_ID, runAsGroup: REDIS_USER_ID });
  workload.metadata.addAnnotation(POD_SECURITY_ANNOTATION, PodSecurityLevel.RESTRICTED);
}

/** The counter container: an app that makes a call to the cache every few seconds. */
function counterContainer(redisUrl: string): kplus.ContainerProps {
  return {
    name: 'counter',
    image: ONE_POD_OR_TWO_IMAGE,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: ['/bin/sh', '-c', COUNTER_SCRIPT],
    envVariables: { REDIS_URL: kplus.EnvValue.fromValue(redisUrl) },
    resources: resources(32),
  };
}

/** The cache container: redis-server on `bind`, port 6379, with an emptyDir as its working directory. */
function cacheContainer(bind: string): kplus.ContainerProps {
  return {
    name: 'cache',
    image: ONE_POD_OR_TWO_IMAGE,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: ['redis-server'],
    args: ['--bind', bind, ...CACHE_ARGS],
    ports: [{ number: CACHE_PORT, name: 'redis' }],
    resources: resources(64),
  };
}

/**
 * "One pod or two?" on one pair, both ways: a counter app that calls a Redis cache every few
 * seconds.
 *
 * - Two pods, colocated: Deployments `counter-colocated` and `cache-colocated`; the cache's pods
 *   are scheduled only onto nodes that run a counter pod (required pod affinity on the node's
 *   hostname: cdk8s-plus `scheduling.colocate`), and the counter reaches the cache through the
 *   Service `cache-colocated`. Each side scales, rolls out and restarts on its own.
 * - One pod: Deployment `counter-sidecar`, whose pods hold both containers; the counter calls
 *   the cache on 127.0.0.1:6379 (the pod's shared network namespace), the cache binds loopback
 *   only, and both live, scale and die together.
 *
 * Every container is hardened with `hardenContainer`, and each Deployment declares the
 * `restricted` Pod Security profile (annotation `pod-patterns.dev/pod-security`), which synth
 * checks.
 */
export class OnePodOrTwoChart extends Chart {
  /** Two pods: the counter. */
  public readonly counter: kplus.Deployment;
  /** Two pods: the cache, colocated with the counter's pods. */
  public readonly cache: kplus.Deployment;
  /** Two pods: the cache's Service, which the counter calls. */
  public readonly cacheService: kplus.Service;
  /** One pod: the counter with the cache as a sidecar. */
  public readonly counterWithSidecar: kplus.Deployment;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // Two pods on the same node: a close relationship.
    this.counter = new kplus.Deployment(this, 'counter', {
      metadata: { name: 'counter-colocated', labels: recommendedLabels(this, { name: 'counter-colocated', component: 'worker' }) },
      replicas: 1,
      containers: [counterContainer(`redis://cache-colocated:${CACHE_PORT}`)],
    });
    restricted(this.counter, 'counter');

    this.cache = new kplus.Deployment(this, 'cache', {
      metadata: { name: 'cache-colocated', labels: recommendedLabels(this, { name: 'cache-colocated', component: 'cache' }) },
      replicas: 1,
      containers: [cacheContainer('0.0.0.0')],
    });
    this.cache.containers[0].mount('/data', kplus.Volume.fromEmptyDir(this, 'cache-data', 'data', { sizeLimit: Size.mebibytes(64) }));
    restricted(this.cache, 'cache');
    this.cache.scheduling.colocate(this.counter);
    this.cacheService = new kplus.Service(this, 'cache-service', {
      metadata: { name: 'cache-colocated', labels: recommendedLabels(this, { name: 'cache-colocated', component: 'cache' }) },
      selector: this.cache,
      ports: [{ name: 'redis', port: CACHE_PORT, targetPort: CACHE_PORT }],
    });

    // One pod: a very close relationship (frequent calls over localhost).
    this.counterWithSidecar = new kplus.Deployment(this, 'counter-sidecar', {
      metadata: { name: 'counter-sidecar', labels: recommendedLabels(this, { name: 'counter-sidecar', component: 'worker' }) },
      replicas: 1,
      containers: [counterContainer(`redis://127.0.0.1:${CACHE_PORT}`), cacheContainer('127.0.0.1')],
    });
    this.counterWithSidecar.containers[1].mount('/data', kplus.Volume.fromEmptyDir(this, 'sidecar-data', 'data', { sizeLimit: Size.mebibytes(64) }));
    restricted(this.counterWithSidecar, 'counter', 'cache');
  }
}
