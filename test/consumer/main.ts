/**
 * A user's own cdk8s app: their storefront Deployment, with a LogSidecar streaming nginx's log
 * files and an HAProxy ambassador in front of their Redis, in namespace "shop" labelled for the
 * Pod Security level the pods declare. Written as the README tells a new user to.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HaproxyBalance, HaproxyMode, hardenContainer, LogShipping, LogSidecar, PodSecurityNamespace, ProxyAmbassador, ProxyBackend, recommendedLabels, runSynth } from 'cdk8s-pod-patterns';

export class ShopChart extends Chart {
  public readonly web: kplus.Deployment;
  public readonly logs: LogSidecar;
  public readonly cache: ProxyAmbassador;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new PodSecurityNamespace(this, 'namespace');

    // the user's own Deployment, as they already had it
    this.web = new kplus.Deployment(this, 'web', {
      metadata: { name: 'storefront', labels: recommendedLabels(this, { name: 'storefront', component: 'web-server' }) },
      replicas: 2,
      containers: [{
        name: 'nginx',
        image: 'nginxinc/nginx-unprivileged:1.27.5-alpine',
        ports: [{ number: 8080, name: 'http' }],
        resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
      }],
    });
    this.web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    hardenContainer(this.web, 'nginx', { runAsUser: 101, runAsGroup: 101 });

    // two patterns composed on it
    this.logs = new LogSidecar(this, 'logs', {
      workload: this.web,
      appContainerName: 'nginx',
      logDirectory: '/var/log/nginx',
      logFiles: ['access.log', 'error.log'],
      shipping: LogShipping.streaming(),
      // cdk8s-plus's resources shape: a Cpu and Sizes
      resources: { cpu: { request: kplus.Cpu.millis(5) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
    });
    this.cache = new ProxyAmbassador(this, 'cache', {
      workload: this.web,
      appContainerName: 'nginx',
      backend: ProxyBackend.haproxy({ mode: HaproxyMode.TCP, balance: HaproxyBalance.FIRST }),
      listenPort: 6379,
      envVar: 'REDIS_ADDR',
      upstreams: ['redis-primary.cache.svc.cluster.local:6379', 'redis-standby.cache.svc.cluster.local:6379'],
    });
  }
}

runSynth(() => {
  const app = new App();
  new ShopChart(app, 'shop', { namespace: 'shop' });
  return app;
}, { outdir: 'dist', kustomization: 'kustomization.yaml' });
