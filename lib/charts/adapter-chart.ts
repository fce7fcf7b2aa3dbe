import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { recommendedLabels } from '../_pod/labels';
import { Adapter, DEFAULT_STUB_STATUS_PORT, NGINX_STUB_STATUS_FILE } from '../adapter';
import { nginxDeployment } from './apps';

/** File name of the stub_status server block in the ConfigMap and in nginx's conf.d. */
export const STUB_STATUS_CONF = NGINX_STUB_STATUS_FILE;

/**
 * The adapter pattern as a user writes it: their own nginx Deployment and Service, nginx's
 * `stub_status` exposed on 127.0.0.1:8081 by a ConfigMap file the preset mounts into conf.d, and the NGINX Prometheus
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

    // nginx-unprivileged, restricted, with its pid and temp files in an emptyDir at /tmp
    this.deployment = nginxDeployment(this, 'web', 'web-metrics');
    const nginx = this.deployment.containers[0];

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: 'web-metrics', labels: recommendedLabels(this, { name: 'web-metrics', component: 'web-server' }) },
      selector: this.deployment,
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });

    // the preset mounts the stub_status server block into nginx's conf.d itself (stubStatus: MOUNT)
    this.exporter = Adapter.nginxExporter(this, 'exporter', {
      workload: this.deployment,
      appContainer: nginx,
      service: this.service,
      statusPort: DEFAULT_STUB_STATUS_PORT,
    });
    this.stubStatus = this.exporter.stubStatusConfigMap!;
  }
}

