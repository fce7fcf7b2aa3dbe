/**
 * The HttpCompatAdapter's generated nginx.conf and njs module, run by the real nginx with its
 * JavaScript module (Debian 12: nginx 1.22.1 + libnginx-mod-http-js 0.7.9) in front of a small
 * real app on loopback that serves only the new (v2) API, driven as an old (v1) client would.
 *
 * What is substituted, and only that: the ConfigMap's mount directory (`js_path`) and the emptyDir
 * (`/tmp`: pid and temp paths) become a temporary directory, and the access log goes to a file in
 * it instead of `/dev/stdout` (Node's child-process pipes are sockets, which cannot be opened by
 * path; a container's stdout can). The ports are the construct's own props (free loopback ports).
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { spawnSync } from 'child_process';
import {
  HeaderDirection, HeaderRule, HTTP_ADAPTER_CONFIG_DIR, HTTP_ADAPTER_NGINX_FILE, HTTP_ADAPTER_NJS_FILE, HTTP_ADAPTER_TMP_DIR, HttpCompatAdapter,
  HttpCompatAdapterProps, HttpMethod, JsonRule, NJS_MODULE_PATH, PropsError, UrlAction, UrlRule,
} from '../../lib';
import { HttpAdapterChart, SHOP_API_CONF, SHOP_APP_PORT, SHOP_CLIENT_PORT, SHOP_LEGACY_TYPE } from '../../lib/charts/http-adapter-chart';
import { ruleSet } from '../fuzz/http-adapter-arbitraries';
import { freePorts, requireProgram, Running, start, stopAll, waitListening } from './util';

const LEGACY = 'application/vnd.acme.v1+json';

/** The v2 app: people, an echo of what it received, a large chunked list, errors. Nothing of v1. */
function v2App(): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const url = req.url ?? '';
      const p = url.split('?')[0];
      res.setHeader('X-Request-Id', 'req-42');
      res.setHeader('X-Internal-Debug', 'leak');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      let m: RegExpExecArray | null;
      if (p === '/v2/health') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      } else if (p === '/v2/people/404') {
        json(404, { error: 'no such person' });
      } else if (p === '/v2/people/500') {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('database on fire');
      } else if ((m = /^\/v2\/people\/([a-z0-9]+)$/.exec(p))) {
        json(200, { id: m[1], username: 'ann', address: { street: 'Main St', city: 'Oslo' }, internal: 'x', seenUrl: url });
      } else if (p === '/v2/big') {
        // chunked (no Content-Length), written in many pieces
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const n = 4000;
        res.write('[');
        for (let i = 0; i < n; i++) res.write(`${i ? ',' : ''}${JSON.stringify({ id: i, username: `user-${i}`, pad: 'p'.repeat(60) })}`);
        res.end(']');
      } else if (p.startsWith('/v2/echo') || p.startsWith('/v2/orders/')) {
        const raw = Buffer.concat(chunks);
        const body = raw.toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = body;
        }
        json(200, { method: req.method, url, headers: req.headers, bodyBytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex'), body: parsed });
      } else {
        json(404, { error: 'not found', path: p });
      }
    });
  });
}

/** The adapter under test: every rule shape. */
function adapterProps(port: number, appPort: number): Omit<HttpCompatAdapterProps, 'workload'> {
  return {
    port,
    appPort,
    appPaths: ['/v2'],
    rules: [
      UrlRule.exact('/v1/status', '/v2/health'),
      UrlRule.prefix('/v1/users', '/v2/people', {
        legacyContentType: LEGACY,
        responseBody: [JsonRule.rename('username', 'userName'), JsonRule.move('address.street', 'street'), JsonRule.drop('internal'), JsonRule.setDefault('apiVersion', 1)],
      }),
      UrlRule.prefix('/v1/echo', '/v2/echo', {
        methods: [HttpMethod.POST, HttpMethod.PUT],
        legacyContentType: LEGACY,
        requestBody: [JsonRule.rename('userName', 'username'), JsonRule.move('street', 'address.street'), JsonRule.drop('legacyFlag'), JsonRule.setDefault('role', 'member')],
      }),
      UrlRule.regex('^/v1/orders/([0-9]+)/items/([0-9]+)$', '/v2/orders/$1/lines/$2'),
      UrlRule.prefix('/v1/old', '/v2/people', { action: UrlAction.REDIRECT_301 }),
      UrlRule.regex('^/v1/accounts/([a-z]+)$', '/v2/people/$1', { action: UrlAction.REDIRECT_308 }),
      UrlRule.exact('/v1/big', '/v2/big', { responseBody: [JsonRule.rename('username', 'userName'), JsonRule.drop('pad')] }),
    ],
    headers: [
      HeaderRule.rename(HeaderDirection.REQUEST, 'X-Api-Key', 'X-Auth-Key'),
      HeaderRule.set(HeaderDirection.REQUEST, 'X-Client-Generation', 'v1'),
      HeaderRule.rename(HeaderDirection.RESPONSE, 'X-Request-Id', 'X-Trace-Id'),
      HeaderRule.set(HeaderDirection.RESPONSE, 'X-Api-Deprecated', 'true'),
      HeaderRule.remove(HeaderDirection.RESPONSE, 'X-Internal-Debug'),
    ],
  };
}

/** The ConfigMap files of an adapter, as synthesized, in `dir` (mount paths substituted). */
function writeConfig(props: Omit<HttpCompatAdapterProps, 'workload'>, dir: string): string {
  const chart = new Chart(Testing.app(), 'itest');
  const workload = new kplus.Deployment(chart, 'app', { containers: [{ name: 'app', image: 'example/app:2.0.0' }] });
  new HttpCompatAdapter(chart, 'adapter', { workload, ...props });
  const cm = Testing.synth(chart).find((m) => m.kind === 'ConfigMap');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const conf = (cm.data[HTTP_ADAPTER_NGINX_FILE] as string)
    .split(` ${HTTP_ADAPTER_TMP_DIR}/`).join(` ${tmp}/`)
    .split(`js_path ${HTTP_ADAPTER_CONFIG_DIR};`).join(`js_path ${dir};`)
    .split('access_log /dev/stdout;').join(`access_log ${dir}/access.log;`);
  fs.writeFileSync(path.join(dir, HTTP_ADAPTER_NGINX_FILE), conf);
  fs.writeFileSync(path.join(dir, HTTP_ADAPTER_NJS_FILE), cm.data[HTTP_ADAPTER_NJS_FILE]);
  return path.join(dir, HTTP_ADAPTER_NGINX_FILE);
}

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One HTTP/1.1 request; `chunks` are written one by one (chunked) unless `body` is given. */
function request(port: number, method: string, p: string, o: { headers?: Record<string, string>; body?: string; chunks?: string[] } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.body !== undefined) headers['Content-Length'] = Buffer.byteLength(o.body);
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error(`${method} ${p}: timeout`)));
    if (o.body !== undefined) req.end(o.body);
    else {
      for (const c of o.chunks ?? []) req.write(c);
      req.end();
    }
  });
}

/** The njs module (a shared object, not executable: requireProgram's X_OK check does not apply). */
function requireNjs(): void {
  if (!fs.existsSync(NJS_MODULE_PATH)) throw new Error(`${NJS_MODULE_PATH} not found: install the Debian package "libnginx-mod-http-js" (apt-get install -y libnginx-mod-http-js)`);
}

const nginxBin = () => requireProgram(['/usr/sbin/nginx', '/usr/bin/nginx'], 'nginx');

/** `nginx -t` on a config: its exit code and output. */
function nginxTest(conf: string): { status: number | null; output: string } {
  const r = spawnSync(nginxBin(), ['-t', '-e', 'stderr', '-c', conf], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('HttpCompatAdapter (real nginx + njs in front of a real v2 app)', () => {
  let dir: string;
  let app: http.Server;
  let nginx: Running;
  let port: number;
  let appPortOf: number;
  let logs: () => string;

  beforeAll(async () => {
    // GIVEN nginx with the njs module (failing, not skipping, without them)
    requireNjs();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-adapter-itest-'));
    const [p, appPort] = await freePorts(2);
    port = p;
    appPortOf = appPort;
    app = v2App();
    await new Promise<void>((r) => app.listen(appPort, '127.0.0.1', () => r()));
    const conf = writeConfig(adapterProps(port, appPort), dir);
    nginx = start(nginxBin(), ['-e', 'stderr', '-c', conf]);
    logs = nginx.output;
    await waitListening(nginx, port);
  });

  afterAll(async () => {
    await stopAll();
    if (app) await new Promise((r) => app.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('negative control: the v1 client against the app alone gets the app\'s 404 (the app serves only v2)', async () => {
    const r = await request(appPortOf, 'GET', '/v1/users/7');
    expect({ status: r.status, body: JSON.parse(r.body) }).toEqual({ status: 404, body: { error: 'not found', path: '/v1/users/7' } });
  });

  test('GIVEN an exact rule WHEN a v1 client calls the old URL THEN the app answers on the new one', async () => {
    const r = await request(port, 'GET', '/v1/status');
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: 'ok' });
  });

  test('GIVEN a prefix rule with response rules and a legacy content type THEN the v2 body reaches the client in v1 shape, query kept', async () => {
    const r = await request(port, 'GET', '/v1/users/7?expand=1&x=%20y');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(`${LEGACY}; charset=utf-8`);
    expect(r.headers['content-length']).toBeUndefined();
    expect(JSON.parse(r.body)).toEqual({ id: '7', userName: 'ann', street: 'Main St', address: { city: 'Oslo' }, seenUrl: '/v2/people/7?expand=1&x=%20y', apiVersion: 1 });
  });

  test('GIVEN request rules WHEN a v1 client POSTs a v1 body in the legacy type THEN the app receives the v2 body as application/json with its Content-Length', async () => {
    const v1 = { userName: 'bob', street: 'Elm', legacyFlag: true, note: 'é' };
    const r = await request(port, 'POST', '/v1/echo/new', { headers: { 'Content-Type': LEGACY }, body: JSON.stringify(v1) });
    expect(r.status).toBe(200);
    const seen = JSON.parse(r.body);
    const v2 = { username: 'bob', address: { street: 'Elm' }, note: 'é', role: 'member' };
    expect(seen.url).toBe('/v2/echo/new');
    expect(seen.body).toEqual(v2);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(Number(seen.headers['content-length'])).toBe(seen.bodyBytes);
    expect(seen.bodyBytes).toBe(Buffer.byteLength(JSON.stringify(v2)));
  });

  test('GIVEN request rules WHEN the v1 body comes chunked THEN the app receives the mapped body with a Content-Length, not chunked', async () => {
    const r = await request(port, 'PUT', '/v1/echo', { headers: { 'Content-Type': 'application/json' }, chunks: ['{"userName":', '"carl",', '"street":"Oak"}'] });
    const seen = JSON.parse(r.body);
    expect(seen.body).toEqual({ username: 'carl', address: { street: 'Oak' }, role: 'member' });
    expect(seen.headers['transfer-encoding']).toBeUndefined();
    expect(Number(seen.headers['content-length'])).toBe(seen.bodyBytes);
  });

  test('GIVEN request rules WHEN the body is large (600 KB, under maxBodySize) THEN it is mapped; over 1 MiB THEN 413 and the app is not asked', async () => {
    const big = { userName: 'dora', street: 'Long', items: Array.from({ length: 6000 }, (_, i) => `item-${i}-${'x'.repeat(90)}`) };
    const r = await request(port, 'POST', '/v1/echo', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(big) });
    const seen = JSON.parse(r.body);
    expect(seen.body.username).toBe('dora');
    expect(seen.body.address).toEqual({ street: 'Long' });
    expect(seen.body.items).toHaveLength(6000);
    expect(seen.bodyBytes).toBeGreaterThan(600000);
    const tooBig = await request(port, 'POST', '/v1/echo', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(1100000) }) });
    expect(tooBig.status).toBe(413);
  });

  test('GIVEN request rules WHEN the body is not JSON (binary) THEN it reaches the app byte for byte', async () => {
    const bin = randomBytes(5000);
    const seen = await new Promise<any>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/echo/raw', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': bin.length }, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(bin);
    });
    expect({ bytes: seen.bodyBytes, sha256: seen.sha256 }).toEqual({ bytes: 5000, sha256: createHash('sha256').update(bin).digest('hex') });
  });

  test('GIVEN concurrent mapped requests and responses THEN none sees another\'s body (njs state is per request)', async () => {
    const calls = Array.from({ length: 24 }, (_, i) => (i % 3 === 0
      ? request(port, 'GET', '/v1/big').then((r) => JSON.parse(r.body).length === 4000 && JSON.parse(r.body)[5].userName === 'user-5')
      : i % 3 === 1
        ? request(port, 'POST', '/v1/echo', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userName: `u${i}`, street: `s${i}` }) })
          .then((r) => JSON.stringify(JSON.parse(r.body).body) === JSON.stringify({ username: `u${i}`, address: { street: `s${i}` }, role: 'member' }))
        : request(port, 'GET', `/v1/users/${i}`).then((r) => JSON.parse(r.body).id === String(i) && JSON.parse(r.body).userName === 'ann')));
    expect(await Promise.all(calls)).toEqual(Array(24).fill(true));
  });

  test('GIVEN a rule restricted to POST and PUT WHEN a client GETs THEN 405 with Allow', async () => {
    const r = await request(port, 'GET', '/v1/echo');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST, PUT');
  });

  test('GIVEN a regex rule with two captures THEN both land in the new path', async () => {
    const r = await request(port, 'GET', '/v1/orders/12/items/3?full=1');
    expect(JSON.parse(r.body).url).toBe('/v2/orders/12/lines/3?full=1');
  });

  test('GIVEN redirect rules THEN 301 (prefix) and 308 (regex) with relative Locations, query kept, and the app not asked', async () => {
    const a = await request(port, 'GET', '/v1/old/7?x=1');
    expect({ status: a.status, location: a.headers.location }).toEqual({ status: 301, location: '/v2/people/7?x=1' });
    const b = await request(port, 'POST', '/v1/accounts/ann');
    expect({ status: b.status, location: b.headers.location }).toEqual({ status: 308, location: '/v2/people/ann' });
    expect(a.headers['x-trace-id']).toBeUndefined();
  });

  test('GIVEN header rules THEN requests are renamed and added, responses renamed, added and stripped', async () => {
    const r = await request(port, 'POST', '/v1/echo', { headers: { 'X-Api-Key': 'secret', 'X-Client-Generation': 'forged', 'Content-Type': 'application/json' }, body: '{}' });
    const seen = JSON.parse(r.body);
    expect(seen.headers['x-auth-key']).toBe('secret');
    expect(seen.headers['x-api-key']).toBeUndefined();
    expect(seen.headers['x-client-generation']).toBe('v1');
    expect(r.headers['x-trace-id']).toBe('req-42');
    expect(r.headers['x-request-id']).toBeUndefined();
    expect(r.headers['x-api-deprecated']).toBe('true');
    expect(r.headers['x-internal-debug']).toBeUndefined();
  });

  test('GIVEN response rules WHEN the app sends a large chunked list THEN every element is mapped', async () => {
    const r = await request(port, 'GET', '/v1/big');
    expect(r.status).toBe(200);
    const list = JSON.parse(r.body);
    expect(list).toHaveLength(4000);
    expect(list[0]).toEqual({ id: 0, userName: 'user-0' });
    expect(list[3999]).toEqual({ id: 3999, userName: 'user-3999' });
  });

  test('GIVEN unknown paths THEN they pass through unchanged: the new API and the app\'s own 404', async () => {
    const direct = await request(port, 'GET', '/v2/people/7');
    expect(JSON.parse(direct.body)).toEqual({ id: '7', username: 'ann', address: { street: 'Main St', city: 'Oslo' }, internal: 'x', seenUrl: '/v2/people/7' });
    expect(direct.headers['content-type']).toBe('application/json; charset=utf-8');
    const unknown = await request(port, 'GET', '/nope?q=1');
    expect({ status: unknown.status, body: JSON.parse(unknown.body) }).toEqual({ status: 404, body: { error: 'not found', path: '/nope' } });
  });

  test('GIVEN a mapped rule WHEN the app answers an error THEN it is passed back unchanged (status, type and body)', async () => {
    const nf = await request(port, 'GET', '/v1/users/404');
    expect({ status: nf.status, type: nf.headers['content-type'], body: nf.body }).toEqual({ status: 404, type: 'application/json; charset=utf-8', body: '{"error":"no such person"}' });
    const fail = await request(port, 'GET', '/v1/users/500');
    expect({ status: fail.status, type: fail.headers['content-type'], body: fail.body }).toEqual({ status: 500, type: 'text/plain', body: 'database on fire' });
    // njs never failed on any request of this suite (the 413 above is nginx's own [error] line)
    expect(logs()).not.toMatch(/js exception|uninitialized/);
  });
});

describe('HttpCompatAdapter configs under nginx -t', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-adapter-t-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('negative control: nginx -t rejects the generated config when its njs module does not compile', () => {
    requireNjs();
    const conf = writeConfig(adapterProps(18080, 19080), dir);
    expect(nginxTest(conf).status).toBe(0);
    fs.appendFileSync(path.join(dir, HTTP_ADAPTER_NJS_FILE), '\nfunction broken( {\n');
    const r = nginxTest(conf);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/SyntaxError/);
  });

  test('property: random rule sets either fail with a PropsError or give a config nginx -t accepts', () => {
    requireNjs();
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(ruleSet, ({ rules, headers }) => {
      const sub = fs.mkdtempSync(path.join(dir, 'case-'));
      let conf: string;
      try {
        conf = writeConfig({ port: 18080, appPort: 19080, rules, headers, appPaths: ['/v2', '/a'] }, sub);
      } catch (e) {
        if (!(e instanceof PropsError)) throw e;
        expect(e.message).toMatch(/^\[itest\/adapter\] invalid props:\n {2}\S.*: received .*; expected /);
        rejected++;
        return;
      }
      const r = nginxTest(conf);
      if (r.status !== 0) throw new Error(`nginx -t rejected a config the construct accepted:\n${r.output}\n${fs.readFileSync(conf, 'utf8')}`);
      accepted++;
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 200), seed: Number(process.env.FUZZ_SEED ?? 1313) });
    process.stdout.write(`nginx -t property: ${accepted} configs accepted by nginx, ${rejected} rule sets rejected by the construct\n`);
    // both outcomes happen: the generator exercises the validation and nginx
    expect(accepted).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(5);
  });
});

/** Replaces `from` by `to` in `s`, failing unless it occurs exactly once (the substitution stays visible). */
function substituteOnce(s: string, from: string, to: string): string {
  const n = s.split(from).length - 1;
  if (n !== 1) throw new Error(`expected ${JSON.stringify(from)} exactly once, found ${n}`);
  return s.replace(from, to);
}

describe('the example chart (dist/http-adapter.k8s.yaml), both containers\' configs run by the real nginx', () => {
  // What is substituted besides the mount paths: the ports 8080 and 9080 become free loopback ports.
  let dir: string;
  let port: number;

  beforeAll(async () => {
    requireNjs();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-adapter-example-'));
    const [p, appPort] = await freePorts(2);
    port = p;
    const ms = Testing.synth(new HttpAdapterChart(Testing.app(), 'http-adapter'));
    const cms = ms.filter((m) => m.kind === 'ConfigMap');
    const adapterCm = cms.find((m) => m.data[HTTP_ADAPTER_NGINX_FILE] !== undefined);
    const apiCm = cms.find((m) => m.data[SHOP_API_CONF] !== undefined);
    // the v2 app: its server block inside a minimal main config, as the image's nginx.conf includes it
    const appDir = path.join(dir, 'app');
    fs.mkdirSync(appDir);
    const server = substituteOnce(apiCm.data[SHOP_API_CONF], `listen 127.0.0.1:${SHOP_APP_PORT};`, `listen 127.0.0.1:${appPort};`);
    fs.writeFileSync(path.join(appDir, 'nginx.conf'), `daemon off;\npid ${appDir}/nginx.pid;\nerror_log stderr warn;\nevents {}\nhttp {\n`
      + `access_log off;\nclient_body_temp_path ${appDir}/body;\nproxy_temp_path ${appDir}/proxy;\nfastcgi_temp_path ${appDir}/fcgi;\nuwsgi_temp_path ${appDir}/uwsgi;\nscgi_temp_path ${appDir}/scgi;\n${server}}\n`);
    // the adapter, from the synthesized ConfigMap
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    let conf = (adapterCm.data[HTTP_ADAPTER_NGINX_FILE] as string)
      .split(` ${HTTP_ADAPTER_TMP_DIR}/`).join(` ${tmp}/`)
      .split(`js_path ${HTTP_ADAPTER_CONFIG_DIR};`).join(`js_path ${dir};`)
      .split('access_log /dev/stdout;').join(`access_log ${dir}/access.log;`);
    conf = substituteOnce(conf, `listen ${SHOP_CLIENT_PORT};`, `listen ${port};`);
    conf = substituteOnce(conf, `server 127.0.0.1:${SHOP_APP_PORT};`, `server 127.0.0.1:${appPort};`);
    fs.writeFileSync(path.join(dir, HTTP_ADAPTER_NGINX_FILE), conf);
    fs.writeFileSync(path.join(dir, HTTP_ADAPTER_NJS_FILE), adapterCm.data[HTTP_ADAPTER_NJS_FILE]);
    const app = start(nginxBin(), ['-e', 'stderr', '-c', path.join(appDir, 'nginx.conf')]);
    await waitListening(app, appPort);
    const adapter = start(nginxBin(), ['-e', 'stderr', '-c', path.join(dir, HTTP_ADAPTER_NGINX_FILE)]);
    await waitListening(adapter, port);
  });

  afterAll(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN a v1 client THEN /v1/users/1 answers in the v1 shape and content type, with the deprecation header', async () => {
    const r = await request(port, 'GET', '/v1/users/1');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(SHOP_LEGACY_TYPE);
    expect(r.headers['x-api-deprecated']).toBe('v1 is served by an adapter; move to /v2');
    expect(JSON.parse(r.body)).toEqual({ id: 1, userName: 'ann', street: 'Main St', address: { city: 'Oslo' } });
  });

  test('GIVEN the other rules THEN /v1/status, GET-only orders and the 308 redirect behave; the readiness path passes through', async () => {
    expect(JSON.parse((await request(port, 'GET', '/v1/status')).body)).toEqual({ status: 'ok' });
    expect((await request(port, 'GET', '/v1/orders/7')).status).toBe(200);
    expect((await request(port, 'DELETE', '/v1/orders/7')).status).toBe(405);
    const redirect = await request(port, 'GET', '/v1/profiles/1');
    expect({ status: redirect.status, location: redirect.headers.location }).toEqual({ status: 308, location: '/v2/people/1' });
    const ready = await request(port, 'GET', '/v2/health');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 200, body: '{"status":"ok"}' });
    const unknown = await request(port, 'GET', '/v1/unknown');
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: '{"error":"not found"}' });
  });
});
