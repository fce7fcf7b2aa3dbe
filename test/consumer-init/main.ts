// A new user's app, as `cdk8s init typescript-app` writes it (MyChart in main.ts, `app: npx ts-node
// main.ts` in cdk8s.yaml, cdk8s-plus-33), with the pod patterns attached to three workloads of
// theirs: a cdk8s-plus-33 Deployment, a Deployment they already run as YAML (Include), and an L1
// KubeDeployment from their own imports/. No cast anywhere: `npx tsc --noEmit` checks it.
import { Construct } from 'constructs';
import { App, Chart, ChartProps, Include, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Adapter, DebugSidecar, HaproxyMode, hardenContainer, LogShipping, LogSidecar, PodSecurityNamespace, ProxyAmbassador, ProxyBackend } from 'cdk8s-pod-patterns';
import { KubeDeployment, Quantity } from './imports/k8s';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, props);

    // define resources here
    new PodSecurityNamespace(this, 'namespace');

    // 1. their cdk8s-plus-33 Deployment, with a log sidecar and a Redis ambassador
    const web = new kplus.Deployment(this, 'web', {
      metadata: { name: 'web' },
      containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', portNumber: 8080 }],
    });
    web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(this, 'web-tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    hardenContainer(web, web.containers[0], { runAsUser: 101, runAsGroup: 101 });
    new LogSidecar(this, 'web-logs', { workload: web, logDirectory: '/var/log/nginx', logFiles: ['access.log', 'error.log'] });
    new ProxyAmbassador(this, 'web-cache', {
      workload: web,
      appContainer: web.containers[0],
      backend: ProxyBackend.haproxy({ mode: HaproxyMode.TCP }),
      listenPort: 6379,
      envVar: 'REDIS_ADDR',
      upstreams: ['redis-primary.cache.svc.cluster.local:6379'],
    });

    // 2. the Deployment they already run, from its YAML file, with a log agent and a debug sidecar
    const storefront = new Include(this, 'storefront', { url: 'manifests/storefront.yaml' });
    hardenContainer(storefront, 'nginx', { runAsUser: 101, runAsGroup: 101 });
    new LogSidecar(this, 'storefront-logs', { workload: storefront, shipping: LogShipping.fluentBit(), logDirectory: '/var/log/nginx', logFiles: ['access.log'] });
    new DebugSidecar(this, 'storefront-debug', { workload: storefront, appContainerName: 'nginx' });

    // 3. an L1 Deployment of their own imports, with a Prometheus exporter
    const labels = { 'app.kubernetes.io/name': 'cache' };
    const cache = new KubeDeployment(this, 'cache', {
      metadata: { name: 'cache', labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{
              name: 'redis',
              image: 'redis:7.4.1-alpine',
              ports: [{ containerPort: 6379, name: 'redis' }],
              volumeMounts: [{ mountPath: '/data', name: 'data' }],
            }],
            volumes: [{ name: 'data', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
    hardenContainer(cache, 'redis', { runAsUser: 999, runAsGroup: 999 });
    Adapter.redisExporter(this, 'cache-metrics', { workload: cache });
  }
}

/** The app: `npx cdk8s synth` runs this file (cdk8s.yaml); synth-checked.ts synthesizes the same app with runSynth. */
export function buildApp(): App {
  const app = new App();
  new MyChart(app, 'consumer-init', { namespace: 'shop' });
  return app;
}

if (require.main === module) buildApp().synth();
