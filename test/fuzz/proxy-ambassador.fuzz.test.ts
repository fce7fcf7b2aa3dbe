import { isIPv6 } from 'net';
import fc from 'fast-check';
import { Duration } from 'cdk8s';
import { HaproxyBalance, HaproxyMode, ProxyAmbassador, ProxyBackend, ProxyKind, TwemproxyDistribution, TwemproxyHash } from '../../lib';
import {
  argv, bad, buildHelperBase, charOf, Corruptor, corrupted, deepFreeze, dnsLabel, envName, expectHelperPod, expectRejected,
  expectValidSynth, FILE_SEED, fuzzParams, HELPER_PROPS_GAP, HelperBase, helperBase, helperCorruptors, pinnedImage, port,
  runsToCompletion, setField, setIn, stringOf, unprivilegedPort, workloadPath,
} from './arbitraries';

/**
 * A ProxyAmbassador to build: its own props (plain data: `backendKind` and `options` become the
 * `backend`, durations given in milliseconds) and how the app container is given.
 */
interface Spec extends HelperBase {
  readonly props: Record<string, any>;
  readonly appRef: 'only' | 'name' | 'container';
}

/** Each backend's options that are Durations (the spec holds them as milliseconds). */
const DURATIONS: Record<ProxyKind, string[]> = {
  [ProxyKind.TWEMPROXY]: ['serverRetryTimeout', 'timeout'],
  [ProxyKind.HAPROXY]: ['connectTimeout', 'clientTimeout', 'serverTimeout'],
};
/** The flat props of before `backend`, which an untyped caller may still pass. */
const REMOVED = ['kind', 'redis', 'hash', 'timeoutMs', 'statsPort', 'mode', 'balance', 'connectTimeoutMs', 'upstreamTls', 'healthPort'];

/** A DNS name as upstreams take it: labels of letters, digits and "-", an optional final ".", a last label not all digits. */
const dnsName = () => fc.tuple(
  fc.array(fc.tuple(charOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), stringOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-', 0, 10), charOf('abcdefghijklmnopqrstuvwxyz0123456789'))
    .map(([a, m, z]) => `${a}${m}${z}`), { minLength: 1, maxLength: 4 }),
  fc.boolean(),
).map(([labels, dot]) => `${labels.join('.')}${dot ? '.' : ''}`)
  .filter((n) => !/^\d+$/.test(n.replace(/\.$/, '').split('.').pop()!));
const upstreamHost = () => fc.oneof({ weight: 3, arbitrary: dnsName() }, { weight: 1, arbitrary: fc.ipV4() }, { weight: 1, arbitrary: fc.ipV6() });
const hostPort = (host: string, p: number) => (isIPv6(host) ? `[${host}]:${p}` : `${host}:${p}`);
const millis = () => fc.integer({ min: 1, max: 2 ** 31 - 1 });
const httpPath = () => stringOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%:@!&*+,=?', 0, 16).map((p) => `/${p}`);

/** One upstream: "host:port" or { host, port, name?, weight? (twemproxy only) }. */
function upstream(twem: boolean) {
  return fc.oneof(
    fc.tuple(upstreamHost(), port()).map(([h, p]) => hostPort(h, p)),
    fc.record({ host: upstreamHost(), port: port(), name: dnsLabel(), ...(twem ? { weight: fc.integer({ min: 1, max: 1000000 }) } : {}) }, { requiredKeys: ['host', 'port'] }),
  );
}

/** The address key and resolved name of each upstream. */
function upstreamKeys(twem: boolean, list: ReadonlyArray<string | Record<string, any>>) {
  return list.map((u, i) => {
    const [host, p] = typeof u === 'string' ? (/^\[(.+)\]:(\d+)$/.exec(u) ?? /^([^:]+):(\d+)$/.exec(u))!.slice(1) : [u.host, String(u.port)];
    return { address: `${host.toLowerCase().replace(/\.$/, '')}:${p}`, name: (typeof u === 'string' ? undefined : u.name) ?? `${twem ? 'shard' : 'upstream'}-${i + 1}`, host };
  });
}

const commonProps = (twem: boolean) => ({
  upstreams: fc.array(upstream(twem), { minLength: 1, maxLength: 4 }),
  listenPort: unprivilegedPort(),
  bindAddress: fc.oneof(fc.constantFrom('127.0.0.1', '0.0.0.0'), fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => `127.${p.join('.')}`), fc.ipV4()),
  envVar: envName(),
  // at most 56 characters: its "<name>-config" volume name must stay a DNS label (a props error, tested below)
  name: dnsLabel(56),
  command: argv(1).filter((a) => a.every((w) => w.length > 0)),
});

const twemproxyProps = fc.record({
  ...commonProps(true),
  backendKind: fc.constant(ProxyKind.TWEMPROXY),
  image: pinnedImage(),
  options: fc.record({
    redis: fc.boolean(),
    hash: fc.constantFrom(...Object.values(TwemproxyHash)),
    distribution: fc.constantFrom(...Object.values(TwemproxyDistribution)),
    autoEjectHosts: fc.boolean(),
    serverRetryTimeout: millis(),
    serverFailureLimit: fc.integer({ min: 1, max: 1000 }),
    timeout: millis(),
    statsPort: unprivilegedPort(),
  }, { requiredKeys: [] }),
}, { requiredKeys: ['backendKind', 'upstreams', 'image', 'options'] });

const haproxyProps = fc.record({
  ...commonProps(false),
  backendKind: fc.constant(ProxyKind.HAPROXY),
  image: pinnedImage(),
  options: fc.record({
    mode: fc.constantFrom(...Object.values(HaproxyMode)),
    balance: fc.constantFrom(...Object.values(HaproxyBalance)),
    maxConnections: fc.integer({ min: 1, max: 1000000 }),
    connectTimeout: millis(),
    clientTimeout: millis(),
    serverTimeout: millis(),
    upstreamTls: fc.boolean(),
    hostHeader: fc.tuple(dnsName(), fc.option(port(), { nil: undefined })).map(([h, p]) => (p === undefined ? h : `${h}:${p}`)),
    healthCheckPath: httpPath(),
    healthPort: unprivilegedPort(),
  }, { requiredKeys: [] }),
}, { requiredKeys: ['backendKind', 'upstreams', 'listenPort', 'options'] });

/** The resolved proxy: its container name, bind address, the ports it listens on in the pod, and its upstreams. */
function resolved(s: Spec) {
  const p = s.props;
  const o = p.options;
  const twem = p.backendKind === ProxyKind.TWEMPROXY;
  const bind = p.bindAddress ?? '127.0.0.1';
  const loopback = bind.startsWith('127.');
  const listenPort: number = p.listenPort ?? (twem ? ((o.redis ?? true) ? 6379 : 11211) : undefined);
  const useHealth = !twem && !!s.helper.nativeSidecar && loopback;
  const ports = [listenPort, ...(twem ? [o.statsPort ?? 22222] : []), ...(useHealth ? [o.healthPort ?? 8404] : [])];
  return { twem, name: p.name ?? (twem ? 'twemproxy' : 'haproxy'), loopback, listenPort, useHealth, ports, upstreams: upstreamKeys(twem, p.upstreams) };
}

/**
 * As documented: HTTP-only options in HTTP mode; TLS only to upstreams named by DNS names; a
 * health port only for a native sidecar bound to loopback (generated options that do not fit are
 * left out).
 */
function fit(s: Spec): Spec {
  if (s.props.backendKind !== ProxyKind.HAPROXY) return s;
  const options = { ...s.props.options };
  const props = { ...s.props, options };
  if (options.mode !== 'http') {
    delete options.hostHeader;
    delete options.healthCheckPath;
  }
  if (options.upstreamTls && upstreamKeys(false, s.props.upstreams).some((u) => !isDnsHost(u.host))) delete options.upstreamTls;
  const spec = { ...s, props };
  if (!resolved(spec).useHealth) delete options.healthPort;
  return spec;
}

/** Whether an upstream host is a DNS name (not an IPv4 or IPv6 address). */
const isDnsHost = (h: string) => !h.includes(':') && !/^[\d.]+$/.test(h);

/**
 * As documented: upstream addresses and names are unique, the proxy's ports and name are its own
 * in the pod.
 */
function consistent(s: Spec): boolean {
  const r = resolved(s);
  if (new Set(r.upstreams.map((u) => u.address)).size !== r.upstreams.length) return false;
  if (new Set(r.upstreams.map((u) => u.name)).size !== r.upstreams.length) return false;
  if (new Set(r.ports).size !== r.ports.length || r.ports.includes(s.workload.appPort!)) return false;
  return r.name !== s.workload.appName;
}

const specArb: fc.Arbitrary<Spec> = helperBase({ nativeForCompletion: true })
  .chain((b) => fc.record({ props: fc.oneof(twemproxyProps, haproxyProps), appRef: fc.constantFrom<Spec['appRef']>('only', 'name', 'container') }).map((x) => fit({ ...b, ...x })))
  .filter(consistent);

function build(s: Spec) {
  const { app, chart, workload, appContainer } = buildHelperBase(s);
  const ref = s.appRef === 'name' ? { appContainerName: s.workload.appName } : s.appRef === 'container' ? { app: appContainer } : {};
  const { backendKind: kind, options, ...props } = s.props;
  // durations in milliseconds become Durations; junk stays junk (what an untyped caller passes)
  const opts = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, DURATIONS[kind as ProxyKind].includes(k) && typeof v === 'number' ? Duration.millis(v) : v]));
  const backend = kind === ProxyKind.TWEMPROXY ? ProxyBackend.twemproxy(opts) : ProxyBackend.haproxy(opts);
  new ProxyAmbassador(chart, s.id, { ...(props as any), backend, ...s.helper, ...ref, workload });
  return app;
}

describe('ProxyAmbassador (property-based)', () => {
  test('random valid props on any workload synthesize to schema-valid, Pod-Security-conforming, deterministic YAML', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { pods, objects } = expectValidSynth(() => build(spec));
      // THEN the proxy sits in the workload's pod, declaring what it needs
      const r = resolved(spec);
      const pod = expectHelperPod(spec, pods, [r.name]);
      const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
      const proxy = all.find((c: any) => c.name === r.name);
      expect(proxy.ports.map((x: any) => x.containerPort)).toEqual(r.ports);
      // AND the app is told where to reach it
      const envVar = spec.props.envVar ?? (r.twem ? ((spec.props.options.redis ?? true) ? 'REDIS_ADDR' : 'MEMCACHED_ADDR') : 'UPSTREAM_ADDR');
      const app = all.find((c: any) => c.name === spec.workload.appName);
      expect(app.env).toContainEqual({ name: envVar, value: `${r.loopback ? (spec.props.bindAddress ?? '127.0.0.1') : '127.0.0.1'}:${r.listenPort}` });
      // AND its configuration names every upstream
      const config: string = Object.values(objects.find((o) => o.manifest.kind === 'ConfigMap')!.manifest.data as Record<string, string>)[0];
      for (const u of r.upstreams) expect(config).toContain(u.name);
    }), fuzzParams(3));
  });

  const P = 'props';
  const twem = (s: Spec) => s.props.backendKind === ProxyKind.TWEMPROXY;
  const haproxy = (s: Spec) => s.props.backendKind === ProxyKind.HAPROXY;
  const http = (s: Spec) => haproxy(s) && s.props.options.mode === 'http';
  const O = [P, 'options'];
  /** A backend option set to a bad value: named `backend.<option>`. */
  const option = (k: string, values: fc.Arbitrary<unknown>, applies: (s: Spec) => boolean) => setField<Spec>(k, [...O, k], `backend.${k}`, values, applies);
  /** A duration option set to a bad number of milliseconds: named with the milliseconds it has. */
  const duration = (k: string, applies: (s: Spec) => boolean): Corruptor<Spec> => ({
    what: k, applies, corrupt: (s) => fc.constantFrom(0, 1.5, 2 ** 31).map((v) => ({ spec: setIn(s, [...O, k], v), expected: { prop: `backend.${k}`, value: `${v} ms`, stage: 'build' as const } })),
  });
  const lastUpstream = (s: Spec) => s.props.upstreams.length;
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    ...helperCorruptors<Spec>(),
    {
      what: 'a removed flat prop (an untyped caller of the API before `backend`)',
      corrupt: (s) => fc.constantFrom(...REMOVED).map((k) => ({ spec: setIn(s, [P, k], 1), expected: { prop: k, value: 1, stage: 'build' } })),
    },
    {
      what: 'an option of the other backend (an untyped caller)',
      corrupt: (s) => fc.constantFrom(...(twem(s) ? ['mode', 'balance', 'connectTimeout', 'healthPort'] : ['hash', 'redis', 'timeout', 'statsPort'])).map((k) => ({
        spec: setIn(s, [...O, k], 1), expected: { prop: `backend.${k}`, value: 1, stage: 'build' },
      })),
    },
    setField<Spec>('name', [P, 'name'], 'name', bad('dnsLabel')),
    { what: 'name of the app container', corrupt: (s) => fc.constant({ spec: setIn(s, [P, 'name'], s.workload.appName), expected: { prop: 'name', value: s.workload.appName, stage: 'build' } }) },
    setField<Spec>('image', [P, 'image'], 'image', bad('image')),
    { what: 'twemproxy without image', applies: twem, corrupt: (s) => fc.constant({ spec: { ...s, props: { ...s.props, image: undefined } }, expected: { prop: 'image', value: undefined, stage: 'build' } }) },
    setField<Spec>('command', [P, 'command'], 'command', fc.constantFrom([], [''], 'nutcracker')),
    setField<Spec>('upstreams empty', [P, 'upstreams'], 'upstreams', bad('nonEmptyList')),
    { what: 'upstream without port', corrupt: (s) => fc.constantFrom('redis', 'a:b', '[::1]', ':6379', '').map((v) => ({ spec: setIn(s, [P, 'upstreams', lastUpstream(s)], v), expected: { prop: `upstreams[${lastUpstream(s)}]`, value: v, stage: 'build' } })) },
    { what: 'upstream host', corrupt: (s) => fc.constantFrom('-bad', 'under_score', 'a..b', '10.0.0.300', 'sp ace', 'x'.repeat(64)).map((v) => ({ spec: setIn(s, [P, 'upstreams', lastUpstream(s)], { host: v, port: 1 }), expected: { prop: `upstreams[${lastUpstream(s)}].host`, value: v, stage: 'build' } })) },
    { what: 'upstream port', corrupt: (s) => bad('port').map((v) => ({ spec: setIn(s, [P, 'upstreams', lastUpstream(s)], { host: 'fuzz.example.com', port: v }), expected: { prop: `upstreams[${lastUpstream(s)}].port`, value: v, stage: 'build' } })) },
    { what: 'upstream name', corrupt: (s) => bad('dnsLabel').map((v) => ({ spec: setIn(s, [P, 'upstreams', lastUpstream(s)], { host: 'fuzz.example.com', port: 1, name: v }), expected: { prop: `upstreams[${lastUpstream(s)}].name`, value: v, stage: 'build' } })) },
    {
      what: 'upstream weight',
      corrupt: (s) => fc.constantFrom(0, 1.5, 1000001).map((v) => ({
        spec: setIn(s, [P, 'upstreams', lastUpstream(s)], { host: 'fuzz.example.com', port: 1, weight: v }), expected: { prop: `upstreams[${lastUpstream(s)}].weight`, value: v, stage: 'build' },
      })),
    },
    {
      what: 'upstream listed twice',
      corrupt: (s) => {
        const first = s.props.upstreams[0];
        const again = typeof first === 'string' ? first : { host: first.host, port: first.port, name: 'fuzz-again' };
        return fc.constant({ spec: setIn(s, [P, 'upstreams', lastUpstream(s)], again), expected: { prop: `upstreams[${lastUpstream(s)}]`, value: typeof again === 'string' ? again : { host: again.host, port: again.port }, stage: 'build' } });
      },
    },
    {
      what: 'upstream name twice',
      corrupt: (s) => {
        const name = resolved(s).upstreams[0].name;
        return fc.constant({ spec: setIn(s, [P, 'upstreams', lastUpstream(s)], { host: 'fuzz-other.example.com', port: 1, name }), expected: { prop: `upstreams[${lastUpstream(s)}].name`, value: name, stage: 'build' } });
      },
    },
    setField<Spec>('bindAddress', [P, 'bindAddress'], 'bindAddress', fc.constantFrom('localhost', '::1', '256.0.0.1', '', '127.0.0')),
    setField<Spec>('listenPort', [P, 'listenPort'], 'listenPort', fc.constantFrom(0, 80, 1023, 65536, 1.5, -1)),
    { what: 'HAProxy without listenPort', applies: haproxy, corrupt: (s) => fc.constant({ spec: { ...s, props: { ...s.props, listenPort: undefined } }, expected: { prop: 'listenPort', value: undefined, stage: 'build' } }) },
    option('statsPort', fc.constantFrom(0, 80, 65536, 1.5), twem),
    { what: 'statsPort of the proxy', applies: twem, corrupt: (s) => fc.constant(resolved(s).listenPort).map((v) => ({ spec: setIn(s, [...O, 'statsPort'], v), expected: { prop: 'backend.statsPort', value: v, stage: 'build' } })) },
    { ...option('healthPort', unprivilegedPort(), (s) => haproxy(s) && !resolved(s).useHealth), what: 'healthPort without a native sidecar on loopback' },
    { what: 'healthPort of the proxy', applies: (s) => haproxy(s) && resolved(s).useHealth, corrupt: (s) => fc.constant(resolved(s).listenPort).map((v) => ({ spec: setIn(s, [...O, 'healthPort'], v), expected: { prop: 'backend.healthPort', value: v, stage: 'build' } })) },
    setField<Spec>('envVar', [P, 'envVar'], 'envVar', bad('envName')),
    {
      what: 'appContainerName not in the workload',
      corrupt: (s) => fc.constant(`${s.workload.appName.slice(0, 60)}-no`).map((v) => ({ spec: { ...s, appRef: 'only' as const, props: { ...s.props, appContainerName: v } }, expected: { prop: 'appContainerName', value: v, stage: 'build' } })),
    },
    {
      what: 'regular sidecar on a workload that runs to completion',
      applies: (s) => runsToCompletion(s.workload),
      corrupt: (s) => fc.constant({ spec: setIn(s, ['helper', 'nativeSidecar'], false), expected: { prop: 'nativeSidecar', value: false, stage: 'build' } }),
    },
    option('redis', fc.constantFrom('yes', 1), twem),
    option('hash', fc.constantFrom('sha1', 'FNV1A_64', ''), twem),
    option('distribution', fc.constantFrom('consistent', ''), twem),
    option('autoEjectHosts', fc.constantFrom('no', 0), twem),
    duration('serverRetryTimeout', twem),
    option('serverFailureLimit', fc.constantFrom(0, 1001, 1.5), twem),
    duration('timeout', twem),
    option('mode', fc.constantFrom('udp', 'HTTP', ''), haproxy),
    option('balance', fc.constantFrom('random', 'source', ''), haproxy),
    option('maxConnections', fc.constantFrom(0, 1000001, 1.5), haproxy),
    ...['connectTimeout', 'clientTimeout', 'serverTimeout'].map((k) => duration(k, haproxy)),
    option('upstreamTls', fc.constantFrom('yes', 1), haproxy),
    {
      what: 'upstreamTls to an address',
      applies: haproxy,
      corrupt: (s) => fc.constant({ spec: { ...s, props: { ...s.props, options: { ...s.props.options, upstreamTls: true }, upstreams: [...s.props.upstreams, '10.1.2.3:9999'] } }, expected: { prop: 'backend.upstreamTls', value: true, stage: 'build' } }),
    },
    { ...option('hostHeader', fc.constant('api.example.com'), (s) => haproxy(s) && !http(s)), what: 'hostHeader outside HTTP mode' },
    option('hostHeader', fc.constantFrom('', 'a b', 'http://x', 'x:99999', '-x'), http),
    { ...option('healthCheckPath', fc.constant('/healthz'), (s) => haproxy(s) && !http(s)), what: 'healthCheckPath outside HTTP mode' },
    option('healthCheckPath', fc.constantFrom('', 'healthz', '/a b', '/"q"'), http),
    {
      what: 'listenPort of the app (a pod-wide conflict: named by the workload at synth)',
      applies: (s) => s.workload.appPort !== undefined && s.workload.appPort >= 1024,
      corrupt: (s) => fc.constant(s.workload.appPort!).map((v) => ({
        spec: setIn(s, [P, 'listenPort'], v),
        expected: { prop: s.helper.nativeSidecar ? 'containers[0].ports[0].containerPort' : 'containers[1].ports[0].containerPort', value: v, stage: 'synth', path: workloadPath(s) },
      })),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });

  test('a 62-character name, whose "<name>-config" volume cdk8s-plus cuts to "<name>-", is a props error naming name, not a pod-wide error at synth', () => {
    const base = fc.sample(specArb, { numRuns: 1, seed: FILE_SEED })[0];
    const name = 'a'.repeat(62);
    const spec: Spec = { ...base, props: { ...base.props, name } };
    expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, prop: 'name', value: name, stage: 'build' });
  });

  test('rejects bad shared helper props resources and securityContext when built (HELPER_PROPS_GAP)', () => {
    const base = fc.sample(specArb, { numRuns: 1, seed: FILE_SEED })[0];
    for (const gap of HELPER_PROPS_GAP) {
      const spec = { ...base, helper: { ...base.helper, ...gap.helper } };
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, prop: gap.prop, value: gap.value, stage: 'build' });
    }
  });
});
