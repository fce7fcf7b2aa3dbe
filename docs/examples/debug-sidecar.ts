import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { DebugSidecar, hardenContainer } from '../../lib';

/** An app image with no shell; a BusyBox sidecar in the same process namespace to look inside. */
export class EchoChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const echo = new kplus.Deployment(this, 'echo', {
      metadata: { name: 'echo' },
      containers: [{
        name: 'whoami',
        image: 'traefik/whoami:v1.10.3',
        args: ['--port', '8080'],
        ports: [{ number: 8080 }],
      }],
    });
    hardenContainer(echo, 'whoami');
    new DebugSidecar(this, 'debug', { workload: echo }); // kubectl exec -it <pod> -c debug -- sh
  }
}
