import * as kplus from 'cdk8s-plus-27';
import { Adapter, imageRepository, NginxStubStatus, nginxStubStatusServerBlock } from '../lib';
import { podMetadataOf } from '../lib/_pod/inject';
import { container, contentHash, errorOf, manifests, podSpec } from './util/synth';
import { chartFor } from './util/workloads';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const P = '[test/exporter] invalid props:\n  ';
const HASH_KEY = 'nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256';

function web(image = NGINX, extra: kplus.ContainerProps[] = []) {
  const chart = chartFor();
  const w = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image, portNumber: 8080 }, ...extra] });
  return { chart, w };
}

describe('Adapter.nginxExporter stub_status', () => {
  test('GIVEN an nginx-unprivileged Deployment WHEN the preset is added THEN it mounts its stub_status server block into conf.d, read-only, as one file', () => {
    const { chart, w } = web();
    const a = Adapter.nginxExporter(chart, 'exporter', { workload: w });
    const ms = manifests(chart);
    const cm = ms.find((m) => m.kind === 'ConfigMap');
    expect(cm.metadata.name).toBe(a.stubStatusConfigMap!.name);
    expect(cm.data).toEqual({ 'stub-status.conf': nginxStubStatusServerBlock({ port: 8081 }) });
    expect(cm.metadata.labels['app.kubernetes.io/component']).toBe('adapter');
    const spec = podSpec(chart, 'Deployment');
    expect(container(spec, 'nginx').volumeMounts).toEqual([
      { mountPath: '/etc/nginx/conf.d/stub-status.conf', name: 'nginx-exporter-stub-status', readOnly: true, subPath: 'stub-status.conf' },
    ]);
    expect(spec.volumes).toContainEqual({ configMap: { name: cm.metadata.name }, name: 'nginx-exporter-stub-status' });
    // and the exporter is not given the volume
    expect(container(spec, 'nginx-exporter').volumeMounts).toBeUndefined();
    expect(podMetadataOf(ms.find((m) => m.kind === 'Deployment')).annotations[HASH_KEY]).toBe(contentHash(cm.data));
  });

  test('GIVEN another statusPort THEN the server block listens there and the pod template\'s hash changes (nginx reads conf.d only at start)', () => {
    const a = web();
    Adapter.nginxExporter(a.chart, 'exporter', { workload: a.w });
    const b = web();
    Adapter.nginxExporter(b.chart, 'exporter', { workload: b.w, statusPort: 8082 });
    const confB = manifests(b.chart).find((m) => m.kind === 'ConfigMap').data['stub-status.conf'];
    expect(confB).toContain('    listen 127.0.0.1:8082;\n');
    const hash = (c: typeof a.chart) => podMetadataOf(manifests(c).find((m) => m.kind === 'Deployment')).annotations[HASH_KEY];
    expect(hash(a.chart)).not.toBe(hash(b.chart));
  });

  test('GIVEN a Deployment with nginx and another container THEN appContainerName picks nginx', () => {
    const { chart, w } = web(NGINX, [{ name: 'app', image: 'registry.example.com/app:1.0' }]);
    Adapter.nginxExporter(chart, 'exporter', { workload: w, appContainerName: 'nginx' });
    expect(container(podSpec(chart, 'Deployment'), 'nginx').volumeMounts).toHaveLength(1);
    expect(container(podSpec(chart, 'Deployment'), 'app').volumeMounts).toBeUndefined();
  });

  test('GIVEN an image of its own and confDirectory THEN it mounts there', () => {
    const { chart, w } = web('registry.example.com/team/web:2.3');
    Adapter.nginxExporter(chart, 'exporter', { workload: w, confDirectory: '/opt/nginx/conf.d/' });
    expect(container(podSpec(chart, 'Deployment'), 'nginx').volumeMounts[0].mountPath).toBe('/opt/nginx/conf.d/stub-status.conf');
  });

  test('GIVEN stubStatus PROVIDED THEN nothing is mounted and no ConfigMap is created', () => {
    const { chart, w } = web('registry.example.com/team/web:2.3');
    const a = Adapter.nginxExporter(chart, 'exporter', { workload: w, stubStatus: NginxStubStatus.PROVIDED });
    expect(a.stubStatusConfigMap).toBeUndefined();
    expect(manifests(chart).filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    expect(container(podSpec(chart, 'Deployment'), 'nginx').volumeMounts).toBeUndefined();
  });

  test('reads the repository of an image reference', () => {
    expect(['nginx:1.27.5', 'docker.io/library/nginx:1.27.5', 'nginxinc/nginx-unprivileged:1.27.5-alpine', 'localhost:5000/nginx@sha256:abc', 'registry.example.com/team/web:2.3', 'nginx']
      .map(imageRepository)).toEqual(['nginx', 'library/nginx', 'nginxinc/nginx-unprivileged', 'nginx', 'team/web', 'nginx']);
  });

  test('fails when the nginx image is not known to include conf.d and no confDirectory is given', () => {
    const { chart, w } = web('bitnami/nginx:1.27.5');
    expect(errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w }))).toBe(`${P}stubStatus: received "mount"; expected NginxStubStatus.PROVIDED (your nginx config serves nginxStubStatusServerBlock on statusPort), or confDirectory: the directory whose *.conf files nginx includes inside http {}: the image "bitnami/nginx:1.27.5" of container "nginx" is not one known to include /etc/nginx/conf.d/*.conf ("nginx", "library/nginx", "nginxinc/nginx-unprivileged")`);
  });

  test('fails when the nginx container cannot be told from the others', () => {
    const { chart, w } = web(NGINX, [{ name: 'app', image: 'registry.example.com/app:1.0' }]);
    expect(errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w }))).toBe(`${P}appContainer: received undefined; expected the nginx container (appContainer or appContainerName), to mount the stub_status server into (the workload's containers: "nginx", "app"), or stubStatus: NginxStubStatus.PROVIDED when nginx already serves stub_status`);
    expect(errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, appContainerName: 'nginks' }))).toBe(`${P}appContainerName: received "nginks"; expected the name of a container of the workload (it has "nginx", "app")`);
  });

  test('fails when the server block\'s path is already mounted, or when PROVIDED comes with mount props, or the mode is unknown', () => {
    const { chart, w } = web();
    const cm = new kplus.ConfigMap(chart, 'mine', { data: { 'stub-status.conf': 'server {}' } });
    w.containers[0].mount('/etc/nginx/conf.d/stub-status.conf', kplus.Volume.fromConfigMap(chart, 'mine-v', cm, { name: 'mine' }), { subPath: 'stub-status.conf' });
    expect(errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w }))).toBe(`${P}stubStatus: received "mount"; expected NginxStubStatus.PROVIDED: container "nginx" already mounts "mine" at /etc/nginx/conf.d/stub-status.conf`);
    expect(errorOf(() => Adapter.nginxExporter(chart, 'e2', { workload: w, stubStatus: NginxStubStatus.PROVIDED, appContainerName: 'nginx', confDirectory: '/etc/nginx/conf.d' }))).toBe('[test/e2] invalid props:\n  appContainerName: received "nginx"; expected unset unless stubStatus is NginxStubStatus.MOUNT\n  confDirectory: received "/etc/nginx/conf.d"; expected unset unless stubStatus is NginxStubStatus.MOUNT');
    expect(errorOf(() => Adapter.nginxExporter(chart, 'e3', { workload: w, stubStatus: 'auto' as NginxStubStatus }))).toBe('[test/e3] invalid props:\n  stubStatus: received "auto"; expected one of "mount", "provided"');
  });

  test('fails when the exporter name leaves no room for the volume name', () => {
    const { chart, w } = web();
    const name = 'x'.repeat(52);
    expect(errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, name }))).toBe(`${P}name: received "${name}"; expected at most 51 characters, so that its "<name>-stub-status" volume name stays a DNS label`);
  });
});
