/**
 * The streaming LogSidecar's command, run by the real BusyBox (Debian's `busybox` package): the
 * exact command of the example chart's `log-access` and `log-error` containers, read from the
 * synthesized manifest, in a directory whose `sh`, `tail` and `sleep` are links to busybox, as in
 * the busybox image's /bin.
 *
 * What is substituted, and only that: the container's mount path of the log volume
 * (/var/log/nginx) becomes a temporary directory.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { streamingCommand } from '../../lib/log-sidecar';
import { LogSidecarChart, NGINX_LOG_DIRECTORY } from '../../lib/charts/log-sidecar-chart';
import { podSpecOf } from '../../lib/_pod/inject';
import { requireProgram, sleep } from './util';

/** The synthesized example chart's container, with the mount path of its log volume. */
function streamer(name: string): { command: string[]; mountPath: string } {
  const manifests = Testing.synth(new LogSidecarChart(Testing.app(), 'log-sidecar'));
  const web = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'web-logs');
  const c = podSpecOf(web).containers.find((x: any) => x.name === name);
  const mount = c.volumeMounts.find((m: any) => m.name === 'app-logs');
  expect(mount.readOnly).toBe(true);
  return { command: c.command, mountPath: mount.mountPath };
}

/** Replaces the container's mount path with a host directory in every argument; the path must occur exactly once. */
function mapPaths(command: string[], mountPath: string, hostDir: string): string[] {
  const occurrences = command.reduce((n, arg) => n + arg.split(`${mountPath}/`).length - 1, 0);
  expect(occurrences).toBe(1);
  return command.map((arg) => arg.split(`${mountPath}/`).join(`${hostDir}/`));
}

interface Stream {
  readonly proc: ChildProcess;
  /** Complete lines printed so far. */
  lines(): string[];
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

/** Starts a command in its own process group (so the group can be killed), with PATH = the image bin. */
function start(argv: string[], imageBin: string): Stream {
  const proc = spawn(argv[0], argv.slice(1), {
    env: { PATH: imageBin },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => { out += d.toString('utf8'); });
  proc.stderr!.on('data', (d) => { err += d.toString('utf8'); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    proc,
    lines: () => out.split('\n').slice(0, -1),
    stderr: () => err,
    exited,
  };
}

/** Waits until `done()` or the deadline; returns the milliseconds waited. */
async function until(done: () => boolean, timeoutMs: number, what: () => string): Promise<number> {
  const t0 = Date.now();
  while (!done()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await sleep(20);
  }
  return Date.now() - t0;
}

/** Whether a process is still alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function numbered(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${String(from + i).padStart(4, '0')} GET /item/${from + i} 200`);
}

let busybox: string;
let work: string;
let imageBin: string;

beforeAll(() => {
  busybox = requireProgram(['/usr/bin/busybox', '/bin/busybox'], 'busybox');
});

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'log-sidecar-'));
  imageBin = path.join(work, 'bin');
  fs.mkdirSync(imageBin);
  for (const applet of ['sh', 'tail', 'sleep']) fs.symlinkSync(busybox, path.join(imageBin, applet));
});

afterEach(async () => {
  // Kill each started process group, also when its leader has exited: a shell that exited on
  // SIGTERM leaves its tail running in the group (in a container, PID 1's exit would end it).
  for (const p of started.splice(0)) {
    if (p.pid === undefined) continue;
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // the whole group is gone
    }
  }
  await sleep(50);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('LogSidecar streaming command under the real busybox', () => {
  test('is the exported streaming command: tail -n+1 -F under a shell that traps SIGTERM', () => {
    const { command, mountPath } = streamer('log-access');
    expect(mountPath).toBe(NGINX_LOG_DIRECTORY);
    expect(command).toEqual(streamingCommand(`${NGINX_LOG_DIRECTORY}/access.log`));
    expect(command).toEqual(['sh', '-c', 'trap "sleep 1; exit 0" TERM; tail -n+1 -F /var/log/nginx/access.log & wait']);
  });

  test('prints every line, written before and after it starts, in order, within a bounded time', async () => {
    // GIVEN the log-access container's command, its path mapped to a temp dir, and a log file with 100 lines
    const { command, mountPath } = streamer('log-access');
    const dir = path.join(work, 'logs');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'access.log');
    const before = numbered('before', 1, 100);
    fs.writeFileSync(file, `${before.join('\n')}\n`);
    // WHEN the streamer starts and the app keeps appending (bursts, a long line, a line written in two parts)
    const stream = start(mapPaths(command, mountPath, dir), imageBin);
    const after: string[] = [];
    for (let burst = 0; burst < 10; burst++) {
      const lines = numbered('after', burst * 20 + 1, 20);
      fs.appendFileSync(file, `${lines.join('\n')}\n`);
      after.push(...lines);
      await sleep(50);
    }
    const long = `long ${'x'.repeat(8000)}`;
    fs.appendFileSync(file, `${long}\nünïcödé ✓\n`);
    fs.appendFileSync(file, 'partial line, first half ');
    await sleep(300);
    fs.appendFileSync(file, 'and second half\n');
    after.push(long, 'ünïcödé ✓', 'partial line, first half and second half');
    const lastWrite = Date.now();
    // THEN every line comes out on stdout, in order, nothing else
    const expected = [...before, ...after];
    await until(() => stream.lines().length >= expected.length, 10000, () => `${stream.lines().length}/${expected.length} lines; stderr: ${stream.stderr()}`);
    const latency = Date.now() - lastWrite;
    expect(stream.lines()).toEqual(expected);
    expect(stream.stderr()).toBe('');
    expect(latency).toBeLessThan(3000);
    process.stdout.write(`log-sidecar itest: ${expected.length} lines in order; last line ${latency} ms after it was written\n`);
  });

  test('waits for a file that does not exist yet and prints it once it appears', async () => {
    const { command, mountPath } = streamer('log-error');
    expect(command[2]).toContain('tail -n+1 -F /var/log/nginx/error.log');
    const dir = path.join(work, 'logs');
    fs.mkdirSync(dir);
    const stream = start(mapPaths(command, mountPath, dir), imageBin);
    await sleep(1200);
    expect(stream.proc.exitCode).toBeNull();
    const lines = numbered('error', 1, 30);
    fs.writeFileSync(path.join(dir, 'error.log'), `${lines.slice(0, 10).join('\n')}\n`);
    await sleep(100);
    fs.appendFileSync(path.join(dir, 'error.log'), `${lines.slice(10).join('\n')}\n`);
    const waited = await until(() => stream.lines().length >= lines.length, 10000, () => `${stream.lines().length}/${lines.length} lines; stderr: ${stream.stderr()}`);
    expect(stream.lines()).toEqual(lines);
    expect(stream.stderr()).toContain('has appeared');
    process.stdout.write(`log-sidecar itest: file created after start streamed in ${waited} ms\n`);
  });

  test('follows the file by name when it is rotated', async () => {
    const { command, mountPath } = streamer('log-access');
    const dir = path.join(work, 'logs');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'access.log');
    const first = numbered('first', 1, 20);
    fs.writeFileSync(file, `${first.join('\n')}\n`);
    const stream = start(mapPaths(command, mountPath, dir), imageBin);
    await until(() => stream.lines().length >= first.length, 5000, () => `${stream.lines().length}/${first.length}`);
    // rotate as logrotate does: rename, then a new file with the same name
    fs.renameSync(file, `${file}.1`);
    const second = numbered('second', 1, 20);
    fs.writeFileSync(file, `${second.join('\n')}\n`);
    await until(() => stream.lines().length >= first.length + second.length, 10000, () => `${stream.lines().length}/${first.length + second.length}; stderr: ${stream.stderr()}`);
    expect(stream.lines()).toEqual([...first, ...second]);
  });

  test('on SIGTERM prints what was just written, then exits 0 within its grace second', async () => {
    const { command, mountPath } = streamer('log-access');
    const dir = path.join(work, 'logs');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(file, 'first\n');
    const stream = start(mapPaths(command, mountPath, dir), imageBin);
    await until(() => stream.lines().length >= 1, 5000, () => stream.stderr());
    await sleep(200);
    fs.appendFileSync(file, 'last words\n');
    const t0 = Date.now();
    stream.proc.kill('SIGTERM');
    const { code, signal } = await stream.exited;
    const took = Date.now() - t0;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(3000);
    expect(stream.lines()).toEqual(['first', 'last words']);
    process.stdout.write(`log-sidecar itest: exited 0 ${took} ms after SIGTERM\n`);
  });

  test('as PID 1 of its own PID namespace it stops on SIGTERM, where a bare tail ignores it', async () => {
    // A container's command is PID 1 of the container's PID namespace: the kernel drops signals PID 1
    // has no handler for. unshare gives the command its own PID namespace, as a container runtime does.
    const unshare = requireProgram(['/usr/bin/unshare'], 'util-linux');
    const nsArgs = process.getuid?.() === 0 ? ['--pid', '--fork', '--kill-child'] : ['--user', '--map-root-user', '--pid', '--fork', '--kill-child'];
    const probe = spawnSync(unshare, [...nsArgs, busybox, 'true'], { timeout: 5000 });
    if (probe.status !== 0) throw new Error(`unshare ${nsArgs.join(' ')} cannot create a PID namespace here: ${probe.stderr?.toString()}`);
    const { command, mountPath } = streamer('log-access');
    const dir = path.join(work, 'logs');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'access.log'), 'hello\n');
    const mapped = mapPaths(command, mountPath, dir);
    const bareTail = ['tail', '-n+1', '-F', path.join(dir, 'access.log')];

    /** Runs argv as PID 1 under unshare; returns the stream and the host pid of that PID 1. */
    const asPid1 = async (argv: string[]) => {
      const s = start([unshare, ...nsArgs, path.join(imageBin, argv[0]), ...argv.slice(1)], imageBin);
      await until(() => s.lines().length >= 1, 5000, () => s.stderr());
      const children = fs.readFileSync(`/proc/${s.proc.pid}/task/${s.proc.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
      expect(children).toHaveLength(1);
      return { s, pid1: children[0] };
    };

    // GIVEN the bare tail as PID 1: SIGTERM is ignored
    const bare = await asPid1(bareTail);
    process.kill(bare.pid1, 'SIGTERM');
    await sleep(1500);
    expect(alive(bare.pid1)).toBe(true);
    // WHEN the streaming command is PID 1
    const wrapped = await asPid1(mapped);
    const t0 = Date.now();
    process.kill(wrapped.pid1, 'SIGTERM');
    // THEN it exits within its grace second (unshare reports the child's status)
    const { code } = await wrapped.s.exited;
    const took = Date.now() - t0;
    expect(code).toBe(0);
    expect(took).toBeLessThan(3000);
    expect(wrapped.s.lines()).toEqual(['hello']);
    process.stdout.write(`log-sidecar itest: as PID 1, bare tail ignored SIGTERM for 1500 ms; the streaming command exited 0 after ${took} ms\n`);
  });
});
