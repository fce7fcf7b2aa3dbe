import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { recommendedLabels } from '../_pod/labels';
import { hardenContainer } from '../harden';
import { Adapter, DEFAULT_STUB_STATUS_PORT, nginxStubStatusServerBlock } from '../adapter';
import { NGINX_UNPRIVILEGED_ID } from './hardened-chart';
import { IMAGES } from './images';

/** File name of the stub_status server block in the ConfigMap and in nginx's conf.d. */
export const STUB_STATUS_CONF = 'stub-status.conf';

/**
 * The adapter pattern as a user writes it: their own nginx Deployment and Service, nginx's
 * `stub_status` exposed on 127.0.0.1:8081 by a ConfigMap file in conf.d, and the NGINX Prometheus
 * exporter attached as an adapter that serves metrics on the named port `metrics` (9113), on the
 * pod template's `prometheus.io/*` annotations and on the Service.
 */
export class AdapterChart extends Chart {
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly stubStatus: kplus.ConfigMap;
  public readonly exporter: Adapter;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    this.deployment = new kplus.Deployment(this, 'web', {
      metadata: { name: 'web-metrics', labels: recommendedLabels(this, { name: 'web-metrics', component: 'web-server' }) },
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
    const nginx = this.deployment.containers[0];
    // nginx-unprivileged writes its pid and temp files under /tmp; the root filesystem stays read-only.
    nginx.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    hardenContainer(this.deployment, 'nginx', { runAsUser: NGINX_UNPRIVILEGED_ID, runAsGroup: NGINX_UNPRIVILEGED_ID });

    this.stubStatus = new kplus.ConfigMap(this, 'stub-status', {
      metadata: { name: 'web-metrics-stub-status', labels: recommendedLabels(this, { name: 'web-metrics', component: 'web-server' }) },
      data: { [STUB_STATUS_CONF]: nginxStubStatusServerBlock({ port: DEFAULT_STUB_STATUS_PORT }) },
    });
    // subPath: one more file in conf.d; the image's default.conf (the site on 8080) stays.
    nginx.mount(`/etc/nginx/conf.d/${STUB_STATUS_CONF}`, kplus.Volume.fromConfigMap(this, 'stub-status-volume', this.stubStatus, { name: 'stub-status' }), {
      subPath: STUB_STATUS_CONF,
      readOnly: true,
    });

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: 'web-metrics', labels: recommendedLabels(this, { name: 'web-metrics', component: 'web-server' }) },
      selector: this.deployment,
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });

    this.exporter = Adapter.nginxExporter(this, 'exporter', {
      workload: this.deployment,
      service: this.service,
      statusPort: DEFAULT_STUB_STATUS_PORT,
    });
  }
}

