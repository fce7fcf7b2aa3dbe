import * as path from 'path';
import { App, Testing } from 'cdk8s';

// The benchmark's mix (scripts/bench/workload.js): each pattern pod built with the library
// ("ours") and the same pod built with cdk8s-plus-27 alone ("plain"). A ratio of the two means
// something only if plain writes what ours writes, wherever cdk8s-plus-27 can express it; these
// tests hold the two to that, object by object and field by field.

// the benchmark's workload module, built with the library's sources (a fresh clone has no build/lib yet)
const workload = require(path.join(__dirname, '..', '..', 'scripts', 'bench', 'workload'));
workload.useLibrary(require('../../lib'));
const { synthToMemory } = require('../../lib/synth');

/** The pod spec and pod metadata of a manifest (the template's for a workload). */
function podOf(m: any): { spec: any; metadata: any } | undefined {
  if (m.kind === 'Pod') return m;
  return m.spec?.template;
}

/**
 * A manifest without what cdk8s-plus-27 cannot express of ours, and in one order: the pod's
 * shareProcessNamespace, containers' stdin and tty, dropped capabilities and seccomp profiles;
 * cdk8s-plus-27's own fsGroupChangePolicy default and an explicit `readOnly: false`; containers,
 * volumes and mounts sorted (their order costs nothing).
 */
function comparable(manifest: any): any {
  const m = JSON.parse(JSON.stringify(manifest));
  const pod = podOf(m);
  if (pod) {
    const s = pod.spec;
    delete s.shareProcessNamespace;
    if (s.securityContext) {
      delete s.securityContext.seccompProfile;
      delete s.securityContext.fsGroupChangePolicy;
    }
    for (const list of ['containers', 'initContainers']) {
      if (!s[list]) continue;
      for (const c of s[list]) {
        delete c.stdin;
        delete c.tty;
        if (c.securityContext) {
          delete c.securityContext.capabilities;
          delete c.securityContext.seccompProfile;
        }
        for (const vm of c.volumeMounts ?? []) if (vm.readOnly === false) delete vm.readOnly;
        c.volumeMounts?.sort((a: any, b: any) => a.mountPath.localeCompare(b.mountPath));
      }
      s[list].sort((a: any, b: any) => a.name.localeCompare(b.name));
    }
    s.volumes?.sort((a: any, b: any) => a.name.localeCompare(b.name));
  }
  return m;
}

/** Every manifest of a one-pod app of `kind`, built as `variant`: ours through our synth (validated), plain through cdk8s. */
function manifestsOf(variant: 'ours' | 'plain', kind: any): any[] {
  const app: App = workload.buildApp(variant, 'one-chart', 1, [kind]);
  if (variant === 'ours') return synthToMemory(app).charts.flatMap((c: any) => c.objects.map((o: any) => o.manifest));
  return Testing.synth(app.charts[0]);
}

const KINDS: any[] = workload.available();

describe('the benchmark\'s plain cdk8s-plus-27 pods', () => {
  test('GIVEN the benchmark\'s mix THEN it holds every pattern the library exports, the six of the seed', () => {
    expect(KINDS.map((k) => k.name)).toEqual([
      'SharedVolumePod', 'WarSidecarPod', 'LogSidecar (2 log files)', 'ProxyAmbassador (HAProxy)', 'Adapter (nginx exporter)', 'DebugSidecar',
    ]);
  });

  test.each(KINDS.map((k) => [k.name, k]))('GIVEN %s built as ours and as plain WHEN both synthesize THEN plain writes the same objects, fields and values as ours, all but what cdk8s-plus-27 cannot express', (_name, kind) => {
    const ours = manifestsOf('ours', kind).map(comparable);
    const plain = manifestsOf('plain', kind).map(comparable);
    expect(plain).toEqual(ours);
  });

  test('GIVEN the comparison WHEN plain lacks one thing ours writes (the Adapter\'s stub_status ConfigMap, a container\'s hook, an annotation\'s value, a label) THEN it finds the difference: what it leaves out is only what is listed', () => {
    const adapter = KINDS.find((k) => k.name.startsWith('Adapter'));
    const ours = manifestsOf('ours', adapter).map(comparable);
    const plain = manifestsOf('plain', adapter).map(comparable);
    // a ConfigMap less
    expect(plain.filter((m: any) => m.kind !== 'ConfigMap')).not.toEqual(ours);
    // a hook less, on the proxy's helper
    const proxy = KINDS.find((k) => k.name.startsWith('ProxyAmbassador'));
    const proxyOurs = manifestsOf('ours', proxy).map(comparable);
    const proxyPlain = manifestsOf('plain', proxy).map(comparable);
    delete podOf(proxyPlain[0])!.spec.containers.find((c: any) => c.name === 'haproxy').lifecycle.postStart;
    expect(proxyPlain).not.toEqual(proxyOurs);
    // an annotation value changed
    const again = manifestsOf('plain', adapter).map(comparable);
    podOf(again[0])!.metadata.annotations['prometheus.io/port'] = '9114';
    expect(again).not.toEqual(ours);
    // a label less, on the adapter's ConfigMap
    const unlabelled = manifestsOf('plain', adapter).map(comparable);
    delete unlabelled.find((m: any) => m.kind === 'ConfigMap').metadata.labels['app.kubernetes.io/component'];
    expect(unlabelled).not.toEqual(ours);
  });
});
