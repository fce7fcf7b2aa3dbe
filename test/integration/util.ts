/**
 * What the integration tests share: finding the real programs (failing, never skipping, when one
 * is missing), free loopback ports, and starting and always stopping processes.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin', '/bin'];

/**
 * The absolute path of a program — a name looked up in PATH and the system directories, or a list
 * of absolute candidates — or a clear failure naming the Debian package to install.
 */
export function requireProgram(program: string | readonly string[], pkg: string): string {
  const candidates = typeof program === 'string'
    ? [...new Set([...(process.env.PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS])].map((d) => path.join(d, program))
    : program;
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return c;
    } catch {
      // try the next one
    }
  }
  const name = typeof program === 'string' ? program : path.basename(program[0]);
  throw new Error(`${name} not found (looked at ${candidates.join(', ')}): install the Debian package "${pkg}" (apt-get install -y ${pkg})`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Free ports, all different. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a TCP port on 127.0.0.1 accepts connections. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

/** A started program and everything it printed. */
export interface Running {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly output: () => string;
}

const RUNNING: Running[] = [];

/** Starts a program, collecting its output; {@link stopAll} stops it. */
export function start(cmd: string, args: string[]): Running {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  proc.on('error', (e) => { out += `spawn error: ${e.message}\n`; });
  const r = { name: path.basename(cmd), proc, output: () => `--- ${path.basename(cmd)} ${args.join(' ')} ---\n${out}` };
  RUNNING.push(r);
  return r;
}

/** Stops a program: SIGTERM, then SIGKILL after 3 s. */
export async function stop(r: Running | undefined): Promise<void> {
  if (!r || r.proc.exitCode !== null || r.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => r.proc.once('exit', () => resolve()));
  r.proc.kill('SIGTERM');
  const timer = setTimeout(() => r.proc.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Stops every program started with {@link start}. */
export async function stopAll(): Promise<void> {
  while (RUNNING.length > 0) await stop(RUNNING.pop()!);
}

/** Waits (at most 10 s) until the program listens on the port; fails with its output if it exits or never does. */
export async function waitListening(r: Running, port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (r.proc.exitCode !== null || r.proc.signalCode !== null) throw new Error(`${r.name} exited (${r.proc.exitCode ?? r.proc.signalCode}) before listening on ${port}\n${r.output()}`);
    if (await accepts(port)) return;
    await sleep(50);
  }
  throw new Error(`${r.name} did not listen on ${port} within 10 s\n${r.output()}`);
}
