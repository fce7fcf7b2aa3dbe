import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { Hardening, KubernetesVersion, PodSecurityLevel, PodSecurityNamespace, setKubernetesVersion, SharedVolumePod, synthToMemory } from '../../lib';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { weakestLevel } from '../../lib/_pod/security';
import { RULES } from '../../lib/_pod/rules';
import { parseMinor } from '../../lib/_pod/version';
import {
  APP_IMAGE, capabilities, constructId, Corruptor, corrupted, deepFreeze, dnsLabel, expectedLevel, expectRejected,
  expectValidSynth, fuzzParams, hardening, labelsCorruptors, recommendedLabels, setField, setIn, version, Version,
} from './arbitraries';

const LEVELS: readonly PodSecurityLevel[] = [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED];

/** A pod of the app: a SharedVolumePod with some opt-ins, or a plain cdk8s-plus Deployment (which passes baseline). */
interface PodSpec {
  readonly kind: 'SharedVolumePod' | 'Deployment';
  readonly hardening?: Hardening;
  readonly hostPath?: boolean;
  readonly capabilities?: string[];
  /** In the namespace, or in another one. */
  readonly inNamespace: boolean;
  /** When the namespace is the chart's: left to the chart (no metadata.namespace). */
  readonly fromChart?: boolean;
}

/** A PodSecurityNamespace to build: the chart (and its namespace), the pods of the app, and the props. */
interface Spec {
  readonly version: Version;
  readonly chartId: string;
  readonly chartNamespace?: string;
  readonly id: string;
  readonly props: { name?: string; enforce?: PodSecurityLevel; audit?: PodSecurityLevel; warn?: PodSecurityLevel; version?: string; labels?: Record<string, string> };
  readonly pods: PodSpec[];
}

const podArb: fc.Arbitrary<PodSpec> = fc.record({
  kind: fc.constantFrom<PodSpec['kind']>('SharedVolumePod', 'Deployment'),
  hardening: hardening(),
  hostPath: fc.boolean(),
  capabilities: capabilities(),
  inNamespace: fc.boolean(),
  fromChart: fc.boolean(),
}, { requiredKeys: ['kind', 'inNamespace'] });

/** The level a pod needs. */
const levelOf = (p: PodSpec): PodSecurityLevel => (p.kind === 'Deployment' ? PodSecurityLevel.BASELINE : expectedLevel({ hardening: p.hardening, hostPath: p.hostPath, capabilities: p.capabilities }));

/** The namespace's name and the level its pods need ('restricted' with none). */
function resolved(s: Spec) {
  const name = (s.props.name ?? s.chartNamespace)!;
  const required = weakestLevel(...s.pods.filter((p) => p.inNamespace).map(levelOf));
  return { name, required, enforce: s.props.enforce ?? required };
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  version: version(),
  chartId: constructId(),
  chartNamespace: dnsLabel(),
  id: constructId(),
  props: fc.record({
    name: dnsLabel(),
    enforce: fc.constantFrom(...LEVELS),
    audit: fc.constantFrom(...LEVELS),
    warn: fc.constantFrom(...LEVELS),
    version: fc.integer({ min: 27, max: 37 }).map((m) => `v1.${m}`),
    labels: recommendedLabels(),
  }, { requiredKeys: [] }),
  pods: fc.array(podArb, { maxLength: 4 }),
}, { requiredKeys: ['version', 'chartId', 'id', 'props', 'pods'] })
  // as documented: a name, or a chart with a namespace; an enforced level its pods can pass
  .filter((s) => (s.props.name ?? s.chartNamespace) !== undefined)
  .filter((s) => s.props.enforce === undefined || weakestLevel(s.props.enforce, resolved(s).required) === s.props.enforce);

function build(s: Spec) {
  const app = Testing.app();
  const chart = new Chart(app, s.chartId, s.chartNamespace !== undefined ? { namespace: s.chartNamespace } : {});
  setKubernetesVersion(chart, s.version);
  // the pods' namespace (a valid one even when the corrupted name is not, so only the Namespace fails)
  const given = (s.props.name ?? s.chartNamespace)!;
  const ns = RULES.dnsLabel.test(given) ? given : 'pods';
  s.pods.forEach((p, i) => {
    const namespace = p.inNamespace ? ns : `other-${ns}`.slice(0, 63).replace(/-$/, '');
    const metadata = p.fromChart && namespace === s.chartNamespace ? {} : { namespace };
    if (p.kind === 'Deployment') {
      new kplus.Deployment(chart, `pod${i}`, { metadata, containers: [{ name: 'app', image: APP_IMAGE }] });
    } else {
      new SharedVolumePod(chart, `pod${i}`, {
        metadata,
        hardening: p.hardening,
        ...(p.hostPath ? { hostPath: '/srv/data' } : {}),
        containers: [{ name: 'app', image: APP_IMAGE, mountPath: '/data', securityContext: { addCapabilities: p.capabilities } }],
      });
    }
  });
  new PodSecurityNamespace(chart, s.id, s.props);
  return app;
}

describe('PodSecurityNamespace (property-based)', () => {
  test('random valid props and pods synthesize to a Namespace labelled with the level its pods need, every pod passing it', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { objects, pods } = expectValidSynth(() => build(spec));
      // THEN the Namespace comes first in its chart's file and carries the Pod Security labels
      const r = resolved(spec);
      expect(objects[0].manifest.kind).toBe('Namespace');
      const namespace = objects[0].manifest;
      expect(namespace.metadata.name).toBe(r.name);
      expect(namespace.metadata.namespace).toBeUndefined();
      const v = spec.props.version ?? `v1.${parseMinor(spec.version)}`;
      expect(namespace.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': r.enforce,
        'pod-security.kubernetes.io/enforce-version': v,
        'pod-security.kubernetes.io/audit': spec.props.audit ?? r.enforce,
        'pod-security.kubernetes.io/audit-version': v,
        'pod-security.kubernetes.io/warn': spec.props.warn ?? r.enforce,
        'pod-security.kubernetes.io/warn-version': v,
      });
      // AND the API server would admit every pod of the namespace
      for (const { manifest } of pods.filter((p) => p.manifest.metadata.namespace === r.name)) {
        expect(checkPodSecurity(r.enforce, { metadata: podMetadataOf(manifest), spec: podSpecOf(manifest) }, v)).toEqual([]);
      }
    }), fuzzParams(3));
  });

  const P = 'props';
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    setField<Spec>('name', [P, 'name'], 'name', fc.constantFrom('', 'Upper', 'dot.ted', '-lead', 'a'.repeat(64))),
    {
      what: 'no name and a chart without a namespace',
      corrupt: (s) => fc.constant({ spec: { ...s, chartNamespace: undefined, props: { ...s.props, name: undefined } }, expected: { prop: 'name', value: undefined, stage: 'build' } }),
    },
    ...(['enforce', 'audit', 'warn'] as const).map((m) => setField<Spec>(m, [P, m], m, fc.constantFrom('strict', 'Restricted', ''))),
    setField<Spec>('version', [P, 'version'], 'version', fc.constantFrom('1.27', 'v2.0', 'v1.027', 'v1.', '', 'Latest')),
    ...labelsCorruptors<Spec>([P, 'labels']),
    {
      what: 'enforce stricter than a pod of the namespace needs (a validation at synth)',
      applies: (s) => resolved(s).required !== 'restricted',
      corrupt: (s) => fc.constantFrom(...LEVELS.slice(LEVELS.indexOf(resolved(s).required) + 1)).map((v) => ({
        spec: setIn(s, [P, 'enforce'], v), expected: { prop: 'enforce', value: v, stage: 'synth' },
      })),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });

  test('a Namespace with no pods is restricted', () => {
    const spec: Spec = { version: KubernetesVersion.V1_27, chartId: 'c', chartNamespace: 'shop', id: 'ns', props: {}, pods: [] };
    const { files } = synthToMemory(build(spec));
    expect([...files.values()].join('')).toContain('pod-security.kubernetes.io/enforce: restricted');
  });
});
