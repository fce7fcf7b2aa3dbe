import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { hardenContainer } from '../harden';
import { recommendedLabels } from '../_pod/labels';
import { NGINX_UNPRIVILEGED_ID } from './hardened-chart';
import { IMAGES } from './images';

/**
 * A user's nginx Deployment as a user writes it (cdk8s-plus), nginx-unprivileged on 8080 with
 * its pid and caches in an emptyDir at /tmp.
 */
export function nginxDeployment(scope: Construct, id: string, name: string): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, id, {
    metadata: { name, labels: recommendedLabels(scope, { name, component: 'web-server' }) },
    replicas: 2,
    containers: [{
      name: 'nginx',
      image: IMAGES.nginxUnprivileged,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ number: 8080, name: 'http' }],
      readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
      resources: {
        cpu: { request: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }],
  });
  deployment.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(scope, `${id}-tmp`, 'tmp', { sizeLimit: Size.mebibytes(64) }));
  hardenContainer(deployment, 'nginx', { runAsUser: NGINX_UNPRIVILEGED_ID, runAsGroup: NGINX_UNPRIVILEGED_ID });
  return deployment;
}
