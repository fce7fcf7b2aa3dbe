import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { hardenContainer, LogShipping, LogSidecar } from '../../lib';

/** An app that writes its log to a file; a streaming sidecar prints it for `kubectl logs`. */
export class ClockChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const clock = new kplus.Deployment(this, 'clock', {
      metadata: { name: 'clock' },
      containers: [{
        name: 'clock',
        image: 'busybox:1.36.1',
        command: ['sh', '-c', 'while true; do date >> /var/log/clock/clock.log; sleep 5; done'],
      }],
    });
    hardenContainer(clock, 'clock');
    new LogSidecar(this, 'logs', {
      workload: clock,
      logDirectory: '/var/log/clock',
      logFiles: ['clock.log'],
      shipping: LogShipping.streaming(),
    });
  }
}
