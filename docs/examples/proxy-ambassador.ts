import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { hardenContainer, HaproxyMode, ProxyAmbassador, ProxyBackend } from '../../lib';

/** A worker that talks to 127.0.0.1:6379; an HAProxy ambassador forwards to the real Redis. */
export class WorkerChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const worker = new kplus.Deployment(this, 'worker', {
      metadata: { name: 'worker' },
      containers: [{
        name: 'worker',
        image: 'redis:7.4.1-alpine',
        command: ['sh', '-c', 'while sleep 5; do redis-cli -u "redis://$REDIS_ADDR" INCR ticks; done'],
      }],
    });
    hardenContainer(worker, 'worker', { runAsUser: 999, runAsGroup: 999 }); // the image's redis user
    new ProxyAmbassador(this, 'redis', {
      workload: worker,
      // HAProxy in TCP mode, its default 5 s connect timeout spelled out
      backend: ProxyBackend.haproxy({ mode: HaproxyMode.TCP, connectTimeout: Duration.seconds(5) }),
      listenPort: 6379,
      envVar: 'REDIS_ADDR', // the worker gets REDIS_ADDR=127.0.0.1:6379
      upstreams: ['redis.cache.svc.cluster.local:6379'],
    });
  }
}
