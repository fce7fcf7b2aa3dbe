import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { SharedVolumePod } from '../shared-volume-pod';
import { WarSidecarPod } from '../war-sidecar-pod';
import { IMAGES } from './images';
import { SEED_WRITER_ARGS } from './seed-chart';

/** uid/gid of the nginx-unprivileged image's `nginx` user. */
export const NGINX_UNPRIVILEGED_ID = 101;

/**
 * The seed's two pods built from the constructs' defaults, so they run where the namespace
 * enforces the Pod Security Standards `restricted` profile: emptyDirs instead of hostPath, no
 * hostPort, non-root images at pinned tags, writable emptyDirs where the images write, explicit
 * resources, seccomp RuntimeDefault, all capabilities dropped.
 */
export class HardenedChart extends Chart {
  public readonly twoContainers: SharedVolumePod;
  public readonly javaweb: WarSidecarPod;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.twoContainers = new SharedVolumePod(this, 'two-containers', {
      metadata: { name: 'two-containers-restricted' },
      securityContext: { runAsUser: NGINX_UNPRIVILEGED_ID, runAsGroup: NGINX_UNPRIVILEGED_ID },
      containers: [
        {
          name: 'nginx',
          image: IMAGES.nginxUnprivileged,
          mountPath: '/usr/share/nginx/html',
          readOnly: true,
          ports: [{ number: 8080, name: 'http' }],
          writablePaths: ['/tmp'],
        },
        {
          name: 'writer',
          image: IMAGES.debian,
          mountPath: '/pod-data',
          command: ['/bin/sh'],
          args: SEED_WRITER_ARGS,
          runsToCompletion: true,
        },
      ],
    });
    this.javaweb = new WarSidecarPod(this, 'javaweb-2', {
      metadata: { name: 'javaweb-2-restricted' },
      artifactImage: IMAGES.sampleWar,
      artifactPath: '/sample.war',
    });
  }
}
