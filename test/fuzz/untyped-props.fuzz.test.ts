/**
 * Callers without types (JavaScript, config files): random junk of every runtime type thrown at
 * each construct's props, at the top level and inside lists and nested objects. Whatever comes
 * in, the construct either builds (and then synthesizes or fails with a SynthError), or throws a
 * PropsError naming the path and the prop: never a TypeError, RangeError or anything else from the
 * library's internals.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import {
  Adapter, DebugSidecar, hardenContainer, HeaderDirection, HeaderRule, HttpCompatAdapter, JsonRule,
  kubectlDebugCommand, LogOutput, LogParser, LogShipping, LogSidecar, nginxExporterArgs,
  nginxStubStatusServerBlock, PodSecurityNamespace, ProxyAmbassador, ProxyBackend,
  redisExporterArgs, SharedVolumePod, synthToMemory, UrlAction, UrlRule, WarSidecarPod,
} from '../../lib';
import { PropsError } from '../../lib/_pod/rules';
import { SynthError } from '../../lib/synth';
import { fuzzParams } from './arbitraries';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';

/** Junk of every runtime type, and the near misses untyped callers send. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, -0, 0, -1, 1.5, 2 ** 53, '', ' ', 'x', '/', '/tmp/', '//', 'nginx -g daemon off;', '8080', 'true', [], [null], [undefined], [''], [1], [[]], {}, { a: 1 }, { number: '80' }, true, false) },
  { weight: 1, arbitrary: fc.constantFrom(() => 1, Symbol('s'), 10n, new Date(0), new Map(), /x/) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2, withBoxedValues: true, withNullPrototype: true, withObjectString: true }) },
);

/** Valid props with some props (top level or one level down) replaced by junk. */
function corrupt<T extends Record<string, unknown>>(base: T, keys: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const top = fc.dictionary(fc.constantFrom(...keys, 'unknownProp'), junk, { minKeys: 1, maxKeys: 3 });
  return fc.tuple(top, fc.boolean(), junk, fc.nat()).map(([over, nested, j, n]) => {
    const out: Record<string, unknown> = { ...base, ...over };
    // one level down: a junk item in a list prop, or a junk field of an object in a list
    if (nested) {
      const listKeys = Object.keys(out).filter((k) => Array.isArray(out[k]) && (out[k] as unknown[]).length > 0);
      if (listKeys.length > 0) {
        const k = listKeys[n % listKeys.length];
        const list = [...(out[k] as unknown[])];
        const item = list[0];
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          const fields = Object.keys(item);
          list[0] = { ...item, [fields[n % fields.length]]: j };
        } else list[0] = j;
        out[k] = list;
      }
    }
    return out;
  });
}

function chartWithWorkload(): { app: App; chart: Chart; workload: kplus.Deployment } {
  const app = new App();
  const chart = new Chart(app, 'chart');
  const workload = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: NGINX, portNumber: 8080 }] });
  return { app, chart, workload };
}

/** A workload whose app declares no port (an HttpCompatAdapter takes over the port clients use). */
function chartWithLoopbackApp(): { app: App; chart: Chart; workload: kplus.Deployment } {
  const app = new App();
  const chart = new Chart(app, 'chart');
  const workload = new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: NGINX }] });
  return { app, chart, workload };
}

const INTERNAL = ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'];

/** Builds with junk props; returns what happened; fails on an internal error. */
function attempt(build: (p: Record<string, unknown>) => App | undefined, props: Record<string, unknown>): 'built' | 'props' | 'synth' | 'other' {
  let app: App | undefined;
  try {
    app = build(props);
  } catch (e) {
    if (e instanceof PropsError) return 'props';
    const name = (e as Error)?.constructor?.name;
    if (INTERNAL.includes(name)) throw new Error(`an internal ${name} escaped for props ${String(Object.keys(props))}: ${(e as Error).message}`);
    throw new Error(`an error other than a PropsError (${name}) for props ${String(Object.keys(props))}: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!app) return 'built';
  try {
    synthToMemory(app);
    return 'built';
  } catch (e) {
    if (e instanceof SynthError) return 'synth';
    const name = (e as Error)?.constructor?.name;
    if (INTERNAL.includes(name)) throw new Error(`an internal ${name} escaped at synth: ${(e as Error).message}`);
    throw new Error(`an error other than a SynthError (${name}) at synth for props ${JSON.stringify(props)}: ${(e as Error)?.message ?? String(e)}`);
  }
}

const CASES: Array<[string, Record<string, unknown>, string[], (p: any) => App | undefined]> = [
  ['SharedVolumePod', { containers: [{ name: 'web', image: NGINX, mountPath: '/data', ports: [{ number: 8080 }], writablePaths: ['/tmp'], command: ['nginx'], env: { A: 'b' }, resources: { cpu: { request: kplus.Cpu.millis(100) } }, securityContext: { addCapabilities: ['NET_ADMIN'] } }] },
    ['containers', 'volumeName', 'emptyDirMedium', 'emptyDirSizeLimit', 'hostPath', 'hostPathType', 'metadata', 'restartPolicy', 'hardening', 'securityContext', 'labels'],
    (p) => { const app = new App(); new SharedVolumePod(new Chart(app, 'chart'), 'pod', p); return app; }],
  ['WarSidecarPod', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', writablePaths: ['/usr/local/tomcat/logs'], startCommand: ['catalina.sh', 'run'] },
    ['artifactImage', 'artifactPath', 'copyDestination', 'appImage', 'webappsPath', 'startCommand', 'containerPort', 'hostPort', 'writablePaths', 'appResources', 'appSecurityContext', 'artifactContainerName', 'appContainerName', 'metadata', 'hardening', 'labels'],
    (p) => { const app = new App(); new WarSidecarPod(new Chart(app, 'chart'), 'war', p); return app; }],
  ['LogSidecar', { logDirectory: '/var/log/app', logFiles: ['app.log'] },
    // with the removed props (mode ... rotatorImage), which untyped callers may still pass
    ['appContainer', 'appContainerName', 'logDirectory', 'logFiles', 'shipping', 'name', 'volumeName', 'volumeSizeLimit', 'rotation', 'mode', 'streamerImage', 'agentImage', 'parser', 'output', 'tagPrefix', 'rotatorImage', 'nativeSidecar', 'hardening', 'resources', 'securityContext', 'labels', 'workload'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); new LogSidecar(chart, 'logs', { workload, ...p }); return app; }],
  // the shipping factories called with junk options (what an untyped caller stores in a LogShipping)
  ['LogShipping.fluentBit options', { image: 'fluent/fluent-bit:3.2.10', parser: LogParser.json(), output: LogOutput.stdout(), tagPrefix: 'app', flushInterval: Duration.seconds(2) },
    ['image', 'parser', 'output', 'tagPrefix', 'flushInterval', 'refreshInterval'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); new LogSidecar(chart, 'logs', { workload, logDirectory: '/var/log/app', logFiles: ['app.log'], shipping: LogShipping.fluentBit(p) }); return app; }],
  ['LogShipping.streaming options', { image: 'busybox:1.36.1' }, ['image'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); new LogSidecar(chart, 'logs', { workload, logDirectory: '/var/log/app', logFiles: ['app.log'], shipping: LogShipping.streaming(p) }); return app; }],
  ['ProxyAmbassador', { upstreams: ['redis:6379', { host: 'b', port: 6380 }], listenPort: 6379 },
    // `kind`, `mode`, `connectTimeoutMs`: props removed in favour of `backend`, which untyped callers may still pass
    ['backend', 'kind', 'upstreams', 'listenPort', 'bindAddress', 'app', 'appContainerName', 'envVar', 'name', 'image', 'command', 'mode', 'connectTimeoutMs', 'nativeSidecar', 'resources', 'workload'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); new ProxyAmbassador(chart, 'proxy', { workload, ...p }); return app; }],
  // the backend factories called with junk options (what an untyped caller stores in a ProxyBackend)
  ['ProxyBackend.haproxy options', { mode: 'http', balance: 'first', maxConnections: 64, connectTimeout: Duration.seconds(2), upstreamTls: true, hostHeader: 'api.example.com', healthCheckPath: '/h', healthCheck: 'tcp' },
    ['mode', 'balance', 'maxConnections', 'connectTimeout', 'clientTimeout', 'serverTimeout', 'upstreamTls', 'resolveAtRuntime', 'healthCheck', 'hostHeader', 'healthCheckPath', 'healthPort'],
    (p) => {
      const { app, chart, workload } = chartWithWorkload();
      new ProxyAmbassador(chart, 'proxy', { workload, backend: ProxyBackend.haproxy(p as any), listenPort: 6379, upstreams: ['api.example.com:443'] });
      return app;
    }],
  ['ProxyBackend.twemproxy options', { redis: false, hash: 'md5', distribution: 'modula', autoEjectHosts: true, serverRetryTimeout: Duration.seconds(3), serverFailureLimit: 3, timeout: Duration.millis(500), statsPort: 22223 },
    ['redis', 'hash', 'distribution', 'autoEjectHosts', 'serverRetryTimeout', 'serverFailureLimit', 'timeout', 'statsPort'],
    (p) => {
      const { app, chart, workload } = chartWithWorkload();
      new ProxyAmbassador(chart, 'proxy', { workload, backend: ProxyBackend.twemproxy(p as any), image: 'registry.example.com/twemproxy:0.5.0', upstreams: ['redis-0.cache:6379'] });
      return app;
    }],
  ['Adapter', { image: 'oliver006/redis_exporter:v1.45.0', port: 9121, args: ['--x'], env: { A: 'b' } },
    ['image', 'command', 'args', 'port', 'startupProbe', 'name', 'env', 'portName', 'path', 'service', 'servicePort', 'prometheusAnnotations', 'appContainer', 'appContainerName', 'nativeSidecar', 'resources', 'workload'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); new Adapter(chart, 'metrics', { workload, ...p }); return app; }],
  ['Adapter.nginxExporter', { statusPort: 8081 }, ['image', 'port', 'statusPort', 'statusPath', 'connectRetries', 'path', 'env', 'workload'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); Adapter.nginxExporter(chart, 'metrics', { workload, ...p }); return app; }],
  ['Adapter.redisExporter', { redisPort: 6379 }, ['image', 'port', 'redisPort', 'path', 'service', 'workload'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); Adapter.redisExporter(chart, 'metrics', { workload, ...p }); return app; }],
  ['DebugSidecar', { addCapabilities: ['SYS_PTRACE'], command: ['sleep', 'infinity'] }, ['targetContainer', 'targetContainerName', 'appContainer', 'appContainerName', 'name', 'image', 'command', 'addCapabilities', 'nativeSidecar', 'securityContext', 'workload'],
    (p) => { const { app, chart, workload } = chartWithWorkload(); new DebugSidecar(chart, 'debug', { workload, ...p }); return app; }],
  ['PodSecurityNamespace', { name: 'team', enforce: 'baseline' }, ['name', 'enforce', 'audit', 'warn', 'version', 'labels'],
    (p) => { const app = new App(); new PodSecurityNamespace(new Chart(app, 'chart'), 'ns', p); return app; }],
  ['hardenContainer', { container: 'app', options: { runAsUser: 1000, addCapabilities: ['NET_BIND_SERVICE'] } }, ['container', 'options', 'workload'],
    (p) => { const { app, workload } = chartWithWorkload(); hardenContainer('workload' in p ? p.workload : workload, p.container, p.options); return app; }],
  ['HttpCompatAdapter', {
    port: 8080, appPort: 9080, appPaths: ['/v2'], maxBodySize: Size.mebibytes(1), unmatched: 'pass-through',
    rules: [UrlRule.prefix('/v1', '/v2', { requestBody: [JsonRule.drop('x')] }), UrlRule.regex('^/old/([0-9]+)$', '/v2/$1', { action: UrlAction.REDIRECT_308 })],
    headers: [HeaderRule.set(HeaderDirection.RESPONSE, 'X-A', '1')],
  }, ['port', 'appPort', 'rules', 'headers', 'unmatched', 'appPaths', 'maxBodySize', 'service', 'name', 'image', 'appContainer', 'appContainerName', 'nativeSidecar', 'resources', 'workload'],
  (p) => { const { app, chart, workload } = chartWithLoopbackApp(); new HttpCompatAdapter(chart, 'compat', { workload, ...p }); return app; }],
  // the rule classes' factories called with junk (what an untyped caller stores in a rule)
  ['HttpCompatAdapter rule factories', { from: '/v1', to: '/v2', options: { methods: ['GET'], responseBody: [JsonRule.rename('a', 'b')] }, header: 'X-A', value: '1', path: 'a.b', json: 1 },
    ['from', 'to', 'options', 'header', 'value', 'path', 'json'],
    (p) => {
      const { app, chart, workload } = chartWithLoopbackApp();
      new HttpCompatAdapter(chart, 'compat', {
        workload, port: 8080, appPort: 9080,
        rules: [UrlRule.prefix(p.from, p.to, p.options), UrlRule.exact('/s', '/v2/s', { requestBody: [JsonRule.setDefault(p.path, p.json), JsonRule.move(p.path, 'c')] })],
        headers: [HeaderRule.set(HeaderDirection.REQUEST, p.header, p.value), HeaderRule.rename(HeaderDirection.RESPONSE, 'X-B', p.header)],
      });
      return app;
    }],
  ['nginxStubStatusServerBlock', { port: 8081, path: '/stub_status' }, ['port', 'path'], (p) => { nginxStubStatusServerBlock(p); return undefined; }],
  ['nginxExporterArgs', { statusPort: 8081, port: 9113, connectRetries: 3 }, ['statusPort', 'statusPath', 'port', 'path', 'connectRetries'], (p) => { nginxExporterArgs(p); return undefined; }],
  ['redisExporterArgs', { redisPort: 6379, port: 9121, path: '/metrics' }, ['redisPort', 'port', 'path'], (p) => { redisExporterArgs(p); return undefined; }],
  ['kubectlDebugCommand', { pod: 'web-0', target: 'app', command: ['sh'] }, ['pod', 'target', 'image', 'namespace', 'container', 'profile', 'command'],
    (p) => { kubectlDebugCommand(p as any); return undefined; }],
];

describe('untyped callers: junk props never escape as a TypeError', () => {
  test.each(CASES)('GIVEN %s with random junk props THEN it builds or fails with a props or synth error, never an internal one', (_name, base, keys, build) => {
    // the valid base builds (so the junk is what is tested)
    expect(attempt(build, base)).toBe('built');
    const seen = { built: 0, props: 0, synth: 0, other: 0 };
    fc.assert(fc.property(corrupt(base, keys), (props) => {
      seen[attempt(build, props)]++;
    }), fuzzParams(30));
    // THEN most junk was caught as a props error (the type checks, not luck)
    expect(seen.props).toBeGreaterThan(seen.built + seen.other);
    expect(seen.other).toBe(0);
  });

  test('GIVEN junk for the whole props object THEN each construct says props is not an object', () => {
    for (const junkProps of [undefined, null, 'x', 3, []]) {
      const app = new App();
      expect(() => new SharedVolumePod(new Chart(app, 'chart'), 'pod', junkProps as any)).toThrow(PropsError);
    }
  });
});
