import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import * as k8s from '../imports/k8s';
import {
  Adapter, DebugSidecar, hardenContainer, nginxExporterArgs, nginxStubStatusServerBlock, redisExporterArgs, HeaderDirection, HeaderRule, HttpCompatAdapter, JsonRule, LogSidecar, SharedVolumePod, synthToMemory, UrlRule, WarSidecarPod,
} from '../lib';
import { assertPropTypes, normalizePath, PropsError, show } from '../lib/_pod/rules';
import { errorOf } from './util/synth';
import { WORKLOAD_EXPECTED } from '../lib/_pod/workload';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const chart = () => new Chart(Testing.app(), 'chart');
const one = (extra: Record<string, unknown>) => ({ containers: [{ name: 'web', image: NGINX, mountPath: '/data', ...extra }] }) as any;
const svp = (props: unknown) => () => new SharedVolumePod(chart(), 'pod', props as any);
const P = '[chart/pod] invalid props:\n  ';

describe('props from callers without types', () => {
  test('fails when command is a string (it would be split into one word per character)', () => {
    expect(errorOf(svp(one({ command: 'nginx -g daemon off;' })))).toBe(`${P}containers[0].command: received "nginx -g daemon off;"; expected a list of strings`);
  });

  test('fails when ports or writablePaths is a string, not a TypeError', () => {
    expect(errorOf(svp(one({ ports: '8080' })))).toBe(`${P}containers[0].ports: received "8080"; expected a list of objects with number`);
    expect(errorOf(svp(one({ writablePaths: '/tmp' })))).toBe(`${P}containers[0].writablePaths: received "/tmp"; expected a list of strings`);
  });

  test('fails when metadata holds an object without a prototype (cdk8s cannot render one), not a TypeError at synth', () => {
    // GIVEN extra metadata whose value is an object made by Object.create(null) (a JSON.parse reviver, a dictionary)
    const junk = Object.create(null);
    const build = () => new WarSidecarPod(chart(), 'pod', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', metadata: { extra: junk } } as any);
    // THEN the props check names it; a plain object in its place passes that check
    expect(errorOf(build)).toBe(`${P}metadata.extra: received {}; expected JSON data (strings, finite numbers, booleans, null, lists and plain objects of them)`);
    expect(() => new WarSidecarPod(chart(), 'pod', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', metadata: { extra: {} } } as any)).not.toThrow();
  });

  test('fails when a list holds null, or a required prop is missing', () => {
    expect(errorOf(svp({ containers: [null] }))).toBe(`${P}containers[0]: received null; expected an object with name, image, mountPath`);
    expect(errorOf(svp({}))).toBe(`${P}containers: received undefined; expected a list of objects with name, image, mountPath (required)`);
    expect(errorOf(svp(undefined))).toBe(`${P}props: received undefined; expected an object with containers`);
    expect(errorOf(() => new WarSidecarPod(chart(), 'war', { artifactImage: 'resouer/sample:v2' } as any)))
      .toBe('[chart/war] invalid props:\n  artifactPath: received undefined; expected a string (required)');
  });

  test('fails when hardenContainer gets no workload, naming the function', () => {
    expect(errorOf(() => hardenContainer(undefined as any, 'app'))).toBe(`[hardenContainer] invalid props:\n  workload: received undefined; expected ${WORKLOAD_EXPECTED} (required)`);
  });

  test('reports NaN and Infinity as received (not as null)', () => {
    expect(errorOf(svp(one({ ports: [{ number: NaN }] })))).toBe(`${P}containers[0].ports[0].number: received NaN; expected a finite number`);
    expect(errorOf(svp({ ...one({}), securityContext: { runAsUser: Infinity } }))).toBe(`${P}securityContext.runAsUser: received Infinity; expected a finite number`);
    expect(show([1, NaN, -Infinity, undefined, { a: -0 }])).toBe('[1,NaN,-Infinity,undefined,{"a":0}]');
  });

  test('reports every wrong type of a construct together, nested paths included', () => {
    expect(errorOf(svp({ containers: [{ name: 7, image: NGINX, mountPath: '/d', env: { A: 1 } }], volumeName: ['x'] }))).toBe([
      '[chart/pod] invalid props:',
      '  containers[0].name: received 7; expected a string',
      '  containers[0].env["A"]: received 1; expected a string',
      '  volumeName: received ["x"]; expected a string',
    ].join('\n'));
  });

  test('GIVEN props with unknown keys THEN they are left alone (the shape checks the documented props only)', () => {
    expect(() => assertPropTypes('x', { a: 1, extra: { anything: true } }, { a: 'number' })).not.toThrow();
    expect(() => assertPropTypes('x', { a: '1' }, { a: 'number' })).toThrow(PropsError);
  });
});

describe('the shared helper props from callers without types', () => {
  const setup = () => {
    const c = chart();
    const w = new kplus.Deployment(c, 'web', { containers: [{ name: 'app', image: NGINX }] });
    return { c, w };
  };

  test('GIVEN any construct the workload resolver takes (cdk8s-plus 33, an L1 object) THEN the type check lets it through', () => {
    const c = chart();
    const plus33 = new kplus33.Deployment(c, 'p33', { containers: [{ name: 'app', image: NGINX }] });
    const l1 = new k8s.KubeDeployment(c, 'l1', { spec: { selector: { matchLabels: { app: 'l1' } }, template: { metadata: { labels: { app: 'l1' } }, spec: { containers: [{ name: 'app', image: NGINX }] } } } });
    for (const workload of [plus33, l1]) expect(() => new DebugSidecar(c, `debug-${workload.node.id}`, { workload })).not.toThrow();
    expect(() => hardenContainer(l1, 'app')).not.toThrow();
  });

  test('fails when the workload is a construct holding no workload, with the resolver\'s own detail (not a type error)', () => {
    const c = chart();
    const cm = new kplus.ConfigMap(c, 'cm');
    expect(errorOf(() => new DebugSidecar(c, 'debug', { workload: cm })))
      .toBe(`[chart/debug] invalid props:\n  workload: received "chart/cm"; expected ${WORKLOAD_EXPECTED} (chart/cm holds none)`);
  });

  test('fails when the workload is no construct at all (a plain object, a string), naming what is accepted', () => {
    expect(errorOf(() => new DebugSidecar(chart(), 'debug', { workload: 'web' } as any)))
      .toBe(`[chart/debug] invalid props:\n  workload: received "web"; expected ${WORKLOAD_EXPECTED}`);
  });

  test('fails when appContainer is a string (the name belongs in appContainerName) or appContainerName a number', () => {
    const { c, w } = setup();
    expect(errorOf(() => new DebugSidecar(c, 'debug', { workload: w, appContainer: 'app' } as any)))
      .toBe('[chart/debug] invalid props:\n  appContainer: received "app"; expected a container of the workload (an object with its name, such as a cdk8s-plus Container of any major)');
    expect(errorOf(() => new DebugSidecar(c, 'debug2', { workload: w, appContainerName: 7 } as any)))
      .toBe('[chart/debug2] invalid props:\n  appContainerName: received 7; expected a string');
  });

  test('fails when hardenContainer gets a container that is neither a name nor an object with one', () => {
    const { w } = setup();
    expect(errorOf(() => hardenContainer(w, 7 as any)))
      .toBe('[chart/web hardenContainer] invalid props:\n  container: received 7; expected a string or a container of the workload (an object with its name, such as a cdk8s-plus Container of any major)');
  });
});

describe('the Adapter\'s config helpers from callers without types', () => {
  test('fails when a port is a string or missing, instead of writing "listen 127.0.0.1:undefined"', () => {
    expect(errorOf(() => nginxStubStatusServerBlock({} as any)))
      .toBe('[nginxStubStatusServerBlock] invalid props:\n  port: received undefined; expected a finite number (required)');
    expect(errorOf(() => nginxExporterArgs({ statusPort: '8081' } as any)))
      .toBe('[nginxExporterArgs] invalid props:\n  statusPort: received "8081"; expected a finite number');
    expect(errorOf(() => redisExporterArgs({ path: 7 } as any))).toBe('[redisExporterArgs] invalid props:\n  path: received 7; expected a string');
    expect(redisExporterArgs()).toContain('--redis.addr=redis://localhost:6379');
  });

  test('fails when an Adapter\'s service is no construct, naming the cdk8s-plus Service it takes', () => {
    const c = chart();
    const workload = new kplus.Deployment(c, 'web', { containers: [{ name: 'app', image: NGINX }] });
    expect(errorOf(() => new Adapter(c, 'metrics', { workload, image: 'oliver006/redis_exporter:v1.45.0', port: 9121, service: 'svc' as any })))
      .toBe('[chart/metrics] invalid props:\n  service: received "svc"; expected a cdk8s-plus Service (of any major, 27 to 33)');
  });
});

describe('HttpCompatAdapter and its rule classes from callers without types', () => {
  const A = '[chart/compat] invalid props:\n  ';
  const adapt = (props: Record<string, unknown>) => () => {
    const c = chart();
    const workload = new kplus.Deployment(c, 'api', { containers: [{ name: 'app', image: NGINX }] });
    new HttpCompatAdapter(c, 'compat', { workload, port: 8080, appPort: 9080, ...props } as any);
  };

  test('fails when rules or headers is not a list, or port is a string', () => {
    expect(errorOf(adapt({ rules: UrlRule.prefix('/v1', '/v2'), port: '8080' }))).toBe([
      `${A}port: received "8080"; expected a finite number`,
      '  rules: received a UrlRule; expected a list of UrlRule (UrlRule.exact, UrlRule.prefix or UrlRule.regex)',
    ].join('\n'));
    expect(errorOf(adapt({ headers: 'X-A' }))).toBe(`${A}headers: received "X-A"; expected a list of HeaderRule (HeaderRule.rename, HeaderRule.set or HeaderRule.remove)`);
  });

  test('fails when a factory got junk (UrlRule.prefix(7, ...), HeaderRule.set(..., null), JsonRule.drop(undefined))', () => {
    expect(errorOf(adapt({
      rules: [UrlRule.prefix(7 as any, '/v2', { methods: 'GET' as any, requestBody: [JsonRule.drop(undefined as any)] })],
      headers: [HeaderRule.set(HeaderDirection.REQUEST, null as any, '1')],
    }))).toBe([
      `${A}rules[0].from: received 7; expected a string`,
      '  rules[0].options.methods: received "GET"; expected a list of strings',
      '  rules[0].options.requestBody[0].path: received undefined; expected a string (required)',
      '  headers[0].name: received null; expected a string',
    ].join('\n'));
  });

  test('fails when maxBodySize is a number of bytes, not a cdk8s Size', () => {
    expect(errorOf(adapt({ maxBodySize: 1024 }))).toBe(`${A}maxBodySize: received 1024; expected a cdk8s Size, e.g. Size.mebibytes(1)`);
    expect(() => adapt({ maxBodySize: Size.kibibytes(64) })()).not.toThrow();
  });

  test('GIVEN a Service of another library (cdk8s-plus 33) THEN the type check lets it through to the Service resolver', () => {
    const c = chart();
    const workload = new kplus.Deployment(c, 'api', { containers: [{ name: 'app', image: NGINX }] });
    const service = new kplus33.Service(c, 'svc', { ports: [{ port: 80, targetPort: 9080 }] });
    expect(() => new HttpCompatAdapter(c, 'compat', { workload, port: 8080, appPort: 9080, service })).not.toThrow();
    expect(errorOf(() => new HttpCompatAdapter(c, 'compat2', { workload, port: 8081, appPort: 9081, service: 'svc' as any })))
      .toMatch(/^\[chart\/compat2\] invalid props:\n {2}service: received "svc"; expected a Service: /);
  });
});

describe('paths compared as the kernel sees them', () => {
  test('normalizes "//", "/./" and a trailing "/"', () => {
    expect(normalizePath('/data/./html//')).toBe('/data/html');
    expect(normalizePath('/tmp/')).toBe('/tmp');
    expect(normalizePath('//')).toBe('/');
  });

  test('fails when two writable paths are one directory ("/tmp/" and "/tmp")', () => {
    expect(errorOf(svp(one({ writablePaths: ['/tmp/', '/tmp'] })))).toBe(`${P}containers[0].writablePaths[1]: received "/tmp"; expected a path not listed twice`);
  });

  test('fails when a writable path is the mount path written another way ("/data/./html//" and "/data/html")', () => {
    expect(errorOf(svp(one({ mountPath: '/data/./html//', writablePaths: ['/data/html'] }))))
      .toBe(`${P}containers[0].writablePaths: received ["/data/html"]; expected paths other than the container's mountPath "/data/./html//", where the shared volume is mounted`);
  });

  test('fails when "/" is a mount path, a writable path, a copy destination or a log directory', () => {
    const root = 'a directory other than "/" (a volume mounted over "/" would hide the container\'s whole filesystem)';
    expect(errorOf(svp(one({ mountPath: '/' })))).toBe(`${P}containers[0].mountPath: received "/"; expected ${root}`);
    expect(errorOf(svp(one({ writablePaths: ['//'] })))).toBe(`${P}containers[0].writablePaths[0]: received "//"; expected ${root}`);
    expect(errorOf(() => new WarSidecarPod(chart(), 'war', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', copyDestination: '/' })))
      .toBe(`[chart/war] invalid props:\n  copyDestination: received "/"; expected ${root}`);
    const c = chart();
    const w = new kplus.Deployment(c, 'web', { containers: [{ name: 'app', image: NGINX }] });
    expect(errorOf(() => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/./', logFiles: ['a.log'] })))
      .toContain(`logDirectory: received "/./"; expected ${root}`);
  });

  test('fails when a user\'s workload mounts two volumes at "/tmp/" and "/tmp" (the pod-wide check compares normalized paths)', () => {
    const app = new App();
    const c = new Chart(app, 'chart');
    const d = new kplus.Deployment(c, 'app', { containers: [{ name: 'a', image: NGINX, securityContext: { ensureNonRoot: false } }] });
    d.containers[0].mount('/tmp/', kplus.Volume.fromEmptyDir(c, 'v', 'one'));
    d.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(c, 'w', 'two'));
    expect(errorOf(() => synthToMemory(app))).toBe('Synthesis failed with 1 error:\n  [chart/app/Resource] containers[0].volumeMounts[1].mountPath: received "/tmp"; expected a mount path not used by another mount of the same container');
  });
});

describe('a user\'s own workload', () => {
  test('fails when it mounts a volume at "/" (the pod-wide check)', () => {
    const app = new App();
    const c = new Chart(app, 'chart');
    const d = new kplus.Deployment(c, 'app', { containers: [{ name: 'a', image: NGINX, securityContext: { ensureNonRoot: false } }] });
    d.containers[0].mount('/.', kplus.Volume.fromEmptyDir(c, 'v', 'one'));
    expect(errorOf(() => synthToMemory(app))).toBe('Synthesis failed with 1 error:\n  [chart/app/Resource] containers[0].volumeMounts[0].mountPath: received "/."; expected a mount path other than "/" (a volume over the container\'s root hides its whole filesystem)');
  });
});

describe('capabilities checked against the Linux list', () => {
  test('fails when a capability does not exist (SYS_PTRACEE), which would otherwise make the pod privileged', () => {
    expect(errorOf(svp(one({ securityContext: { addCapabilities: ['SYS_PTRACEE'] } }))))
      .toBe(`${P}containers[0].securityContext.addCapabilities[0]: received "SYS_PTRACEE"; expected a Linux capability (capabilities(7)): "ALL" or one of "AUDIT_CONTROL", "AUDIT_READ", ..., "WAKE_ALARM" (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")`);
  });

  test('GIVEN real capabilities THEN they are accepted', () => {
    expect(() => svp(one({ securityContext: { addCapabilities: ['SYS_PTRACE', 'NET_BIND_SERVICE', 'CHECKPOINT_RESTORE'] } }))()).not.toThrow();
  });
});
