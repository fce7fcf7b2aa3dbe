import { Testing } from 'cdk8s';
import { configHashAnnotation, KubernetesVersion, PodSecurityLevel, synthToMemory } from '../../lib';
import {
  EXAMPLE_REDIS_SERVERS,
  PROXY_EXAMPLE_IMAGES,
  ProxyAmbassadorChart,
} from '../../lib/charts/proxy-ambassador-chart';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { validateManifest } from '../../lib/synth/schema';
import { container } from '../util/synth';

function render(props = {}): any[] {
  return Testing.synth(new ProxyAmbassadorChart(Testing.app(), 'proxy-ambassador', props));
}

const deployment = (ms: any[], name: string) => ms.find((m) => m.kind === 'Deployment' && m.metadata.name === name);

describe('ProxyAmbassadorChart', () => {
  test('passes the synth driver\'s checks: schema 1.27, pod-wide checks and the declared Pod Security profile', () => {
    const app = Testing.app();
    new ProxyAmbassadorChart(app, 'proxy-ambassador');
    const { files } = synthToMemory(app);
    expect([...files.keys()]).toEqual(['proxy-ambassador.k8s.yaml']);
  });

  test('renders two Deployments and their ambassadors\' ConfigMaps, each valid for Kubernetes 1.27', () => {
    const ms = render();
    expect(ms.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Deployment']);
    for (const m of ms) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
  });

  test.each(['cart-worker', 'rates-poller'])('runs the whole %s pod under the restricted Pod Security profile', (name) => {
    const d = deployment(render(), name);
    expect(d.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: podMetadataOf(d), spec: podSpecOf(d) })).toEqual([]);
  });

  test('the cart worker reaches Redis through HAProxy in TCP mode on 127.0.0.1:6379, failing over to the standby', () => {
    const ms = render();
    const d = deployment(ms, 'cart-worker');
    const spec = podSpecOf(d);
    expect(container(spec, 'worker').image).toBe(PROXY_EXAMPLE_IMAGES.redis);
    expect(container(spec, 'worker').env).toEqual([{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);
    expect(container(spec, 'haproxy').image).toBe('haproxy:3.0.28');
    const cm = ms.find((m) => m.kind === 'ConfigMap' && m.metadata.name === spec.volumes[0].configMap.name);
    const config: string = cm.data['haproxy.cfg'];
    expect(config).toContain('    mode tcp\n');
    expect(config).toContain('    balance first\n');
    for (const [i, server] of EXAMPLE_REDIS_SERVERS.entries()) expect(config).toContain(`    server upstream-${i + 1} ${server} check\n`);
    expect(podMetadataOf(d).annotations[configHashAnnotation('haproxy')]).toMatch(/^[0-9a-f]{64}$/);
  });

  test('uses only images that exist at pinned tags (no placeholder registry)', () => {
    const images = render().flatMap((m) => [...(podSpecOf(m)?.initContainers ?? []), ...(podSpecOf(m)?.containers ?? [])].map((c: any) => c.image));
    expect(images.sort()).toEqual(['curlimages/curl:8.11.1', 'haproxy:3.0.28', 'haproxy:3.0.28', 'redis:7.4.1-alpine']);
  });

  test('the rates poller calls the external API in plain HTTP on 127.0.0.1:8080; HAProxy speaks TLS to it', () => {
    const ms = render();
    const spec = podSpecOf(deployment(ms, 'rates-poller'));
    expect(container(spec, 'poller').image).toBe(PROXY_EXAMPLE_IMAGES.curl);
    expect(container(spec, 'poller').env).toEqual([{ name: 'RATES_API_ADDR', value: '127.0.0.1:8080' }]);
    expect(container(spec, 'haproxy').image).toBe('haproxy:3.0.28');
    const cm = ms.find((m) => m.kind === 'ConfigMap' && m.metadata.name === spec.volumes[0].configMap.name);
    expect(cm.data['haproxy.cfg']).toContain('    server upstream-1 rates.api.example.com:443 check ssl verify required ca-file @system-ca sni str(rates.api.example.com) verifyhost rates.api.example.com check-sni rates.api.example.com\n');
  });

});
