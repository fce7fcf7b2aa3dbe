/**
 * The example apps' shell loops, read from the synthesized charts, run as PID 1 of their own PID
 * namespace (`unshare --pid`, as a container runtime does) under Debian's BusyBox `sh` (the
 * Alpine images' /bin/sh is BusyBox ash), with the real redis-cli and curl: on SIGTERM each exits
 * within 2 s. A plain loop, the negative control, ignores SIGTERM as PID 1.
 *
 * What is substituted, and only that: the report Job's log directory becomes a temporary one.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { LogSidecarJobChart, REPORT_LOG_DIRECTORY } from '../../lib/charts/log-sidecar-chart';
import { OnePodOrTwoChart } from '../../lib/charts/one-pod-or-two-chart';
import { ProxyAmbassadorChart } from '../../lib/charts/proxy-ambassador-chart';
import { podSpecOf } from '../../lib/_pod/inject';
import { freePort, requireProgram, sleep } from './util';

/** The command line (command + args) of a container in a synthesized chart. */
function commandOf(manifests: any[], workload: string, containerName: string): string[] {
  const m = manifests.find((x) => x.metadata?.name === workload && podSpecOf(x));
  const spec = podSpecOf(m);
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === containerName);
  return [...(c.command ?? []), ...(c.args ?? [])];
}

let work: string;
let bin: string;
let busybox: string;
let unshare: string;
const nsArgs = process.getuid?.() === 0 ? ['--pid', '--fork', '--kill-child'] : ['--user', '--map-root-user', '--pid', '--fork', '--kill-child'];
const procs: ChildProcess[] = [];

beforeAll(() => {
  busybox = requireProgram(['/usr/bin/busybox', '/bin/busybox'], 'busybox');
  unshare = requireProgram(['/usr/bin/unshare'], 'util-linux');
  const probe = spawnSync(unshare, [...nsArgs, busybox, 'true'], { timeout: 5000 });
  if (probe.status !== 0) throw new Error(`unshare ${nsArgs.join(' ')} cannot create a PID namespace here: ${probe.stderr?.toString()}`);
});

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'example-apps-'));
  bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  for (const applet of ['sh', 'sleep', 'date', 'cat']) fs.symlinkSync(busybox, path.join(bin, applet));
  fs.symlinkSync(requireProgram('redis-cli', 'redis-tools'), path.join(bin, 'redis-cli'));
  fs.symlinkSync(requireProgram('curl', 'curl'), path.join(bin, 'curl'));
});

afterEach(async () => {
  for (const p of procs.splice(0)) {
    try {
      if (p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await sleep(50);
  fs.rmSync(work, { recursive: true, force: true });
});

/**
 * Runs a command line as PID 1 (its `/bin/sh` mapped to BusyBox), waits `settleMs`, sends
 * SIGTERM to that PID 1 and returns how long it took to exit and its status (unshare reports it), or
 * a null status when it still runs 3 s later.
 */
async function stopAsPid1(argv: string[], env: Record<string, string>, settleMs: number): Promise<{ ms: number; code: number | null; out: string }> {
  const shell = argv[0] === '/bin/sh' || argv[0] === 'sh' ? path.join(bin, 'sh') : argv[0];
  const p = spawn(unshare, [...nsArgs, shell, ...argv.slice(1)], { env: { PATH: bin, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  procs.push(p);
  let out = '';
  p.stdout!.on('data', (d) => { out += d; });
  p.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
  await sleep(settleMs);
  const children = fs.readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  expect(children).toHaveLength(1);
  const t0 = Date.now();
  process.kill(children[0], 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), 3000); })]);
  clearTimeout(timer);
  return { ms: Date.now() - t0, code: code === 'timeout' ? null : code, out };
}

describe('the example apps\' shell loops stop on SIGTERM as PID 1 (real busybox sh, redis-cli, curl)', () => {
  test('negative control: a plain loop as PID 1 ignores SIGTERM', async () => {
    const r = await stopAsPid1(['sh', '-c', 'while true; do echo tick; sleep 5; done'], {}, 500);
    expect(r.code).toBeNull();
    expect(r.ms).toBeGreaterThanOrEqual(3000);
  });

  test('the one-pod-or-two counter (redis-cli every 5 s, cache unreachable) exits 0 within 2 s', async () => {
    const argv = commandOf(Testing.synth(new OnePodOrTwoChart(Testing.app(), 'one-pod-or-two')), 'counter-sidecar', 'counter');
    expect(argv[2]).toMatch(/^trap 'exit 0' TERM; while true; do \{ redis-cli/);
    const r = await stopAsPid1(argv, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, 1500);
    console.log(`counter: exited ${r.code} ${r.ms} ms after SIGTERM`);
    expect(r.out).toContain('cache unavailable');
    expect({ code: r.code, fast: r.ms < 2000 }).toEqual({ code: 0, fast: true });
  });

  test('the proxy example\'s cart worker and rates poller exit 0 within 2 s, the poller even while curl waits on a silent upstream', async () => {
    const manifests = Testing.synth(new ProxyAmbassadorChart(Testing.app(), 'proxy-ambassador'));
    const worker = await stopAsPid1(commandOf(manifests, 'cart-worker', 'worker'), { REDIS_ADDR: `127.0.0.1:${await freePort()}` }, 1500);
    expect({ code: worker.code, fast: worker.ms < 2000 }).toEqual({ code: 0, fast: true });
    // an upstream that accepts and never answers: curl waits up to its 10 s --max-time
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const poller = await stopAsPid1(commandOf(manifests, 'rates-poller', 'poller'), { RATES_API_ADDR: `127.0.0.1:${port}` }, 1500);
      console.log(`cart worker: ${worker.ms} ms; rates poller (curl in flight): ${poller.ms} ms after SIGTERM`);
      expect({ code: poller.code, fast: poller.ms < 2000 }).toEqual({ code: 0, fast: true });
    } finally {
      silent.close();
    }
  });

  test('the report Job\'s script stops within 2 s with 143 (a stopped Job is not a completed one)', async () => {
    const argv = commandOf(Testing.synth(new LogSidecarJobChart(Testing.app(), 'log-sidecar-job')), 'report', 'report');
    const dir = path.join(work, 'report');
    fs.mkdirSync(dir);
    const mapped = argv.map((a) => a.split(`${REPORT_LOG_DIRECTORY}/`).join(`${dir}/`));
    const r = await stopAsPid1(mapped, {}, 1500);
    expect({ code: r.code, fast: r.ms < 2000 }).toEqual({ code: 143, fast: true });
    const lines = fs.readFileSync(path.join(dir, 'report.log'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step 1 of 5');
    expect(lines.length).toBeLessThan(5);
  });
});
