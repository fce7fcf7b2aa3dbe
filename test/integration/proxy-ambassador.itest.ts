/**
 * The proxy ambassador's generated configuration and command lines, run through the real Debian
 * programs on 127.0.0.1: nutcracker (twemproxy 0.5.0) sharding over two redis-servers, and
 * haproxy in front of a redis-server (TCP) and of a small HTTP server (HTTP).
 *
 * The configuration text and the proxy's command and arguments are read from the synthesized
 * manifests (ConfigMap data, container command/args). What is substituted, and only that: the
 * in-pod config directory becomes a temporary directory, and, for the HAProxy health frontend a
 * native sidecar binds on every interface, `0.0.0.0` becomes `127.0.0.1` (these tests bind
 * loopback only). Ports are free high ports given to the construct as props.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as dgram from 'dgram';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  HaproxyBalance, HaproxyMode, KubernetesVersion, ProxyAmbassador, ProxyAmbassadorProps, ProxyBackend, ProxyHealthCheck, setKubernetesVersion, TwemproxyDistribution, TwemproxyHash,
} from '../../lib';
import { ProxyAmbassadorChart } from '../../lib/charts/proxy-ambassador-chart';
import { podSpecOf } from '../../lib/_pod/inject';
import { freePorts, requireProgram, Running, sleep, start, stopAll, waitListening } from './util';

// ---------------------------------------------------------------------------------------------
// A minimal RESP (Redis protocol) client over net.Socket: commands as arrays of bulk strings,
// replies parsed one at a time, each with a timeout.

type Reply = string | number | null | { error: string } | Reply[];

function parseReply(buf: Buffer, at: number): { value: Reply; end: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  switch (type) {
    case '+': return { value: line, end: eol + 2 };
    case '-': return { value: { error: line }, end: eol + 2 };
    case ':': return { value: Number(line), end: eol + 2 };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, end: eol + 2 };
      if (buf.length < eol + 2 + len + 2) return undefined;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + len), end: eol + 2 + len + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: eol + 2 };
      const items: Reply[] = [];
      let pos = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, pos);
        if (!r) return undefined;
        items.push(r.value);
        pos = r.end;
      }
      return { value: items, end: pos };
    }
    default: throw new Error(`unexpected RESP type ${JSON.stringify(type)} in ${JSON.stringify(buf.toString('utf8', at, Math.min(buf.length, at + 80)))}`);
  }
}

class RespClient {
  public static connect(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new RespClient(socket)));
      socket.once('error', reject);
    });
  }

  private buf = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        if (this.waiting.length === 0) break;
        const r = parseReply(this.buf, 0);
        if (!r) break;
        this.buf = this.buf.subarray(r.end);
        this.waiting.shift()!.resolve(r.value);
      }
    });
    const fail = (e: Error) => { while (this.waiting.length > 0) this.waiting.shift()!.reject(e); };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  /** Sends one command and waits (at most 5 s) for its reply. */
  public command(...args: string[]): Promise<Reply> {
    const payload = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${args[0]} within 5 s`)), 5000);
      this.waiting.push({
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.socket.write(payload);
    });
  }

  public close(): void {
    this.socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

/** Starts a redis-server on a port, without persistence, its files in `dir`. */
async function startRedis(port: number, dir: string): Promise<Running> {
  const redis = requireProgram('redis-server', 'redis-server');
  const r = start(redis, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no']);
  await waitListening(r, port);
  return r;
}

/** The synthesized ConfigMap text and proxy command line of an ambassador on a user's Deployment. */
function synthesize(props: (w: kplus.AbstractPod) => ProxyAmbassadorProps, version?: KubernetesVersion) {
  const chart = new Chart(Testing.app(), 'itest');
  if (version) setKubernetesVersion(chart, version);
  const deployment = new kplus.Deployment(chart, 'app', { containers: [{ name: 'app', image: 'redis:7.4.1-alpine' }] });
  const a = new ProxyAmbassador(chart, 'proxy', props(deployment));
  const manifests = Testing.synth(chart);
  const configMap = manifests.find((m: any) => m.kind === 'ConfigMap' && m.metadata.name === a.configMap.name);
  const spec = podSpecOf(manifests.find((m: any) => m.kind === 'Deployment'));
  const sidecar = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === a.sidecar.name);
  const app = spec.containers.find((c: any) => c.name === 'app');
  return { a, config: configMap.data[a.configFile] as string, command: sidecar.command as string[], args: sidecar.args as string[], env: app.env as Array<{ name: string; value: string }> };
}

/** Writes the config into `dir` and points the in-pod config path of the args at it. */
function localize(s: { a: ProxyAmbassador; config: string; args: string[] }, dir: string, config = s.config): string[] {
  fs.writeFileSync(path.join(dir, s.a.configFile), config);
  const inPod = `${s.a.configDir}/${s.a.configFile}`;
  const hits = s.args.filter((x) => x.includes(inPod)).length;
  if (hits !== 1) throw new Error(`expected the config path ${inPod} once in ${JSON.stringify(s.args)}, found ${hits}`);
  return s.args.map((x) => x.replace(inPod, path.join(dir, s.a.configFile)));
}

function run(cmd: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function httpGet(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on('error', reject);
  });
}

/**
 * A minimal DNS server on 127.0.0.1 (UDP) for one name: NXDOMAIN until `answer` is set, then an A
 * record with a 1 s TTL (AAAA queries: no answer). Stands in for kube-dns, which the resolvers
 * section reads from /etc/resolv.conf in a pod.
 */
async function fakeDns(name: string): Promise<{ port: number; answer: (ip: string | undefined) => void; queries: () => number; close: () => void }> {
  const sock = dgram.createSocket('udp4');
  let ip: string | undefined;
  let count = 0;
  sock.on('message', (q, rinfo) => {
    count++;
    let at = 12;
    const labels: string[] = [];
    while (q[at] !== 0) { labels.push(q.toString('ascii', at + 1, at + 1 + q[at])); at += q[at] + 1; }
    const qtype = q.readUInt16BE(at + 1);
    const question = q.subarray(12, at + 5);
    const known = labels.join('.').toLowerCase() === name;
    const answerA = known && ip !== undefined && qtype === 1;
    const header = Buffer.alloc(12);
    q.copy(header, 0, 0, 2);
    header.writeUInt16BE(known && ip !== undefined ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answerA ? 1 : 0, 6);
    const parts = [header, question];
    if (answerA) {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(1, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(1, 6); rr.writeUInt16BE(4, 10);
      ip!.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
      parts.push(rr);
    }
    sock.send(Buffer.concat(parts), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return { port: sock.address().port, answer: (v) => { ip = v; }, queries: () => count, close: () => sock.close() };
}

describe('ProxyAmbassador (real nutcracker, haproxy and redis-server)', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-ambassador-itest-'));
  });

  afterEach(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('twemproxy shards 200 keys over two redis-servers and reads them all back', async () => {
    // GIVEN two redis-servers as shards
    const nutcracker = requireProgram('nutcracker', 'nutcracker');
    const [shardA, shardB, listen, stats] = await freePorts(4);
    await startRedis(shardA, dir);
    await startRedis(shardB, dir);
    // and the construct's config and command line for those upstreams
    const s = synthesize((w) => ({
      workload: w,
      backend: ProxyBackend.twemproxy({ statsPort: stats }),
      image: 'registry.example.com/platform/twemproxy:0.5.0',
      upstreams: [`127.0.0.1:${shardA}`, `127.0.0.1:${shardB}`],
      listenPort: listen,
    }));
    expect(s.command).toEqual(['nutcracker']);
    expect(s.env).toEqual([{ name: 'REDIS_ADDR', value: `127.0.0.1:${listen}` }]);
    const args = localize(s, dir);
    // the config passes nutcracker's own check
    const check = run(nutcracker, ['--test-conf', `--conf-file=${path.join(dir, s.a.configFile)}`]);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('syntax is ok') });

    // WHEN nutcracker runs with the generated command line
    const proxy = start(nutcracker, args);
    await waitListening(proxy, listen);
    const client = await RespClient.connect(listen);
    const N = 200;
    try {
      for (let i = 0; i < N; i++) expect(await client.command('SET', `key:${i}`, `value-${i}`)).toBe('OK');
      // THEN every key reads back through the proxy
      for (let i = 0; i < N; i++) expect(await client.command('GET', `key:${i}`)).toBe(`value-${i}`);
    } finally {
      client.close();
    }
    // and both shards hold keys, together exactly the ones written
    const sizes: number[] = [];
    for (const port of [shardA, shardB]) {
      const shard = await RespClient.connect(port);
      sizes.push(await shard.command('DBSIZE') as number);
      shard.close();
    }
    console.log(`twemproxy: ${N} keys over 2 shards: ${sizes.join(' + ')}`);
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[1]).toBeGreaterThan(0);
    expect(sizes[0] + sizes[1]).toBe(N);
    // and the stats listener answers on loopback with the pool and its two servers
    const statsJson = await new Promise<string>((resolve, reject) => {
      let out = '';
      const sock = net.connect({ host: '127.0.0.1', port: stats });
      sock.setTimeout(5000, () => sock.destroy(new Error('stats timed out')));
      sock.on('data', (d) => { out += d; });
      sock.on('end', () => resolve(out));
      sock.on('error', reject);
    });
    const pool = JSON.parse(statsJson).ambassador;
    expect(Object.keys(pool).filter((k) => k.startsWith('shard-')).sort()).toEqual(['shard-1', 'shard-2']);
  });

  test('twemproxy accepts the memcached, IPv6 and custom hashing config the construct generates', () => {
    const nutcracker = requireProgram('nutcracker', 'nutcracker');
    const s = synthesize((w) => ({
      workload: w,
      backend: ProxyBackend.twemproxy({
        redis: false,
        hash: TwemproxyHash.MURMUR,
        distribution: TwemproxyDistribution.MODULA,
        autoEjectHosts: true,
        serverRetryTimeout: Duration.seconds(2),
        serverFailureLimit: 1,
        timeout: Duration.millis(400),
      }),
      image: 'registry.example.com/platform/twemproxy:0.5.0',
      upstreams: [{ host: '127.0.0.1', port: 11211, name: 'mc-a', weight: 2 }, '[::1]:11212', 'localhost:11213'],
    }));
    localize(s, dir);
    const check = run(nutcracker, ['--test-conf', `--conf-file=${path.join(dir, s.a.configFile)}`]);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('syntax is ok') });
  });

  test('HAProxy in TCP mode passes its config check and carries SET/GET to a redis-server', async () => {
    // GIVEN a redis-server upstream
    const haproxy = requireProgram('haproxy', 'haproxy');
    const [upstream, listen] = await freePorts(2);
    await startRedis(upstream, dir);
    const s = synthesize((w) => ({ workload: w, upstreams: [`127.0.0.1:${upstream}`], listenPort: listen, envVar: 'REDIS_ADDR' }));
    expect(s.command).toEqual(['haproxy']);
    expect(s.env).toEqual([{ name: 'REDIS_ADDR', value: `127.0.0.1:${listen}` }]);
    const args = localize(s, dir);
    // the generated haproxy.cfg passes `haproxy -c`
    const check = run(haproxy, ['-c', '-f', path.join(dir, s.a.configFile)]);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('Configuration file is valid') });

    // WHEN haproxy runs with the generated command line
    const proxy = start(haproxy, args);
    await waitListening(proxy, listen);
    // THEN SET and GET go through it to the redis-server
    const client = await RespClient.connect(listen);
    try {
      expect(await client.command('SET', 'ambassador', 'haproxy')).toBe('OK');
      expect(await client.command('GET', 'ambassador')).toBe('haproxy');
      expect(await client.command('PING')).toBe('PONG');
    } finally {
      client.close();
    }
    const direct = await RespClient.connect(upstream);
    expect(await direct.command('GET', 'ambassador')).toBe('haproxy');
    expect(await direct.command('DBSIZE')).toBe(1);
    direct.close();
  });

  test('HAProxy in HTTP mode sets the Host header, health-checks the upstream and answers the kubelet on /healthz', async () => {
    // GIVEN an HTTP upstream that echoes the Host header it received
    const haproxy = requireProgram('haproxy', 'haproxy');
    const [upstream, listen, health] = await freePorts(3);
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.host}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, host: req.headers.host }));
    });
    await new Promise<void>((resolve) => server.listen(upstream, '127.0.0.1', resolve));
    try {
      // and the construct's config for a native sidecar (health frontend) in HTTP mode
      const s = synthesize((w) => ({
        workload: w,
        backend: ProxyBackend.haproxy({ mode: HaproxyMode.HTTP, hostHeader: 'api.internal.example', healthCheckPath: '/health', healthPort: health }),
        upstreams: [`127.0.0.1:${upstream}`],
        listenPort: listen,
        nativeSidecar: true,
      }), KubernetesVersion.V1_29);
      // these tests bind loopback only: the health frontend's 0.0.0.0 becomes 127.0.0.1
      const allInterfaces = `bind 0.0.0.0:${health}`;
      expect(s.config.split(allInterfaces)).toHaveLength(2);
      const args = localize(s, dir, s.config.replace(allInterfaces, `bind 127.0.0.1:${health}`));
      const check = run(haproxy, ['-c', '-f', path.join(dir, s.a.configFile)]);
      expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('Configuration file is valid') });

      // WHEN haproxy runs
      const proxy = start(haproxy, args);
      await waitListening(proxy, listen);
      // THEN the health frontend answers 200 without touching the upstream
      expect((await httpGet(health, '/healthz')).status).toBe(200);
      // and requests reach the upstream with the configured Host header
      const res = await httpGet(listen, '/v1/items?limit=2');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ path: '/v1/items?limit=2', host: 'api.internal.example' });
      // and HAProxy's health check (GET /health) reached the upstream, with the same Host header (bounded wait: first check runs at start)
      for (let i = 0; i < 100 && !seen.some((x) => x.startsWith('GET /health ')); i++) await sleep(50);
      expect(seen).toContain('GET /health api.internal.example');
    } finally {
      await stopAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('the example chart\'s two haproxy.cfg files pass haproxy -c', () => {
    const haproxy = requireProgram('haproxy', 'haproxy');
    const chart = new ProxyAmbassadorChart(Testing.app(), 'proxy-ambassador');
    const manifests = Testing.synth(chart);
    const data = (a: ProxyAmbassador) => manifests.find((m: any) => m.kind === 'ConfigMap' && m.metadata.name === a.configMap.name).data[a.configFile];
    // the upstreams' names do not resolve here: with runtime resolution HAProxy starts with the servers down
    for (const [file, ambassador] of [['cache.cfg', chart.cache], ['api.cfg', chart.api]] as const) {
      fs.writeFileSync(path.join(dir, file), data(ambassador));
      const h = run(haproxy, ['-c', '-f', path.join(dir, file)]);
      expect({ file, status: h.status, output: h.output }).toEqual({ file, status: 0, output: expect.stringContaining('Configuration file is valid') });
    }
  });

  test('HAProxy accepts the TLS upstream configuration (system CAs, SNI, host verification) with runtime DNS resolution', () => {
    const haproxy = requireProgram('haproxy', 'haproxy');
    // the name does not resolve here: the server starts down (init-addr last,libc,none)
    const s = synthesize((w) => ({
      workload: w,
      backend: ProxyBackend.haproxy({
        mode: HaproxyMode.HTTP,
        upstreamTls: true,
        resolveAtRuntime: true,
        hostHeader: 'api.payments.example.com',
        healthCheckPath: '/health',
        balance: HaproxyBalance.FIRST,
      }),
      upstreams: ['api.payments.example.com:443'],
      listenPort: 18081,
    }));
    localize(s, dir);
    const check = run(haproxy, ['-c', '-f', path.join(dir, s.a.configFile)]);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('Configuration file is valid') });
  });
  test('HAProxy starts and carries traffic when one upstream name does not resolve (runtime resolution, the default); without init-addr it refuses to start', async () => {
    // GIVEN a redis-server on 127.0.0.1 and a standby whose fully qualified name does not resolve (its Service does not exist yet)
    const haproxy = requireProgram('haproxy', 'haproxy');
    const [upstream, listen] = await freePorts(2);
    await startRedis(upstream, dir);
    const missing = 'redis-standby.data.svc.cluster.local';
    const s = synthesize((w) => ({ workload: w, backend: ProxyBackend.haproxy({ balance: HaproxyBalance.FIRST }), upstreams: [`127.0.0.1:${upstream}`, `${missing}:6379`], listenPort: listen }));
    // the default resolves at run time through the pod's nameservers, and starts a missing name down
    expect(s.config).toContain('\nresolvers dns\n    parse-resolv-conf\n');
    expect(s.config).toContain(' resolvers dns resolve-prefer ipv4 init-addr last,libc,none\n');
    const args = localize(s, dir);
    const check = run(haproxy, ['-c', '-f', path.join(dir, s.a.configFile)]);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('Configuration file is valid') });
    expect(check.output).toContain(`could not resolve address '${missing}', disabling server`);
    const strict = path.join(dir, 'strict.cfg');
    // negative control: the same config without resolvers and init-addr (HAProxy's defaults) is refused
    fs.writeFileSync(strict, s.config.replace(' resolvers dns resolve-prefer ipv4 init-addr last,libc,none', ''));
    const refused = run(haproxy, ['-c', '-f', strict]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain(`could not resolve address '${missing}'`);

    // WHEN haproxy runs with the generated command line
    const proxy = start(haproxy, args);
    await waitListening(proxy, listen);
    // THEN it carries traffic to the upstream that resolves
    const client = await RespClient.connect(listen);
    try {
      expect(await client.command('SET', 'survives', 'yes')).toBe('OK');
      expect(await client.command('GET', 'survives')).toBe('yes');
    } finally {
      client.close();
    }
    expect(proxy.proc.exitCode).toBeNull();
  });

  test('HAProxy with a short upstream name (resolved once at start through the C library) also starts when it does not resolve', async () => {
    const haproxy = requireProgram('haproxy', 'haproxy');
    const [upstream, listen] = await freePorts(2);
    await startRedis(upstream, dir);
    const s = synthesize((w) => ({ workload: w, upstreams: [`127.0.0.1:${upstream}`, 'redis-standby:6379'], listenPort: listen }));
    expect(s.config).not.toContain('resolvers');
    const args = localize(s, dir);
    const proxy = start(haproxy, args);
    await waitListening(proxy, listen);
    const client = await RespClient.connect(listen);
    try {
      expect(await client.command('PING')).toBe('PONG');
    } finally {
      client.close();
    }
  });

  /** Which redis-server a fresh connection through the proxy lands on: its port and role. */
  async function landsOn(listen: number): Promise<{ port: number; role: string }> {
    const c = await RespClient.connect(listen);
    try {
      const info = await c.command('INFO', 'server') as string;
      const repl = await c.command('INFO', 'replication') as string;
      return { port: Number(/tcp_port:(\d+)/.exec(info)![1]), role: /role:(\w+)/.exec(repl)![1] };
    } finally {
      c.close();
    }
  }

  /**
   * Connects through the proxy until `n` connections in a row land on the primary at `port`, for
   * at most `ms`; a connection closed by the proxy (a server marked down under it) counts as not.
   */
  async function untilOnlyOn(listen: number, port: number, n: number, ms: number): Promise<{ inARow: number; seen: string[] }> {
    const started = Date.now();
    const seen: string[] = [];
    let inARow = 0;
    while (inARow < n && Date.now() - started < ms) {
      let landed: { port: number; role: string } | undefined;
      try {
        landed = await landsOn(listen);
      } catch (e) {
        seen.push(String((e as Error).message));
      }
      if (landed) seen.push(`${landed.port} ${landed.role}`);
      inARow = landed?.port === port && landed.role === 'master' ? inARow + 1 : 0;
      if (inARow < n) await sleep(100);
    }
    return { inARow, seen };
  }

  /** A Redis primary on port a, a replica of it on port b, and an HAProxy ambassador over both. */
  async function primaryStandby(healthCheck: ProxyHealthCheck) {
    const haproxy = requireProgram('haproxy', 'haproxy');
    const [a, b, listen] = await freePorts(3);
    const redis = requireProgram('redis-server', 'redis-server');
    await startRedis(a, dir);
    const replica = start(redis, ['--port', String(b), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--replicaof', '127.0.0.1', String(a)]);
    await waitListening(replica, b);
    const s = synthesize((w) => ({ workload: w, backend: ProxyBackend.haproxy({ healthCheck }), upstreams: [`127.0.0.1:${a}`, `127.0.0.1:${b}`], listenPort: listen, envVar: 'REDIS_ADDR' }));
    const args = localize(s, dir);
    const check = run(haproxy, ['-c', '-f', path.join(dir, s.a.configFile)]);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('Configuration file is valid') });
    const proxy = start(haproxy, args);
    await waitListening(proxy, listen);
    return { a, b, listen };
  }

  /** Promotes the replica on b and makes the old primary on a its replica. */
  async function promote(a: number, b: number): Promise<void> {
    const rb = await RespClient.connect(b);
    expect(await rb.command('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    rb.close();
    const ra = await RespClient.connect(a);
    expect(await ra.command('REPLICAOF', '127.0.0.1', String(b))).toBe('OK');
    ra.close();
  }

  test('HAProxy with the Redis primary check sends traffic only to the primary, and follows a promotion of the replica', async () => {
    // GIVEN a primary (a) and its replica (b) behind the ambassador with healthCheck REDIS_PRIMARY
    const { a, b, listen } = await primaryStandby(ProxyHealthCheck.REDIS_PRIMARY);
    // (HAProxy starts both servers up; the replica is marked down after two failed checks, each
    // waiting its 1 s timeout for "role:master", 1 s apart, the first within the first interval
    // (HAProxy spreads the servers' first checks over it): ~2.8 s here, later on a busy machine,
    // and 3 s was once too short in CI. A connection on the replica when it is
    // marked down is closed (on-marked-down shutdown-sessions). So: wait, at most 20 s, until
    // three connections in a row land on the primary, which roundrobin over two servers up never
    // gives.)
    const waited = await untilOnlyOn(listen, a, 3, 20000);
    expect(waited).toEqual({ inARow: 3, seen: expect.any(Array) });
    // THEN every connection lands on the primary, and writes succeed
    for (let i = 0; i < 6; i++) expect(await landsOn(listen)).toEqual({ port: a, role: 'master' });
    const before = await RespClient.connect(listen);
    expect(await before.command('SET', 'k', 'before')).toBe('OK');

    // WHEN the replica is promoted and the old primary becomes its replica
    await promote(a, b);
    const started = Date.now();
    // (a failing check waits its 1 s timeout for "role:master", and two failures mark a server
    // down; a connection on the demoted one when it is marked down is closed, and so is one
    // accepted while neither server is up yet: those count as landing nowhere)
    const followed = await untilOnlyOn(listen, b, 5, 10000);
    const seconds = (Date.now() - started) / 1000;
    console.log(`redis-primary check: traffic followed the promotion, 5 connections in a row on the new primary after ${seconds.toFixed(1)} s (${followed.seen.length} connections)`);
    // THEN within 10 s every new connection lands on the new primary
    expect(followed).toEqual({ inARow: 5, seen: expect.any(Array) });
    // and no connection ever landed anywhere but a primary before that (the old one, then the new one), except the demoted one while its checks failed
    expect(followed.seen.filter((x) => x !== `${b} master` && !x.startsWith(`${a} `) && x !== 'connection closed')).toEqual([]);
    // and a write through the proxy lands on the new primary
    const after = await RespClient.connect(listen);
    expect(await after.command('SET', 'k', 'after')).toBe('OK');
    after.close();
    const direct = await RespClient.connect(b);
    expect(await direct.command('GET', 'k')).toBe('after');
    direct.close();
    // and the app's connection opened before the promotion was closed (on-marked-down shutdown-sessions), not left writing to a replica
    await expect(before.command('SET', 'k', 'stale')).rejects.toThrow(/connection closed|no reply/);
    before.close();
  });

  test('negative control: with the TCP connect check, connections still land on the replica after the promotion', async () => {
    const { a, b, listen } = await primaryStandby(ProxyHealthCheck.TCP);
    await promote(a, b);
    await sleep(2000);
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push(await landsOn(listen));
    // roundrobin over two servers that both accept connections: the demoted primary (now a replica) still gets traffic
    expect(seen).toContainEqual({ port: a, role: 'slave' });
    // and the wait of the test above is not met by two servers up: no three in a row on the new primary
    expect((await untilOnlyOn(listen, b, 3, 3000)).inARow).toBeLessThan(3);
  });
  test('HAProxy picks up a standby whose name starts resolving while it runs (runtime resolution through the resolvers section)', async () => {
    // GIVEN a redis-server, and its fully qualified name that the DNS server does not know yet
    const haproxy = requireProgram('haproxy', 'haproxy');
    const [upstream, listen] = await freePorts(2);
    await startRedis(upstream, dir);
    const name = 'redis-standby.data.svc.cluster.local';
    const dns = await fakeDns(name);
    try {
      const s = synthesize((w) => ({ workload: w, upstreams: [`${name}:${upstream}`], listenPort: listen }));
      // the pod's nameservers (parse-resolv-conf) become the local DNS server, and nothing else changes
      const config = s.config.replace('    parse-resolv-conf\n', `    nameserver local 127.0.0.1:${dns.port}\n`);
      expect(config).not.toBe(s.config);
      const args = localize(s, dir, config);
      // WHEN HAProxy starts while the name does not resolve
      const proxy = start(haproxy, args);
      await waitListening(proxy, listen);
      const ping = async () => {
        try {
          const c = await RespClient.connect(listen);
          try { return await c.command('PING'); } finally { c.close(); }
        } catch {
          return undefined;
        }
      };
      expect(await ping()).toBeUndefined();
      // and the Service appears: the name resolves to the redis-server's address
      dns.answer('127.0.0.1');
      const t0 = Date.now();
      let reply = await ping();
      while (reply !== 'PONG' && Date.now() - t0 < 30000) { await sleep(250); reply = await ping(); }
      // THEN traffic flows to it, without restarting HAProxy
      console.log(`runtime resolution: the standby took traffic ${((Date.now() - t0) / 1000).toFixed(1)} s after its name started resolving (${dns.queries()} DNS queries)`);
      expect(reply).toBe('PONG');
      expect(proxy.proc.exitCode).toBeNull();
    } finally {
      dns.close();
    }
  });
});
