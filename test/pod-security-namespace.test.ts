import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Hardening, KubernetesVersion, PodSecurityLevel, PodSecurityNamespace, ProxyAmbassador, setKubernetesVersion,
  SharedVolumePod, synthToMemory,
} from '../lib';
import { validateManifest } from '../lib/synth/schema';
import { errorOf } from './util/synth';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';

/** A restricted SharedVolumePod (declares restricted). */
function restrictedPod(chart: Chart, id = 'site'): SharedVolumePod {
  return new SharedVolumePod(chart, id, { containers: [{ name: 'nginx', image: NGINX, mountPath: '/html', ports: [{ number: 8080 }] }] });
}

/** A SharedVolumePod on a hostPath (declares privileged). */
function privilegedPod(chart: Chart, id = 'seed'): SharedVolumePod {
  return new SharedVolumePod(chart, id, { hardening: Hardening.NONE, hostPath: '/data', containers: [{ name: 'nginx', image: 'nginx:1.27.5', mountPath: '/html' }] });
}

/** A SharedVolumePod with the image's own settings (declares baseline). */
function baselinePod(chart: Chart, id = 'legacy'): SharedVolumePod {
  return new SharedVolumePod(chart, id, { hardening: Hardening.NONE, containers: [{ name: 'nginx', image: 'nginx:1.27.5', mountPath: '/html' }] });
}

function namespaceOf(chart: Chart): any {
  const found = Testing.synth(chart).filter((m) => m.kind === 'Namespace');
  if (found.length !== 1) throw new Error(`expected one Namespace, found ${found.length}`);
  return found[0];
}

const levels = (level: string, version = 'v1.27') => ({
  'pod-security.kubernetes.io/audit': level,
  'pod-security.kubernetes.io/audit-version': version,
  'pod-security.kubernetes.io/enforce': level,
  'pod-security.kubernetes.io/enforce-version': version,
  'pod-security.kubernetes.io/warn': level,
  'pod-security.kubernetes.io/warn-version': version,
});

describe('PodSecurityNamespace', () => {
  test('labels the chart\'s namespace restricted when its pods all declare restricted', () => {
    // GIVEN a chart in namespace "shop" with a restricted pod
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    restrictedPod(chart);
    // WHEN its namespace is added
    new PodSecurityNamespace(chart, 'namespace');
    // THEN the Namespace enforces, audits and warns restricted at the chart's version, with the recommended labels
    expect(namespaceOf(chart)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'shop',
        labels: {
          'app.kubernetes.io/component': 'pod-security-namespace',
          'app.kubernetes.io/instance': 'shop',
          'app.kubernetes.io/managed-by': 'cdk8s',
          'app.kubernetes.io/name': 'shop',
          'app.kubernetes.io/part-of': 'web',
          ...levels('restricted'),
        },
      },
    });
  });

  test('takes the least strict level the namespace\'s pods declare', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    restrictedPod(chart);
    baselinePod(chart);
    const ns = new PodSecurityNamespace(chart, 'namespace');
    expect(ns.levels()).toEqual({ enforce: 'baseline', audit: 'baseline', warn: 'baseline' });
    privilegedPod(chart);
    expect(namespaceOf(chart).metadata.labels).toMatchObject(levels('privileged'));
  });

  test('counts workloads added after it (the level is computed when rendered)', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    new PodSecurityNamespace(chart, 'namespace');
    expect(namespaceOf(chart).metadata.labels).toMatchObject(levels('restricted'));
    privilegedPod(chart);
    expect(namespaceOf(chart).metadata.labels).toMatchObject(levels('privileged'));
  });

  test('is restricted when the namespace has no pods', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    new kplus.ConfigMap(chart, 'config', { data: { a: 'b' } });
    expect(new PodSecurityNamespace(chart, 'namespace').levels()).toEqual({ enforce: 'restricted', audit: 'restricted', warn: 'restricted' });
  });

  test('counts only pods in its namespace, from any chart of the app', () => {
    // GIVEN a privileged pod in another namespace, and a baseline pod of another chart in this one
    const app = Testing.app();
    const chart = new Chart(app, 'web', { namespace: 'shop' });
    restrictedPod(chart);
    privilegedPod(new Chart(app, 'other', { namespace: 'elsewhere' }));
    baselinePod(new Chart(app, 'more', { namespace: 'shop' }));
    // THEN the level is baseline
    expect(new PodSecurityNamespace(chart, 'namespace').requiredLevel()).toBe('baseline');
  });

  test('a user\'s workload without a declaration counts with the strictest level it passes', () => {
    // GIVEN a plain cdk8s-plus Deployment (no seccomp profile, capabilities not dropped: baseline)
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    new kplus.Deployment(chart, 'plain', { containers: [{ name: 'app', image: NGINX }] });
    expect(new PodSecurityNamespace(chart, 'namespace').requiredLevel()).toBe('baseline');
  });

  test('a workload with a helper counts with the level the helper declares for the whole pod', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: NGINX }] });
    new ProxyAmbassador(chart, 'cache', { workload: web, listenPort: 6379, upstreams: ['redis:6379'] });
    const ns = new PodSecurityNamespace(chart, 'namespace');
    expect(Testing.synth(chart).find((m) => m.kind === 'Deployment').metadata.annotations['pod-patterns.dev/pod-security']).toBe('baseline');
    expect(ns.requiredLevel()).toBe('baseline');
  });

  test('the version labels follow the chart\'s target Kubernetes version', () => {
    const chart = new Chart(Testing.app(), 'batch', { namespace: 'jobs' });
    setKubernetesVersion(chart, KubernetesVersion.V1_29);
    const ns = new PodSecurityNamespace(chart, 'namespace');
    expect(ns.version).toBe('v1.29');
    expect(namespaceOf(chart).metadata.labels).toMatchObject(levels('restricted', 'v1.29'));
  });

  test('the level is computed at the version the labels carry: a pod allowed only from policy 1.35 gets its level at v1.35, not at v1.34', () => {
    // GIVEN a pod in a user namespace (hostUsers: false) whose container sets procMount Unmasked:
    // baseline from policy 1.35 on, privileged before
    const build = (version: string): PodSecurityNamespace => {
      const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
      new ApiObject(chart, 'pod', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'userns', namespace: 'shop' },
        spec: { hostUsers: false, containers: [{ name: 'app', image: NGINX, securityContext: { procMount: 'Unmasked' } }] },
      });
      return new PodSecurityNamespace(chart, 'namespace', { version });
    };
    // WHEN the namespace's labels are computed at v1.35 and at v1.34
    // THEN each enforces the level the pod passes at that very version, and says that version
    expect(build('v1.35').podSecurityLabels()).toEqual(levels('baseline', 'v1.35'));
    expect(build('v1.34').podSecurityLabels()).toEqual(levels('privileged', 'v1.34'));
  });

  test('fails when the version is "latest" or outside what the check evaluates', () => {
    for (const version of ['latest', 'v1.26', 'v1.38']) {
      const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
      expect(() => new PodSecurityNamespace(chart, 'namespace', { version })).toThrow(
        `[web/namespace] invalid props:\n  version: received ${JSON.stringify(version)}; expected a Pod Security Standards version the check evaluates: "v1.27" to "v1.37" (not "latest": the API server resolves it to its own version)`);
    }
  });

  test('levels and version given in props are used as given; audit and warn default to enforce', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    restrictedPod(chart);
    new PodSecurityNamespace(chart, 'namespace', { name: 'storefront', enforce: PodSecurityLevel.BASELINE, warn: PodSecurityLevel.RESTRICTED, version: 'v1.35' });
    expect(namespaceOf(chart).metadata).toEqual({
      name: 'storefront',
      labels: {
        'app.kubernetes.io/component': 'pod-security-namespace',
        'app.kubernetes.io/instance': 'storefront',
        'app.kubernetes.io/managed-by': 'cdk8s',
        'app.kubernetes.io/name': 'storefront',
        'app.kubernetes.io/part-of': 'web',
        'pod-security.kubernetes.io/audit': 'baseline',
        'pod-security.kubernetes.io/audit-version': 'v1.35',
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': 'v1.35',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.35',
      },
    });
  });

  test('is cluster-scoped: no metadata.namespace, although its chart has one', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    new PodSecurityNamespace(chart, 'namespace');
    expect(namespaceOf(chart).metadata.namespace).toBeUndefined();
  });

  test('comes first in its chart\'s output even when created last, and the file names stay plain', () => {
    // GIVEN a chart whose Namespace is created after its pods
    const app = new App();
    const chart = new Chart(app, 'web', { namespace: 'shop' });
    restrictedPod(chart, 'a');
    restrictedPod(chart, 'b');
    new PodSecurityNamespace(chart, 'namespace');
    // THEN it is the first object, in cdk8s's rendering and in ours
    expect(Testing.synth(chart).map((m) => m.kind)).toEqual(['Namespace', 'Pod', 'Pod']);
    const { files } = synthToMemory(app);
    expect([...files.keys()]).toEqual(['web.k8s.yaml']);
    expect(files.get('web.k8s.yaml')!.startsWith('apiVersion: v1\nkind: Namespace\n')).toBe(true);
  });

  test('passes the strict Kubernetes 1.27 schema', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    new PodSecurityNamespace(chart, 'namespace');
    expect(validateManifest(namespaceOf(chart), KubernetesVersion.V1_27)).toEqual([]);
  });

  describe('fails when', () => {
    test('the chart has no namespace and no name is given', () => {
      const chart = new Chart(Testing.app(), 'web');
      expect(() => new PodSecurityNamespace(chart, 'namespace'))
        .toThrow('[web/namespace] invalid props:\n  name: received undefined; expected the namespace\'s name, or a chart with a namespace (chart "web" has none)');
    });

    test('the name, a level or the version is not valid', () => {
      const chart = new Chart(Testing.app(), 'web');
      expect(() => new PodSecurityNamespace(chart, 'namespace', { name: 'Shop', enforce: 'strict' as any, version: '1.27' }))
        .toThrow('[web/namespace] invalid props:\n  name: received "Shop"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit\n  enforce: received "strict"; expected one of "privileged", "baseline", "restricted"\n  version: received "1.27"; expected a Pod Security Standards version the check evaluates: "v1.27" to "v1.37" (not "latest": the API server resolves it to its own version)');
    });

    test('the level enforced is stricter than a pod of the namespace needs (at synth)', () => {
      // GIVEN a namespace that enforces restricted, and a pod on a hostPath in it
      const app = new App();
      const chart = new Chart(app, 'web', { namespace: 'shop' });
      new PodSecurityNamespace(chart, 'namespace', { enforce: PodSecurityLevel.RESTRICTED });
      privilegedPod(chart);
      // THEN synth fails, naming the pod
      expect(errorOf(() => synthToMemory(app))).toBe('Synthesis failed with 1 error:\n  [web/namespace] enforce: received "restricted"; expected "privileged" or less strict: the pods of Pod "web-seed-pod-c871bed2" (web/seed/Pod/Resource) in namespace "shop" need "privileged"');
    });
  });
});
