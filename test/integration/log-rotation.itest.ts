/**
 * LogSidecar rotation, run with the real programs: the rotator's script (read from the
 * synthesized manifest) under Debian's BusyBox, Debian's nginx writing its access log and
 * reopening it on the rotator's USR1, and the streaming container's `tail -F` (also from the
 * manifest) following the file across every rotation. The rotator and nginx share one PID
 * namespace (`unshare --pid --mount-proc`), as the pod's containers do with shareProcessNamespace.
 *
 * What is substituted, and only that: the log volume's mount path (/var/log/nginx) becomes a
 * temporary directory.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LogRotation, LogSidecar } from '../../lib';
import { podSpecOf } from '../../lib/_pod/inject';
import { freePort, requireProgram, sleep } from './util';

const LOG_DIR = '/var/log/nginx';
const MiB = 1024 * 1024;

/** The synthesized rotator and access-log streamer of a LogSidecar with the given rotation. */
function synthesize(rotation: LogRotation, files = ['access.log', 'error.log']) {
  const chart = new Chart(Testing.app(), 'itest');
  const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: 'nginx:1.27.5' }] });
  new LogSidecar(chart, 'logs', { workload: web, logDirectory: LOG_DIR, logFiles: files, rotation, volumeSizeLimit: Size.mebibytes(64) });
  const spec = podSpecOf(Testing.synth(chart).find((m: any) => m.kind === 'Deployment'));
  const rotator = spec.containers.find((c: any) => c.name === 'log-rotate');
  const streamer = spec.containers.find((c: any) => c.name === 'log-access');
  return { spec, rotator: rotator.command as string[], streamer: streamer.command as string[] };
}

/** Maps the in-pod log directory to a host directory in every argument. */
const mapDir = (argv: string[], dir: string) => argv.map((a) => a.split(`${LOG_DIR}/`).join(`${dir}/`));

interface Proc {
  readonly proc: ChildProcess;
  out(): string;
  err(): string;
}
const procs: ChildProcess[] = [];
function run(argv: string[], env: NodeJS.ProcessEnv): Proc {
  const proc = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { err += d; });
  return { proc, out: () => out, err: () => err };
}

async function until(done: () => boolean, ms: number, what: () => string): Promise<void> {
  const t0 = Date.now();
  while (!done()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms: ${what()}`);
    await sleep(50);
  }
}

let busybox: string;
let work: string;
let bin: string;

beforeAll(() => {
  busybox = requireProgram(['/usr/bin/busybox', '/bin/busybox'], 'busybox');
});

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'log-rotation-'));
  bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  // the busybox image's /bin: every applet the rotator and the streamer call
  for (const applet of ['sh', 'tail', 'sleep', 'stat', 'mv', 'cp', 'rm', 'kill', 'cat']) fs.symlinkSync(busybox, path.join(bin, applet));
  fs.mkdirSync(path.join(work, 'logs'));
});

afterEach(async () => {
  for (const p of procs.splice(0)) {
    try {
      if (p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await sleep(100);
  fs.rmSync(work, { recursive: true, force: true });
});

/** Starts nginx (access log in logs/) and the rotator in one new PID namespace, the rotator's command exec'd by the shell that started nginx. */
async function nginxWithRotator(rotatorArgv: string[], port: number): Promise<Proc> {
  const nginx = requireProgram(['/usr/sbin/nginx', '/usr/bin/nginx'], 'nginx');
  const unshare = requireProgram(['/usr/bin/unshare'], 'util-linux');
  const logs = path.join(work, 'logs');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${path.join(work, `${t}_temp`)};`).join('\n');
  // workers as the master's user (nginx-unprivileged runs master and workers as 101, the rotator's appUser):
  // a worker reopens the logs itself after USR1, in this 0700 temporary directory too
  const asRoot = process.getuid?.() === 0;
  fs.writeFileSync(path.join(work, 'nginx.conf'), [
    ...(asRoot ? ['user root;'] : []),
    'worker_processes 1;',
    `pid ${path.join(work, 'nginx.pid')};`,
    `error_log ${logs}/error.log notice;`,
    'events { worker_connections 64; }',
    'http {',
    `    access_log ${logs}/access.log;`,
    temp,
    `    server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }`,
    '}',
    '',
  ].join('\n'));
  const nsArgs = process.getuid?.() === 0 ? ['--pid', '--fork', '--mount-proc', '--kill-child'] : ['--user', '--map-root-user', '--pid', '--fork', '--mount-proc', '--kill-child'];
  const probe = spawnSync(unshare, [...nsArgs, busybox, 'true'], { timeout: 5000 });
  if (probe.status !== 0) throw new Error(`unshare ${nsArgs.join(' ')} cannot create a PID namespace here: ${probe.stderr?.toString()}`);
  const launcher = `${nginx} -e stderr -p ${work} -c ${path.join(work, 'nginx.conf')} -g "daemon off;" & exec "$@"`;
  const p = run([unshare, ...nsArgs, path.join(bin, 'sh'), '-c', launcher, 'sh', ...rotatorArgv.map((a, i) => (i === 0 ? path.join(bin, a) : a))], { PATH: bin });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(500) });
      return p;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`nginx did not answer: ${p.err()}`);
}

/** Sends `count` requests whose access-log lines are about 3 KiB each, ids from `from`. */
async function requests(port: number, from: number, count: number): Promise<void> {
  const pad = 'x'.repeat(3000);
  for (let i = from; i < from + count; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/r/${String(i).padStart(5, '0')}?pad=${pad}`);
    await r.text();
  }
}

const ids = (text: string) => [...text.matchAll(/GET \/r\/(\d{5})\?/g)].map((m) => Number(m[1]));
const sizeOf = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);

describe('LogSidecar rotation (real busybox, nginx and tail -F)', () => {
  test('signal rotation: nginx reopens its log on USR1, at most keep files remain, and the streamer prints every line once, in order', async () => {
    // GIVEN the synthesized rotator (1 MiB, keep 2, every second) and access-log streamer
    const rotation = LogRotation.signal({ maxSize: Size.mebibytes(1), keep: 2, checkInterval: Duration.seconds(1), appUser: 101, processName: 'nginx' });
    const s = synthesize(rotation);
    expect(s.spec.shareProcessNamespace).toBe(true);
    const logs = path.join(work, 'logs');
    const access = path.join(logs, 'access.log');
    // WHEN nginx and the rotator run, the streamer follows access.log, and 1500 requests (about 4.5 MiB of log, about
    // 250 KiB/s: one rotation every 4 s; the streamer needs about 3 s per rotation, see rotationStreamingCommand) arrive
    const port = await freePort();
    const streamer = run(mapDir(s.streamer, logs).map((a, i) => (i === 0 ? path.join(bin, a) : a)), { PATH: bin });
    const rotator = await nginxWithRotator(mapDir(s.rotator, logs), port);
    let peak = 0;
    const N = 1500;
    for (let b = 0; b < N / 50; b++) {
      await requests(port, b * 50, 50);
      peak = Math.max(peak, ['', '.1', '.2', '.3'].reduce((n, x) => n + sizeOf(access + x), 0));
      await sleep(500);
    }
    // THEN the streamer printed every request exactly once, in order, across the rotations
    await until(() => ids(streamer.out()).length >= N, 15000, () => `${ids(streamer.out()).length}/${N} lines; ${streamer.err()}`);
    expect(ids(streamer.out())).toEqual(Array.from({ length: N }, (_, i) => i));
    // and the rotator rotated access.log several times and signalled nginx each time (no complaint)
    const rotations = rotator.out().split('\n').filter((l) => l === `rotate: rotated ${access}`).length;
    expect(rotations).toBeGreaterThanOrEqual(3);
    expect(rotator.err()).not.toContain('no process named nginx');
    // and nginx writes into a fresh access.log after the rotations: one more request lands there, not in access.log.1
    await sleep(1500);
    await requests(port, 99999, 1);
    await sleep(500);
    expect(ids(fs.readFileSync(access, 'utf8'))).toContain(99999);
    expect(ids(fs.readFileSync(`${access}.1`, 'utf8'))).not.toContain(99999);
    // and at most keep (2) rotated files remain, each about maxSize (what one second of requests adds beyond it)
    expect(fs.readdirSync(logs).sort()).toEqual(['access.log', 'access.log.1', 'access.log.2', 'error.log']);
    for (const f of ['.1', '.2']) expect(sizeOf(access + f)).toBeLessThan(2.5 * MiB);
    // and the files never held more than the budget ((keep + 1) × maxSize = 3 MiB) plus one check interval of writes, while 4.5 MiB were written
    console.log(`log rotation (signal): ${rotations} rotations, peak ${(peak / MiB).toFixed(2)} MiB on disk for ${N} requests (${(N * 3.1 / 1024).toFixed(1)} MiB of log)`);
    expect(peak).toBeLessThan(4 * MiB);
  });

  test('negative control: when the signal reaches no nginx, nginx keeps writing into the renamed file, which grows past maxSize', async () => {
    const rotation = LogRotation.signal({ maxSize: Size.mebibytes(1), keep: 2, checkInterval: Duration.seconds(1), appUser: 101, processName: 'not-nginx' });
    const s = synthesize(rotation);
    const logs = path.join(work, 'logs');
    const access = path.join(logs, 'access.log');
    const port = await freePort();
    const streamer = run(mapDir(s.streamer, logs).map((a, i) => (i === 0 ? path.join(bin, a) : a)), { PATH: bin });
    const rotator = await nginxWithRotator(mapDir(s.rotator, logs), port);
    await requests(port, 0, 500);
    await until(() => rotator.out().includes('rotate: rotated'), 5000, () => rotator.out());
    await requests(port, 500, 100);
    await sleep(1500);
    expect(rotator.err()).toContain('rotate: no process named not-nginx to signal');
    // nginx still writes into the renamed file: access.log is not recreated, and access.log.1 grows past maxSize, unbounded
    expect(fs.existsSync(access)).toBe(false);
    const stuck = ids(fs.readFileSync(`${access}.1`, 'utf8'));
    expect(stuck[stuck.length - 1]).toBe(599);
    expect(sizeOf(`${access}.1`)).toBeGreaterThan(1 * MiB + 100 * 3000);
    expect(streamer.proc.exitCode).toBeNull();
  });

  test('copy-truncate rotation: an appending writer continues at the start of the truncated file, and the streamer follows the truncations', async () => {
    // GIVEN the synthesized copy-truncate rotator and streamer
    const rotation = LogRotation.copyTruncate({ maxSize: Size.mebibytes(1), keep: 2, checkInterval: Duration.seconds(1), appUser: 1000 });
    const s = synthesize(rotation, ['access.log']);
    expect(s.spec.shareProcessNamespace).toBeUndefined();
    const logs = path.join(work, 'logs');
    const access = path.join(logs, 'access.log');
    fs.writeFileSync(access, '');
    const streamer = run(mapDir(s.streamer, logs).map((a, i) => (i === 0 ? path.join(bin, a) : a)), { PATH: bin });
    const rotator = run(mapDir(s.rotator, logs).map((a, i) => (i === 0 ? path.join(bin, a) : a)), { PATH: bin });
    // WHEN an app appends (O_APPEND, as nginx and most loggers open their files) about 3 MiB in bursts of 1000 lines a second
    const N = 12000;
    const pad = 'y'.repeat(240);
    const writer = run([path.join(bin, 'sh'), '-c', `i=0; while [ $i -lt ${N} ]; do echo "GET /r/$(printf %05d $i)? ${pad}"; i=$((i + 1)); if [ $((i % 1000)) = 0 ]; then sleep 1; fi; done >> ${access}`], { PATH: bin });
    await new Promise<void>((resolve) => writer.proc.once('exit', () => resolve()));
    await sleep(2500);
    // THEN the file was rotated, at most keep copies remain, and the live file is small again
    const rotations = rotator.out().split('\n').filter((l) => l === `rotate: rotated ${access}`).length;
    expect(rotations).toBeGreaterThanOrEqual(2);
    expect(fs.readdirSync(logs).sort()).toEqual(['access.log', 'access.log.1', 'access.log.2']);
    // and the truncated file has no hole of NUL bytes (the writer appends at the new end)
    const live = fs.readFileSync(access);
    expect(live.includes(0)).toBe(false);
    expect(sizeOf(access)).toBeLessThan(1.5 * MiB);
    // and the streamer kept following: it printed the last line, and nearly every line (copy-truncate loses the lines
    // written between tail's last read and the truncation: they are only in access.log.1)
    await until(() => ids(streamer.out()).includes(N - 1), 10000, () => `${ids(streamer.out()).length} lines; ${streamer.err()}`);
    const printed = ids(streamer.out());
    expect(new Set(printed).size).toBeGreaterThan(N * 0.8);
    expect(printed).toEqual([...printed].sort((x, y) => x - y));
    console.log(`log rotation (copytruncate): ${rotations} rotations; streamer printed ${new Set(printed).size}/${N} distinct lines (${printed.length} in all)`);
  });
});
