import fc from 'fast-check';
import { DebugSidecar } from '../../lib';
import {
  argv, bad, buildHelperBase, capabilities, Corruptor, corrupted, deepFreeze, dnsLabel, expectHelperPod, expectRejected,
  expectValidSynth, FILE_SEED, fuzzParams, HELPER_PROPS_GAP, HelperBase, helperBase, helperCorruptors, pinnedImage, setField,
  setIn,
} from './arbitraries';

/** A DebugSidecar to build: its own props (plain data) and how the target container is given. */
interface Spec extends HelperBase {
  readonly props: { name?: string; image?: string; command?: string[]; addCapabilities?: string[] };
  /** The container to debug: none given (the workload's only one), by name, or as the cdk8s-plus container. */
  readonly targetRef: 'only' | 'name' | 'container';
}

const specArb: fc.Arbitrary<Spec> = helperBase({ nativeForCompletion: true })
  .chain((b) => fc.record({
    props: fc.record({ name: dnsLabel(), image: pinnedImage(), command: argv(1), addCapabilities: capabilities() }, { requiredKeys: [] }),
    targetRef: fc.constantFrom<Spec['targetRef']>('only', 'name', 'container'),
  }).map((x) => ({ ...b, ...x })))
  // as documented: the tools container's name is new in the workload
  .filter((s) => (s.props.name ?? 'debug') !== s.workload.appName);

function build(s: Spec) {
  const { app, chart, workload, appContainer } = buildHelperBase(s);
  const ref = s.targetRef === 'name' ? { targetContainerName: s.workload.appName } : s.targetRef === 'container' ? { targetContainer: appContainer } : {};
  new DebugSidecar(chart, s.id, { ...s.props, ...s.helper, ...ref, workload });
  return app;
}

describe('DebugSidecar (property-based)', () => {
  test('random valid props on any workload synthesize to schema-valid, Pod-Security-conforming, deterministic YAML', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { pods } = expectValidSynth(() => build(spec));
      // THEN the tools container sits in the workload's pod, declaring what its capabilities need
      const name = spec.props.name ?? 'debug';
      const pod = expectHelperPod(spec, pods, [name], spec.props.addCapabilities ?? []);
      // AND the pod shares one process namespace with an interactive tools container
      expect(pod.spec.shareProcessNamespace).toBe(true);
      const tools = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c: any) => c.name === name);
      expect(tools).toMatchObject({ stdin: true, tty: true, image: spec.props.image ?? 'busybox:1.36.1' });
    }), fuzzParams(3));
  });

  const P = 'props';
  const lastCap = (s: Spec) => s.props.addCapabilities?.length ?? 0;
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    ...helperCorruptors<Spec>(),
    setField<Spec>('name', [P, 'name'], 'name', bad('dnsLabel')),
    { what: 'name of the app container', corrupt: (s) => fc.constant({ spec: setIn(s, [P, 'name'], s.workload.appName), expected: { prop: 'name', value: s.workload.appName, stage: 'build' } }) },
    setField<Spec>('image', [P, 'image'], 'image', bad('image')),
    setField<Spec>('command', [P, 'command'], 'command', bad('nonEmptyList')),
    { what: 'command word', corrupt: (s) => fc.constantFrom(1, null).map((v) => ({ spec: setIn(s, [P, 'command'], ['sleep', v]), expected: { prop: 'command[1]', value: v, stage: 'build' } })) },
    { what: 'capability', corrupt: (s) => bad('capability').map((v) => ({ spec: setIn(s, [P, 'addCapabilities', lastCap(s)], v), expected: { prop: `addCapabilities[${lastCap(s)}]`, value: v, stage: 'build' } })) },
    {
      what: 'capability twice',
      applies: (s) => lastCap(s) > 0,
      corrupt: (s) => fc.constant(s.props.addCapabilities![0]).map((v) => ({ spec: setIn(s, [P, 'addCapabilities', lastCap(s)], v), expected: { prop: `addCapabilities[${lastCap(s)}]`, value: v, stage: 'build' } })),
    },
    {
      what: 'targetContainerName not in the workload',
      corrupt: (s) => fc.constant(`${s.workload.appName.slice(0, 60)}-no`).map((v) => ({ spec: { ...s, targetRef: 'only' as const, props: { ...s.props, targetContainerName: v } }, expected: { prop: 'targetContainerName', value: v, stage: 'build' } })),
    },
    {
      what: 'targetContainerName',
      corrupt: (s) => bad('dnsLabel').map((v) => ({ spec: { ...s, targetRef: 'only' as const, props: { ...s.props, targetContainerName: v } }, expected: { prop: 'targetContainerName', value: v, stage: 'build' } })),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });

  test('rejects bad shared helper props resources and securityContext when built (HELPER_PROPS_GAP)', () => {
    const base = fc.sample(specArb, { numRuns: 1, seed: FILE_SEED })[0];
    for (const gap of HELPER_PROPS_GAP) {
      const spec = { ...base, helper: { ...base.helper, ...gap.helper } };
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, prop: gap.prop, value: gap.value, stage: 'build' });
    }
  });
});
