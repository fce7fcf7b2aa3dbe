import { Duration, Size } from 'cdk8s';
import fc from 'fast-check';
import { LogOutput, LogParser, LogShipping, LogSidecar, ParserFieldType, StdoutFormat } from '../../lib';
import { uniqueIds } from '../../lib/_log/files';
import {
  absolutePath, APP_TMP, BAD, bad, buildHelperBase, charOf, Corruptor, corrupted, deepFreeze, dnsLabel, dnsSubdomain,
  expectHelperPod, expectRejected, expectValidSynth, FILE_SEED, fuzzParams, HELPER_PROPS_GAP, HelperBase, helperBase,
  helperCorruptors, pinnedImage, port, setField, setIn, sizeLimit, stringOf,
} from './arbitraries';

/**
 * A LogSidecar to build: its own props (plain data) and how the app container is given. The
 * shipping is `props.shipping` as data (`kind` "default" for no prop, "streaming" or "agent", and
 * the factory's options), the volume size limit `props.volumeSizeKiB` (a number becomes
 * `Size.kibibytes(n)`, anything else is passed as received); build() makes the props of them.
 */
interface Spec extends HelperBase {
  readonly props: Record<string, any>;
  /** The app container: the workload's only one (no prop), by name, or as the cdk8s-plus container. */
  readonly appRef: 'only' | 'name' | 'container';
}

const RESERVED_EXACT = ['/', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/etc'];
const RESERVED_TREES = ['/proc', '/sys', '/dev'];
/** Bad log directories: not absolute paths, or characters the shell command and Fluent Bit's configuration cannot take. */
const BAD_LOG_DIRECTORIES = ['', 'relative', 'relative/path', './x', '/a/../b', '/..', '/a:b', '/a b', '/a;b', '/$HOME'];
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

const FILE_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';
/** A log file name relative to the log directory: segments of letters, digits, ".", "_" or "-", not "." or "..". */
const logFile = () => fc.array(stringOf(FILE_CHARS, 1, 16).filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const fieldName = () => stringOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_', 1, 10);
const singleLine = () => fc.oneof(fc.constantFrom('%d/%b/%Y:%H:%M:%S %z', '%Y-%m-%dT%H:%M:%S.%L%z', '%s'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }))
  .filter((v) => v.trim().length > 0 && !/[\r\n]/.test(v));
/** A receiver's host: a DNS name (not digits and dots only, which read as an IPv4 address) or an IPv4 address. */
const host = () => fc.oneof(dnsSubdomain().filter((h) => !/^[\d.]+$/.test(h)), ipv4());
const ipv4 = () => fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));

/** The time options of a parser: timeFormat and timeKeep only with a timeKey (one of `groups` for a regex). */
function timeOptions(groups?: string[]) {
  const key = groups ? fc.constantFrom(...groups) : fieldName();
  return fc.option(fc.record({ timeKey: key, timeFormat: singleLine(), timeKeep: fc.boolean() }, { requiredKeys: ['timeKey'] }), { nil: undefined })
    .map((t) => t ?? {});
}

const parserArb = fc.oneof(
  fc.constant(LogParser.none()),
  timeOptions().map((t) => (LogParser.json({ ...t }))),
  fc.uniqueArray(fieldName(), { minLength: 1, maxLength: 3 }).chain((groups) => fc.record({
    time: timeOptions(groups),
    types: fc.dictionary(fc.constantFrom(...groups), fc.constantFrom(...Object.values(ParserFieldType)), { noNullPrototype: true }),
    withTypes: fc.boolean(),
  }).map(({ time, types, withTypes }) => LogParser.regex({
    regex: `^${groups.map((g) => `(?<${g}>[^ ]*)`).join(' ')}$`,
    ...time,
    ...(withTypes ? { types: types as Record<string, ParserFieldType> } : {}),
  }))),
);

const outputArb = fc.oneof(
  fc.record({ format: fc.constantFrom(...Object.values(StdoutFormat)) }, { requiredKeys: [] }).map((o) => LogOutput.stdout(o)),
  fc.record({ host: host(), port: port(), tls: fc.boolean() }, { requiredKeys: ['host'] }).map((o) => LogOutput.forward(o)),
  fc.record({
    host: host(),
    port: port(),
    index: fc.tuple(charOf('abcdefghijklmnopqrstuvwxyz0123456789'), stringOf('abcdefghijklmnopqrstuvwxyz0123456789._-', 0, 30)).map(([a, b]) => a + b),
    suppressTypeName: fc.boolean(),
    tls: fc.boolean(),
  }, { requiredKeys: ['host'] }).map((o) => LogOutput.elasticsearch(o)),
);

const common = {
  logDirectory: absolutePath(),
  logFiles: fc.uniqueArray(logFile(), { minLength: 1, maxLength: 4 }),
  volumeName: dnsLabel(),
  volumeSizeKiB: sizeLimit().map((q) => Number(q.slice(0, -2)) * (q.endsWith('Gi') ? 1024 * 1024 : 1024)),
};
const streamingShipping = fc.oneof(
  fc.constant({ kind: 'default' }),
  fc.record({ kind: fc.constant('streaming'), image: pinnedImage() }, { requiredKeys: ['kind'] }),
);
const agentShipping = fc.record({
  kind: fc.constant('agent'),
  image: pinnedImage(),
  parser: parserArb,
  output: outputArb,
  tagPrefix: stringOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-', 1, 32),
  // the intervals in seconds (plain data), made Durations by build()
  flushInterval: fc.integer({ min: 1, max: 3600 }),
  refreshInterval: fc.integer({ min: 1, max: 3600 }),
}, { requiredKeys: ['kind'] });
const streamingProps = fc.record({ ...common, name: dnsLabel(40), shipping: streamingShipping }, { requiredKeys: ['logDirectory', 'logFiles', 'shipping'] });
const agentProps = fc.record({ ...common, name: dnsLabel(55), shipping: agentShipping }, { requiredKeys: ['logDirectory', 'logFiles', 'shipping'] });

/** The resolved shipping, container name prefix, sidecar names and volume name. */
function resolved(s: Spec) {
  const agent = s.props.shipping?.kind === 'agent';
  const name: string = s.props.name ?? (agent ? 'fluent-bit' : 'log');
  return { agent, name, sidecars: agent ? [name] : uniqueIds(s.props.logFiles, name), volumeName: s.props.volumeName ?? 'app-logs' };
}

/**
 * As documented: the log directory is a directory of its own where the app mounts nothing yet,
 * and the sidecars' container and volume names are new in the workload.
 * In agent mode a `volumeName` equal to the agent's `<name>-config` volume is a props error
 * (tested below), so valid specs avoid it.
 */
function consistent(s: Spec): boolean {
  const r = resolved(s);
  const dir = s.props.logDirectory;
  if (RESERVED_EXACT.includes(dir) || RESERVED_TREES.some((t) => under(dir, t)) || (r.agent && under(dir, '/fluent-bit'))) return false;
  if (dir === APP_TMP.path) return false;
  if (r.sidecars.includes(s.workload.appName)) return false;
  if (r.volumeName === APP_TMP.volume || (r.agent && `${r.name}-config` === APP_TMP.volume)) return false;
  if (r.agent && r.volumeName === `${r.name}-config`) return false;
  return true;
}

const specArb: fc.Arbitrary<Spec> = helperBase({ nativeForCompletion: true })
  .chain((b) => fc.record({ props: fc.oneof(streamingProps, agentProps), appRef: fc.constantFrom<Spec['appRef']>('only', 'name', 'container') }).map((x) => ({ ...b, ...x })))
  .filter(consistent);

function build(s: Spec) {
  const { app, chart, workload, appContainer } = buildHelperBase(s);
  const ref = s.appRef === 'name' ? { appContainerName: s.workload.appName } : s.appRef === 'container' ? { appContainer } : {};
  const { shipping, volumeSizeKiB, ...rest } = s.props;
  const { kind, ...given } = shipping ?? { kind: 'default' };
  const options = { ...given };
  for (const k of ['flushInterval', 'refreshInterval']) if (typeof options[k] === 'number') options[k] = Duration.millis(options[k] * 1000);
  const props: Record<string, unknown> = { ...rest };
  if (kind !== 'default') props.shipping = kind === 'agent' ? LogShipping.fluentBit(options) : LogShipping.streaming(options);
  if (volumeSizeKiB !== undefined) props.volumeSizeLimit = typeof volumeSizeKiB === 'number' ? Size.kibibytes(volumeSizeKiB) : volumeSizeKiB;
  new LogSidecar(chart, s.id, { ...(props as any), ...s.helper, ...ref, workload });
  return app;
}

describe('LogSidecar (property-based)', () => {
  test('random valid props on any workload synthesize to schema-valid, Pod-Security-conforming, deterministic YAML', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { pods, objects } = expectValidSynth(() => build(spec));
      // THEN the sidecars sit in the workload's pod, declaring what they need
      const r = resolved(spec);
      const pod = expectHelperPod(spec, pods, r.sidecars);
      // AND the app writes the log directory, which every sidecar reads
      const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
      const mountOf = (c: any) => c.volumeMounts.find((m: any) => m.name === r.volumeName);
      expect(mountOf(all.find((c: any) => c.name === spec.workload.appName))).toEqual({ mountPath: spec.props.logDirectory, name: r.volumeName });
      for (const n of r.sidecars) expect(mountOf(all.find((c: any) => c.name === n))).toEqual({ mountPath: spec.props.logDirectory, name: r.volumeName, readOnly: true });
      // AND the agent's configuration is a ConfigMap
      expect(objects.filter((o) => o.manifest.kind === 'ConfigMap')).toHaveLength(r.agent ? 1 : 0);
    }), fuzzParams(3));
  });

  const P = 'props';
  const agent = (s: Spec) => s.props.shipping?.kind === 'agent';
  const S = [P, 'shipping'];
  /** A corruptor of one shipping option (the message names it `shipping.<option>`). */
  const option = (what: string, name: string, values: fc.Arbitrary<unknown>, applies?: (s: Spec) => boolean): Corruptor<Spec> => ({
    what,
    applies,
    corrupt: (s) => values.map((v) => ({
      spec: setIn(s, S, { ...(s.props.shipping.kind === 'default' ? { kind: 'streaming' } : s.props.shipping), [name]: v }),
      expected: { prop: `shipping.${name}`, value: v, stage: 'build' as const },
    })),
  });
  const streaming = (s: Spec) => !agent(s);
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    ...helperCorruptors<Spec>(),
    setField<Spec>('logDirectory', [P, 'logDirectory'], 'logDirectory', fc.constantFrom(...BAD_LOG_DIRECTORIES)),
    setField<Spec>('logDirectory reserved', [P, 'logDirectory'], 'logDirectory', fc.constantFrom('/', '/etc', '/usr', '/proc/x', '/dev', '/sys/fs')),
    setField<Spec>('logDirectory under /fluent-bit', [P, 'logDirectory'], 'logDirectory', fc.constantFrom('/fluent-bit', '/fluent-bit/logs'), agent),
    setField<Spec>('logDirectory where the app mounts', [P, 'logDirectory'], 'logDirectory', fc.constant(APP_TMP.path)),
    setField<Spec>('logFiles empty', [P, 'logFiles'], 'logFiles', bad('nonEmptyList')),
    {
      what: 'logFiles entry',
      corrupt: (s) => fc.constantFrom('', '/abs.log', '../up.log', 'a/../b.log', './a.log', 'sp ace.log', 'a//b.log', 'semi;colon').map((v) => ({
        spec: setIn(s, [P, 'logFiles', s.props.logFiles.length], v), expected: { prop: `logFiles[${s.props.logFiles.length}]`, value: v, stage: 'build' },
      })),
    },
    {
      what: 'logFiles entry twice',
      corrupt: (s) => fc.constant(s.props.logFiles[0]).map((v) => ({
        spec: setIn(s, [P, 'logFiles', s.props.logFiles.length], v), expected: { prop: `logFiles[${s.props.logFiles.length}]`, value: v, stage: 'build' },
      })),
    },
    setField<Spec>('removed prop mode', [P, 'mode'], 'mode', fc.constantFrom('agent', 'streaming', 'both', '')),
    setField<Spec>('name', [P, 'name'], 'name', bad('dnsLabel')),
    setField<Spec>('name too long for a prefix', [P, 'name'], 'name', fc.constant('n'.repeat(41)), streaming),
    setField<Spec>('name too long for the config volume', [P, 'name'], 'name', fc.constant('n'.repeat(56)), agent),
    { what: 'agent named as the app', applies: agent, corrupt: (s) => fc.constant({ spec: setIn(s, [P, 'name'], s.workload.appName), expected: { prop: 'name', value: s.workload.appName, stage: 'build' } }) },
    setField<Spec>('volumeName', [P, 'volumeName'], 'volumeName', bad('dnsLabel')),
    setField<Spec>('volumeName of the app', [P, 'volumeName'], 'volumeName', fc.constant(APP_TMP.volume)),
    {
      what: 'volumeSizeLimit not whole MiB, or over 1 TiB',
      corrupt: (s) => fc.constantFrom(512, 1536, 1025, 2 * 1024 ** 3).map((kib) => ({ spec: setIn(s, [P, 'volumeSizeKiB'], kib), expected: { prop: 'volumeSizeLimit', value: `${kib} KiB`, stage: 'build' } })),
    },
    setField<Spec>('volumeSizeLimit as a string (untyped)', [P, 'volumeSizeKiB'], 'volumeSizeLimit', fc.constantFrom('512Mi', ...BAD.sizeLimit)),
    option('shipping.image', 'image', bad('image')),
    setField<Spec>('removed prop streamerImage', [P, 'streamerImage'], 'streamerImage', pinnedImage()),
    setField<Spec>('removed prop agentImage', [P, 'agentImage'], 'agentImage', pinnedImage()),
    setField<Spec>('removed prop parser', [P, 'parser'], 'parser', fc.constant(LogParser.json())),
    setField<Spec>('removed prop output', [P, 'output'], 'output', fc.constant(LogOutput.stdout())),
    setField<Spec>('removed prop tagPrefix', [P, 'tagPrefix'], 'tagPrefix', fc.constant('app')),
    setField<Spec>('removed prop rotatorImage', [P, 'rotatorImage'], 'rotatorImage', pinnedImage()),
    {
      what: 'parser.format',
      applies: agent,
      corrupt: (s) => fc.constantFrom('yaml', '', 'JSON').map((v) => ({ spec: setIn(s, [...S, 'parser'], { format: v }), expected: { prop: 'shipping.parser', value: { format: v }, stage: 'build' } })),
    },
    {
      what: 'parser.regex without a named group, or on two lines',
      applies: agent,
      corrupt: (s) => fc.constantFrom('^(.*)$', '', '^(?<a>.*)\n$').map((v) => ({ spec: setIn(s, [...S, 'parser'], LogParser.regex({ regex: v })), expected: { prop: 'shipping.parser.regex', value: v, stage: 'build' } })),
    },
    {
      what: 'parser.timeFormat without timeKey',
      applies: agent,
      corrupt: (s) => fc.constant({ spec: setIn(s, [...S, 'parser'], LogParser.json({ timeFormat: '%s' })), expected: { prop: 'shipping.parser.timeFormat', value: '%s', stage: 'build' } }),
    },
    {
      what: 'parser.types of no group',
      applies: agent,
      corrupt: (s) => fc.constant({ spec: setIn(s, [...S, 'parser'], LogParser.regex({ regex: '^(?<msg>.*)$', types: { other: ParserFieldType.INTEGER } })), expected: { prop: 'shipping.parser.types', value: 'other', stage: 'build' } }),
    },
    {
      what: 'output.type',
      applies: agent,
      corrupt: (s) => fc.constantFrom('kafka', '', 'Stdout').map((v) => ({ spec: setIn(s, [...S, 'output'], { type: v }), expected: { prop: 'shipping.output', value: { type: v }, stage: 'build' } })),
    },
    {
      what: 'output.host',
      applies: agent,
      corrupt: (s) => fc.tuple(fc.constantFrom('forward', 'elasticsearch'), fc.constantFrom('', 'Bad_Host', '300.1.1.1', 'a..b', 'http://x')).map(([type, v]) => ({
        spec: setIn(s, [...S, 'output'], type === 'forward' ? LogOutput.forward({ host: v }) : LogOutput.elasticsearch({ host: v })), expected: { prop: 'shipping.output.host', value: v, stage: 'build' },
      })),
    },
    {
      what: 'output.port',
      applies: agent,
      corrupt: (s) => bad('port').map((v) => ({ spec: setIn(s, [...S, 'output'], LogOutput.forward({ host: 'fluentd', port: v })), expected: { prop: 'shipping.output.port', value: v, stage: 'build' } })),
    },
    {
      what: 'output.index',
      applies: agent,
      corrupt: (s) => fc.constantFrom('Upper', '_x', '', 'a b').map((v) => ({ spec: setIn(s, [...S, 'output'], LogOutput.elasticsearch({ host: 'es', index: v })), expected: { prop: 'shipping.output.index', value: v, stage: 'build' } })),
    },
    {
      what: 'shipping interval out of range',
      applies: agent,
      corrupt: (s) => fc.tuple(fc.constantFrom('flushInterval', 'refreshInterval'), fc.constantFrom(0, 0.25, 1.5, 3601)).map(([name, sec]) => ({
        spec: setIn(s, [...S, name], sec), expected: { prop: `shipping.${name}`, value: `${sec}s`, stage: 'build' as const },
      })),
    },
    option('shipping.tagPrefix', 'tagPrefix', fc.constantFrom('', 'a.b', 'a b', 't'.repeat(33)), agent),
    {
      what: 'appContainerName not in the workload',
      corrupt: (s) => fc.constant(`${s.workload.appName.slice(0, 60)}-no`).map((v) => ({ spec: { ...s, appRef: 'only' as const, props: { ...s.props, appContainerName: v } }, expected: { prop: 'appContainerName', value: v, stage: 'build' } })),
    },
    {
      what: 'appContainerName',
      corrupt: (s) => bad('dnsLabel').map((v) => ({ spec: { ...s, appRef: 'only' as const, props: { ...s.props, appContainerName: v } }, expected: { prop: 'appContainerName', value: v, stage: 'build' } })),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });

  const example = () => fc.sample(specArb, { numRuns: 1, seed: FILE_SEED })[0];

  test('rejects bad shared helper props resources and securityContext when built (HELPER_PROPS_GAP)', () => {
    const base = example();
    for (const gap of HELPER_PROPS_GAP) {
      const spec = { ...base, helper: { ...base.helper, ...gap.helper } };
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, prop: gap.prop, value: gap.value, stage: 'build' });
    }
  });

  test('in agent mode, a volumeName equal to the agent\'s "<name>-config" volume is a props error, not a synth crash', () => {
    const base = example();
    const spec: Spec = { ...base, appRef: 'only', props: { shipping: { kind: 'agent' }, logDirectory: '/var/log/app', logFiles: ['access.log'], volumeName: 'fluent-bit-config' } };
    expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, prop: 'volumeName', value: 'fluent-bit-config', stage: 'build' });
  });
});
