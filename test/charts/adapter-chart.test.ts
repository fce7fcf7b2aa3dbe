import { Testing } from 'cdk8s';
import { KubernetesVersion, nginxStubStatusServerBlock, PodSecurityLevel, synthToMemory } from '../../lib';
import { AdapterChart } from '../../lib/charts/adapter-chart';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { validateManifest } from '../../lib/synth/schema';
import { container, contentHash } from '../util/synth';

function render(): any[] {
  const app = Testing.app();
  return Testing.synth(new AdapterChart(app, 'adapter'));
}

const byKind = (ms: any[], kind: string) => ms.find((m) => m.kind === kind);

describe('AdapterChart', () => {
  test('passes the synth driver\'s checks: schema 1.27, pod-wide checks and the declared Pod Security profile', () => {
    const app = Testing.app();
    new AdapterChart(app, 'adapter');
    const { files } = synthToMemory(app);
    expect([...files.keys()]).toEqual(['adapter.k8s.yaml']);
  });

  test('renders a ConfigMap, a Deployment and a Service, each valid for Kubernetes 1.27', () => {
    const ms = render();
    expect(ms.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['ConfigMap/adapter-exporter-stubstatus-c8bca0ff', 'Deployment/web-metrics', 'Service/web-metrics']);
    for (const m of ms) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('runs the whole pod under the restricted Pod Security profile', () => {
    const d = byKind(render(), 'Deployment');
    expect(d.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: podMetadataOf(d), spec: podSpecOf(d) })).toEqual([]);
  });

  test('mounts the generated stub_status server block as one file in nginx\'s conf.d, and /tmp writable', () => {
    const ms = render();
    expect(byKind(ms, 'ConfigMap').data).toEqual({ 'stub-status.conf': nginxStubStatusServerBlock({ port: 8081 }) });
    const spec = podSpecOf(byKind(ms, 'Deployment'));
    const nginx = container(spec, 'nginx');
    expect(nginx.image).toBe('nginxinc/nginx-unprivileged:1.27.5-alpine');
    expect(nginx.volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/etc/nginx/conf.d/stub-status.conf', name: 'nginx-exporter-stub-status', readOnly: true, subPath: 'stub-status.conf' },
    ]);
    expect(spec.volumes).toEqual([
      { emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' },
      { configMap: { name: 'adapter-exporter-stubstatus-c8bca0ff' }, name: 'nginx-exporter-stub-status' },
    ]);
  });

  test('points the exporter at the port and path the stub_status server listens on', () => {
    const ms = render();
    const conf: string = byKind(ms, 'ConfigMap').data['stub-status.conf'];
    const listen = /listen (127\.0\.0\.1:\d+);/.exec(conf)![1];
    const location = /location = (\S+) \{/.exec(conf)![1];
    const exporter = container(podSpecOf(byKind(ms, 'Deployment')), 'nginx-exporter');
    expect(exporter.args).toContain(`-nginx.scrape-uri=http://${listen}${location}`);
    expect(exporter.image).toBe('nginx/nginx-prometheus-exporter:0.11.0');
  });

  test('announces the metrics port on the pod template and on the Service', () => {
    const ms = render();
    expect(podMetadataOf(byKind(ms, 'Deployment')).annotations).toEqual({
      'kubectl.kubernetes.io/default-container': 'nginx', 'prometheus.io/path': '/metrics', 'prometheus.io/port': '9113', 'prometheus.io/scrape': 'true',
      'nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256': contentHash({ 'stub-status.conf': nginxStubStatusServerBlock({ port: 8081 }) }),
    });
    expect(byKind(ms, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'metrics', port: 9113, protocol: 'TCP', targetPort: 9113 },
    ]);
  });

  test('renders the same bytes when synthesized twice', () => {
    const app = Testing.app();
    const chart = new AdapterChart(app, 'adapter');
    expect(JSON.stringify(Testing.synth(chart))).toBe(JSON.stringify(Testing.synth(chart)));
    expect(JSON.stringify(render())).toBe(JSON.stringify(render()));
  });
});
