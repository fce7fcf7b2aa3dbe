import { Testing } from 'cdk8s';
import { KubernetesVersion, PodSecurityLevel, synthToMemory } from '../../lib';
import { HttpAdapterChart, shopApiV2ServerBlock } from '../../lib/charts/http-adapter-chart';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { validateManifest } from '../../lib/synth/schema';
import { container } from '../util/synth';

function render(): any[] {
  return Testing.synth(new HttpAdapterChart(Testing.app(), 'http-adapter'));
}

const byName = (ms: any[], kind: string, name?: string) => ms.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));

describe('HttpAdapterChart', () => {
  test('GIVEN the example WHEN synthesized THEN it passes the synth driver\'s checks into one file', () => {
    const app = Testing.app();
    new HttpAdapterChart(app, 'http-adapter');
    expect([...synthToMemory(app).files.keys()]).toEqual(['http-adapter.k8s.yaml']);
  });

  test('GIVEN the example THEN every object is valid for Kubernetes 1.27 and the pod runs restricted', () => {
    const ms = render();
    expect(ms.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Service']);
    for (const m of ms) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
    const d = byName(ms, 'Deployment');
    expect(d.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: podMetadataOf(d), spec: podSpecOf(d) })).toEqual([]);
  });

  test('GIVEN the example THEN the Service targets the adapter, the app listens on loopback only and is probed through the adapter', () => {
    const ms = render();
    expect(byName(ms, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    const spec = podSpecOf(byName(ms, 'Deployment'));
    const api = container(spec, 'api');
    expect(api.ports).toBeUndefined();
    expect(api.readinessProbe.httpGet).toEqual({ path: '/v2/health', port: 8080, scheme: 'HTTP' });
    expect(byName(ms, 'ConfigMap', 'shop-api-v2').data).toEqual({ 'shop-api-v2.conf': shopApiV2ServerBlock() });
    expect(shopApiV2ServerBlock()).toContain('listen 127.0.0.1:9080;');
    expect(container(spec, 'http-adapter').ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
  });
});
