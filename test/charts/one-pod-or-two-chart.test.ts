import { Testing } from 'cdk8s';
import { KubernetesVersion, PodSecurityLevel, synthToMemory } from '../../lib';
import { CACHE_ARGS, COUNTER_SCRIPT, OnePodOrTwoChart, ONE_POD_OR_TWO_IMAGE } from '../../lib/charts/one-pod-or-two-chart';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { validateManifest } from '../../lib/synth/schema';
import { container } from '../util/synth';

function render(): any[] {
  return Testing.synth(new OnePodOrTwoChart(Testing.app(), 'one-pod-or-two'));
}

const named = (ms: any[], kind: string, name: string) => {
  const found = ms.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};

describe('OnePodOrTwoChart', () => {
  test('passes the synth driver\'s checks: schema 1.27, pod-wide checks and the declared Pod Security profile', () => {
    // GIVEN the chart in an app
    const app = Testing.app();
    new OnePodOrTwoChart(app, 'one-pod-or-two');
    // WHEN it is synthesized as npm run synth does
    const { files } = synthToMemory(app);
    // THEN it writes one file
    expect([...files.keys()]).toEqual(['one-pod-or-two.k8s.yaml']);
  });

  test('renders the pair both ways: two colocated Deployments with a Service, and one Deployment with a sidecar', () => {
    const ms = render();
    expect(ms.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Deployment/counter-colocated',
      'Deployment/cache-colocated',
      'Service/cache-colocated',
      'Deployment/counter-sidecar',
    ]);
    for (const m of ms) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('declares the restricted Pod Security profile on every Deployment, and passes it', () => {
    for (const d of render().filter((m) => m.kind === 'Deployment')) {
      expect(d.metadata.annotations).toEqual({ 'pod-patterns.dev/pod-security': 'restricted' });
      expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: podMetadataOf(d), spec: podSpecOf(d) })).toEqual([]);
    }
  });

  test('schedules the cache\'s pods only onto nodes that run a counter pod (required pod affinity on the hostname)', () => {
    const ms = render();
    const counterLabels = podMetadataOf(named(ms, 'Deployment', 'counter-colocated')).labels;
    const affinity = podSpecOf(named(ms, 'Deployment', 'cache-colocated')).affinity;
    expect(affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: counterLabels },
          topologyKey: 'kubernetes.io/hostname',
        }],
      },
    });
    expect(podSpecOf(named(ms, 'Deployment', 'counter-colocated')).affinity).toBeUndefined();
  });

  test('points the colocated counter at the cache\'s Service, which selects the cache\'s pods on port 6379', () => {
    const ms = render();
    const counter = container(podSpecOf(named(ms, 'Deployment', 'counter-colocated')), 'counter');
    expect(counter.env).toEqual([{ name: 'REDIS_URL', value: 'redis://cache-colocated:6379' }]);
    expect(counter.command).toEqual(['/bin/sh', '-c', COUNTER_SCRIPT]);
    const service = named(ms, 'Service', 'cache-colocated');
    expect(service.spec.selector).toEqual(podMetadataOf(named(ms, 'Deployment', 'cache-colocated')).labels);
    expect(service.spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 6379 }]);
    const cache = container(podSpecOf(named(ms, 'Deployment', 'cache-colocated')), 'cache');
    expect(cache.args).toEqual(['--bind', '0.0.0.0', ...CACHE_ARGS]);
  });

  test('puts counter and cache in one pod, the counter calling the cache on loopback, the cache bound to loopback only', () => {
    const spec = podSpecOf(named(render(), 'Deployment', 'counter-sidecar'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['counter', 'cache']);
    expect(spec.initContainers).toBeUndefined();
    expect(container(spec, 'counter').env).toEqual([{ name: 'REDIS_URL', value: 'redis://127.0.0.1:6379' }]);
    const cache = container(spec, 'cache');
    expect(cache.image).toBe(ONE_POD_OR_TWO_IMAGE);
    expect(cache.command).toEqual(['redis-server']);
    expect(cache.args).toEqual(['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    expect(cache.ports).toEqual([{ containerPort: 6379, name: 'redis' }]);
    expect(cache.volumeMounts).toEqual([{ mountPath: '/data', name: 'data' }]);
    expect(spec.volumes).toEqual([{ emptyDir: { sizeLimit: '64Mi' }, name: 'data' }]);
  });

  test('runs both containers as the image\'s redis user with small explicit resources', () => {
    const spec = podSpecOf(named(render(), 'Deployment', 'counter-sidecar'));
    for (const c of spec.containers) {
      expect(c.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, runAsNonRoot: true, readOnlyRootFilesystem: true });
      expect(c.resources.requests.cpu).toBe('10m');
    }
    expect(container(spec, 'cache').resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
  });
});
