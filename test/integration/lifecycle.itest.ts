/**
 * The newcomer's start-order scenario with the real programs: an app (and an init container
 * `until nc -z 127.0.0.1 PORT`) that needs a HAProxy ambassador before it starts.
 *
 * Only a kubelet runs containers in order, so what is checked is (1) the order the construct
 * writes (native sidecar before the init container on 1.29+; the proxy first in `containers`
 * below), and (2) the `postStart` hook command exactly as written in the synthesized manifest,
 * run with the real bash against the real haproxy (started with the generated configuration and
 * command line) in front of a real redis-server, on loopback: it returns 0 once HAProxy accepts
 * connections, at which point the app's first request goes through; with no HAProxy it returns
 * non-zero after its bounded timeout.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KubernetesVersion, ProxyAmbassador, setKubernetesVersion } from '../../lib';
import { HOLD_APP_TIMEOUT_SECONDS } from '../../lib/_pod/lifecycle';
import { podSpecOf } from '../../lib/_pod/inject';
import { freePorts, requireProgram, sleep, start, stopAll, waitListening } from './util';

/** Synthesizes a Deployment whose init container waits on the ambassador's port, with the ambassador attached. */
function synthesize(listen: number, upstream: number, version?: KubernetesVersion) {
  const app = Testing.app();
  if (version) setKubernetesVersion(app, version);
  const chart = new Chart(app, 'itest');
  const d = new kplus.Deployment(chart, 'app', {
    containers: [{ name: 'app', image: 'redis:7.4.1-alpine' }],
    initContainers: [{ name: 'wait-for-proxy', image: 'busybox:1.36.1', command: ['sh', '-c', `until nc -z 127.0.0.1 ${listen}; do sleep 1; done`] }],
  });
  const a = new ProxyAmbassador(chart, 'proxy', { workload: d, listenPort: listen, upstreams: [`127.0.0.1:${upstream}`], nativeSidecar: version !== undefined });
  const manifests = Testing.synth(chart);
  const spec = podSpecOf(manifests.find((m: any) => m.kind === 'Deployment'));
  const configMap = manifests.find((m: any) => m.kind === 'ConfigMap' && m.metadata.name === a.configMap.name);
  return { a, spec, config: configMap.data[a.configFile] as string };
}

/** Runs a command to its end: exit status and seconds taken. */
function runTimed(cmd: string[]): Promise<{ status: number | null; seconds: number; output: string }> {
  return new Promise((resolve) => {
    const began = Date.now();
    const p = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d) => { output += d; });
    p.stderr.on('data', (d) => { output += d; });
    p.on('exit', (status) => resolve({ status, seconds: (Date.now() - began) / 1000, output }));
  });
}

/** Sends PING over a fresh connection, returns the first reply line. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('PING timed out')); });
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d;
      if (buf.includes('\r\n')) { s.destroy(); resolve(buf.split('\r\n')[0]); }
    });
    s.on('error', reject);
  });
}

describe('start order with the real haproxy: the app waits for its ambassador', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-itest-')); });
  afterEach(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN Kubernetes 1.29 WHEN an init container waits on the ambassador THEN the ambassador is written before it, as a native sidecar with a startup probe', async () => {
    const [listen, upstream] = await freePorts(2);
    const { spec } = synthesize(listen, upstream, KubernetesVersion.V1_29);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['haproxy', 'wait-for-proxy']);
    expect(spec.initContainers[0]).toMatchObject({ restartPolicy: 'Always', startupProbe: { httpGet: { path: '/healthz' } } });
  });

  test('GIVEN no native sidecars WHEN HAProxy comes up after the hook started THEN the hook returns 0 and the app\'s first request goes through', async () => {
    // GIVEN a redis-server upstream and the construct's pod (1.27: the proxy first, with its hook)
    const bash = requireProgram('bash', 'bash');
    const haproxy = requireProgram('haproxy', 'haproxy');
    const redis = requireProgram('redis-server', 'redis-server');
    const [listen, upstream] = await freePorts(2);
    const redisServer = start(redis, ['--port', String(upstream), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
    await waitListening(redisServer, upstream);
    const { a, spec, config } = synthesize(listen, upstream);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['haproxy', 'app']);
    const hook: string[] = spec.containers[0].lifecycle.postStart.exec.command;
    expect(hook[0]).toBe('bash');
    // WHEN the kubelet runs the hook (the real bash), and HAProxy starts 2 s later
    const hookRun = runTimed([bash, ...hook.slice(1)]);
    await sleep(2000);
    fs.writeFileSync(path.join(dir, a.configFile), config);
    const args = spec.containers[0].args.map((x: string) => x.replace(`${a.configDir}/${a.configFile}`, path.join(dir, a.configFile)));
    const proxy = start(haproxy, args);
    // THEN the hook returns 0 once HAProxy listens (not before it started)
    const r = await hookRun;
    expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
    expect(r.seconds).toBeGreaterThanOrEqual(2);
    expect(r.seconds).toBeLessThan(10);
    // and the app, started only now, reaches redis through the ambassador at once
    expect(await ping(listen)).toBe('+PONG');
    expect(proxy.proc.exitCode).toBeNull();
  });

  test(`GIVEN no HAProxy WHEN the hook runs THEN it fails after its ${HOLD_APP_TIMEOUT_SECONDS} s bound, saying what it waited for`, async () => {
    const bash = requireProgram('bash', 'bash');
    const [listen, upstream] = await freePorts(2);
    const { spec } = synthesize(listen, upstream);
    const hook: string[] = spec.containers[0].lifecycle.postStart.exec.command;
    const r = await runTimed([bash, ...hook.slice(1)]);
    expect(r.status).toBe(1);
    expect(r.output).toBe(`nothing listens on 127.0.0.1:${listen} after ${HOLD_APP_TIMEOUT_SECONDS} s\n`);
    expect(r.seconds).toBeGreaterThanOrEqual(HOLD_APP_TIMEOUT_SECONDS - 1);
    expect(r.seconds).toBeLessThan(HOLD_APP_TIMEOUT_SECONDS + 10);
  }, (HOLD_APP_TIMEOUT_SECONDS + 20) * 1000);
});
