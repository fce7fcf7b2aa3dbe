import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Hardening } from '../_pod/security';
import { SharedVolumePod } from '../shared-volume-pod';
import { WarSidecarPod } from '../war-sidecar-pod';
import { IMAGES } from './images';
import { RestartPolicy } from '../_pod/pod';

/** The debian writer's command, as the seed writes it. */
export const SEED_WRITER_ARGS = ['-c', 'echo Hello from the debian container > /pod-data/index.html'];

/**
 * The seed's two pods as the seed means them, its typos fixed (`contaners` → `containers`,
 * `/usr/sharr/` → `/usr/share/`, indentation) and its images pinned. They keep the seed's
 * hostPath, hostPort and root users, so they declare the `privileged` Pod Security profile.
 */
export class SeedChart extends Chart {
  public readonly twoContainers: SharedVolumePod;
  public readonly javaweb: WarSidecarPod;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.twoContainers = new SharedVolumePod(this, 'two-containers', {
      metadata: { name: 'two-containers' },
      restartPolicy: RestartPolicy.NEVER,
      hardening: Hardening.NONE,
      hostPath: '/data',
      containers: [
        { name: 'nginx-container', image: IMAGES.nginx, mountPath: '/usr/share/nginx/html' },
        {
          name: 'debian-container',
          image: IMAGES.debian,
          mountPath: '/pod-data',
          command: ['/bin/sh'],
          args: SEED_WRITER_ARGS,
          runsToCompletion: true,
        },
      ],
    });
    this.javaweb = new WarSidecarPod(this, 'javaweb-2', {
      metadata: { name: 'javaweb-2' },
      hardening: Hardening.NONE,
      artifactImage: IMAGES.sampleWar,
      artifactPath: '/sample.war',
      copyDestination: '/app',
      appImage: IMAGES.seedTomcat,
      startCommand: ['sh', '-c', '/root/apache-tomcat-7.0.42-v2/bin/start.sh'],
      webappsPath: '/root/apache-tomcat-7.0.42-v2/webapps',
      containerPort: 8080,
      hostPort: 8001,
    });
  }
}
