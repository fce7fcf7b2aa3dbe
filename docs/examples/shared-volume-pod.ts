import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SharedVolumePod } from '../../lib';

/** nginx serves the page that a writer container puts into the pod's shared emptyDir. */
export class SiteChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SharedVolumePod(this, 'site', {
      metadata: { name: 'site' },
      securityContext: { runAsUser: 101, runAsGroup: 101 }, // the nginx-unprivileged image's user
      containers: [
        {
          name: 'nginx',
          image: 'nginxinc/nginx-unprivileged:1.27.5-alpine',
          mountPath: '/usr/share/nginx/html',
          readOnly: true,
          ports: [{ number: 8080, name: 'http' }],
          writablePaths: ['/tmp'],
        },
        {
          name: 'writer',
          image: 'debian:12.8-slim',
          mountPath: '/pod-data',
          runsToCompletion: true, // an init container under restartPolicy Always
          command: ['/bin/sh'],
          args: ['-c', 'echo Hello from the writer > /pod-data/index.html'],
        },
      ],
    });
  }
}
