import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { recommendedLabels } from '../_pod/labels';
import { DebugSidecar } from '../debug-sidecar';
import { DEFAULT_NON_ROOT_ID } from '../_pod/security';
import { hardenContainer } from '../harden';

/** A tiny Go HTTP echo server in a `scratch` image: one binary, no shell, no tools. */
export const WHOAMI_IMAGE = 'traefik/whoami:v1.10.3';

/**
 * The debug sidecar pattern on a user's Deployment whose image has nothing but its binary: the pod
 * shares its process namespace and carries an interactive BusyBox container. Both run as the same
 * non-root user, so from `kubectl exec -it <pod> -c debug -- sh` one can `ps`, read
 * `/proc/<pid>/environ` and browse `/proc/<pid>/root` of the whoami process, all under the
 * restricted profile.
 */
export class DebugSidecarChart extends Chart {
  public readonly deployment: kplus.Deployment;
  public readonly debug: DebugSidecar;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.deployment = new kplus.Deployment(this, 'whoami', {
      metadata: { name: 'whoami-debug', labels: recommendedLabels(this, { name: 'whoami-debug', component: 'web-server' }) },
      replicas: 1,
      containers: [{
        name: 'whoami',
        image: WHOAMI_IMAGE,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: ['--port', '8080'],
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/health', { port: 8080 }),
        resources: {
          cpu: { request: kplus.Cpu.millis(10) },
          memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
        },
      }],
    });
    hardenContainer(this.deployment, 'whoami', { runAsUser: DEFAULT_NON_ROOT_ID, runAsGroup: DEFAULT_NON_ROOT_ID });
    this.debug = new DebugSidecar(this, 'debug', {
      workload: this.deployment,
      targetContainerName: 'whoami',
    });
  }
}
