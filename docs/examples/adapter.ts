import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { Adapter, hardenContainer } from '../../lib';

/** Redis with the Redis exporter next to it: Prometheus metrics on the named port `metrics`. */
export class CacheChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const redis = new kplus.Deployment(this, 'cache', {
      metadata: { name: 'cache' },
      containers: [{
        name: 'redis',
        image: 'redis:7.4.1-alpine',
        ports: [{ number: 6379, name: 'redis' }],
      }],
    });
    const data = kplus.Volume.fromEmptyDir(this, 'data', 'data', { sizeLimit: Size.mebibytes(256) });
    redis.containers[0].mount('/data', data);
    hardenContainer(redis, 'redis', { runAsUser: 999, runAsGroup: 999 }); // the image's redis user
    Adapter.redisExporter(this, 'metrics', { workload: redis });
  }
}
