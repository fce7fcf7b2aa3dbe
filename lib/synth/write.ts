/**
 * Writes every output of one synth (the output directory, the kustomization, the copy for the
 * cdk8s CLI's CDK8S_OUTDIR) in one step or not at all, the way a database commits: with a journal.
 *
 * Why a journal and not a symlink swap: `dist/` is committed to git and read by Argo CD, Flux and
 * `kubectl apply -f dist/`. A `dist` symlink to a generation directory would put a symlink and a
 * generation directory in every user's repository (git, kubectl's directory walk, Windows
 * checkouts and Flux's source archive each treat symlinks their own way), and a directory cannot
 * be swapped for another in one step without renameat2(RENAME_EXCHANGE), which Node does not
 * offer. So `dist/` stays a plain directory that is never removed or renamed (it may be a mount
 * point or a symlink to a directory), and:
 *
 * 1. a lock (`dist/.synth.lock`, created exclusively) keeps a second synth out, with a message;
 * 2. a journal left by a crashed synth is finished first: a committed one is rolled forward, a
 *    prepared one (never committed) is rolled back by deleting what it staged; the journal of this
 *    synth (prepared, listing its staging directories) is written before the first file is staged
 *    (a synth that finds every file up to date writes none);
 * 3. every new file is written and fsynced into a staging directory inside the directory it will
 *    land in (same filesystem, so each later rename is atomic), the kustomization beside itself;
 *    past the first 32 files, a new file of less than one flush is created, written and fsynced
 *    by a worker thread while the synth goes on, and the commit (step 4) waits for every one of
 *    them: a staged file the commit lists is whole and durable either way;
 *    a failure here (disk full, read-only, a kustomization that is a directory) deletes the
 *    staging and leaves every output exactly as it was;
 * 4. the commit point: the journal, listing every rename still to do, is renamed into place;
 * 5. the renames are applied (each file is replaced whole: a reader sees each file old or new,
 *    never half-written), YAML files no chart writes any more are removed, the journal deleted.
 *
 * After a crash, the outputs are either the complete old output (crash before step 4) or are
 * completed to the complete new output by the next run, whatever that run is asked to do, before
 * it does anything else (crash after step 4). Nothing is left behind after the next run.
 * `POD_PATTERNS_FAULT=<step>` makes the process die (SIGKILL) at that step: the fault-injection
 * suite (test/faults/) kills a synth at every step this way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { MessageChannel, Worker } from 'worker_threads';

/**
 * The mode of the directories the synth creates, as a plain `mkdir` gives them: mkdir(2) takes
 * the process's umask off it, as it does for files. The umask is never read or set here (setting
 * it, even to read it, is refused in a worker thread).
 */
const DIRECTORY_MODE = 0o777;
const FILE_MODE = 0o666;
/** The lock file inside the output directory. */
export const LOCK_FILE = '.synth.lock';
/** The journal inside the output directory. */
// no .json or .yaml extension: `kubectl apply -f dist/`, Argo CD and Flux would take it for a manifest
export const JOURNAL_FILE = '.synth-journal';
const STAGING_PREFIX = '.synth-staging-';
const STAGED_SUFFIX = '.staged';
/** What a consumer (kubectl, Argo CD, Flux's kustomize) would apply from a directory. */
const MANIFEST = /\.(ya?ml|json)$/i;

/** What an output write did to the outputs: kept them, switched them, or left the switch to the next run. */
export type OutputState = 'unchanged' | 'new' | 'incomplete';

/** A failure while writing outputs, with what the outputs hold now. */
export class OutputError extends Error {
  public constructor(message: string, public readonly state: OutputState) {
    super(message);
    this.name = 'OutputError';
  }
}

/** The outputs of one synth. */
export interface OutputPlan {
  /** The output directory (name -> content becomes its whole YAML content). */
  readonly outdir: string;
  readonly files: ReadonlyMap<string, string>;
  /** A kustomization file to write with them. */
  readonly kustomization?: { readonly path: string; readonly text: string };
  /** A directory that gets a copy of the same files (the cdk8s CLI's CDK8S_OUTDIR). */
  readonly mirrorDir?: string;
}

/** What a successful write did, for the synth's report. */
export interface OutputReport {
  /** Lines that say what happened beyond writing the files (recovery, removals, symlinks). */
  readonly notes: string[];
}

interface DirTarget {
  /** The real directory the files land in. */
  readonly dir: string;
  /** The staging directory inside it. */
  readonly staging: string;
  readonly files: string[];
}

interface Journal {
  readonly phase: 'prepared' | 'committed';
  readonly pid: number;
  readonly started: string;
  readonly dirs: DirTarget[];
  readonly kustomization?: { readonly staged: string; readonly final: string };
}

/**
 * A step boundary of the write, for the fault-injection suite: `POD_PATTERNS_FAULT=<step>` kills
 * the process there (SIGKILL: no handler, no cleanup, as a crash or an OOM kill), and
 * `POD_PATTERNS_PAUSE=<step>:<file>` waits there until `<file>` exists (to hold a synth mid-way
 * while another one runs). Neither variable is meant for anything but tests.
 */
export function faultPoint(step: string): void {
  if (process.env.POD_PATTERNS_FAULT === step) process.kill(process.pid, 'SIGKILL');
  const pause = process.env.POD_PATTERNS_PAUSE;
  if (pause !== undefined && pause.startsWith(`${step}:`)) {
    const release = pause.slice(step.length + 1);
    const cell = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(release)) Atomics.wait(cell, 0, 0, 20);
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  return 'not a directory';
}

/**
 * The real directory behind `dir` (its resolved path when missing): a directory or a mount point is used as
 * it is, a symlink to a directory is followed (its target gets the files, the link stays), and
 * anything else is refused, untouched.
 */
function resolveDirectory(dir: string, what: string, notes: string[]): string {
  const st = lstatOrUndefined(dir);
  if (st === undefined) return path.resolve(dir);
  if (st.isDirectory()) return fs.realpathSync(dir);
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.realpathSync(dir);
    } catch {
      throw new OutputError(`${what} ${JSON.stringify(dir)} is a symlink to ${JSON.stringify(fs.readlinkSync(dir))}, which does not exist; expected a directory (create the target, or remove the link)`, 'unchanged');
    }
    if (!fs.statSync(target).isDirectory()) {
      throw new OutputError(`${what} ${JSON.stringify(dir)} is a symlink to ${JSON.stringify(target)}, which is not a directory; expected a directory (nothing was written)`, 'unchanged');
    }
    notes.push(`${dir} is a symlink to ${target}: the files were written there (the link was kept)`);
    return target;
  }
  throw new OutputError(`${what} ${JSON.stringify(dir)} exists and is ${kindOf(st)}; expected a directory or nothing (it was left as it is: move it away or choose another output directory)`, 'unchanged');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `dir`; throws when another live synth holds it. */
function lock(dir: string, label: string, notes: string[]): string {
  const file = path.join(dir, LOCK_FILE);
  const me = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() });
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, me, { flag: 'wx' });
      if (tookOver) notes.push(tookOver);
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(`cannot lock ${label}/ (${(e as Error).message}); nothing was written`, 'unchanged');
    }
    let holder: { pid?: number; host?: string; started?: string } = {};
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf-8'));
    } catch {
      // a lock being written this instant, or a torn one: treat as held unless it stays unreadable
    }
    const stale = holder.pid !== undefined && holder.host === os.hostname() && !isAlive(holder.pid);
    const busy = (): OutputError => new OutputError(`another synth (pid ${holder.pid ?? '?'} on ${holder.host ?? '?'}, started ${holder.started ?? '?'}) is writing ${label}/ (lock ${file}); this synth wrote nothing: ${label}/ is whatever that synth leaves. Run again when it has finished${holder.pid === undefined ? '' : ', or delete the lock if no such process runs'}`, 'unchanged');
    if (!stale || attempt > 0) throw busy();
    // the holder died (a crash): take its lock over. Renaming it to a name of our own first means
    // that of two synths taking over at once, only one removes the dead lock; one that finds it
    // moved a live synth's fresh lock instead puts it back and stops
    const claim = `${file}.claim-${process.pid}`;
    const staleText = JSON.stringify(holder);
    try {
      fs.renameSync(file, claim);
    } catch {
      continue; // another synth moved it first: try to create the lock again
    }
    let moved = '';
    try {
      moved = JSON.stringify(JSON.parse(fs.readFileSync(claim, 'utf-8')));
    } catch {
      // unreadable: not the stale lock we read
    }
    if (moved !== staleText) {
      try {
        fs.linkSync(claim, file);
      } catch {
        // a third synth holds the lock now; the one we moved is stale for its owner to see
      }
      fs.rmSync(claim, { force: true });
      throw busy();
    }
    fs.rmSync(claim, { force: true });
    tookOver = `took over the lock of a synth that died (pid ${holder.pid}, started ${holder.started})`;
  }
  /* c8 ignore next */
  throw new OutputError(`cannot lock ${label}/`, 'unchanged');
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // fsync of a directory is not supported everywhere; the rename order still holds
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeDurably(file: string, content: string): void {
  const fd = fs.openSync(file, 'wx', FILE_MODE);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeJournal(dir: string, journal: Journal): void {
  const file = path.join(dir, JOURNAL_FILE);
  const tmp = `${file}.tmp`;
  fs.rmSync(tmp, { force: true });
  writeDurably(tmp, JSON.stringify(journal));
  fs.renameSync(tmp, file);
  fsyncPath(dir);
}

/** Removes what a journal staged (a prepared, never committed, synth). */
function rollBack(journal: Journal): void {
  for (const d of journal.dirs) fs.rmSync(d.staging, { recursive: true, force: true });
  if (journal.kustomization) fs.rmSync(journal.kustomization.staged, { force: true });
}

/** Performs (or finishes) a committed journal's renames and removals; each step may already be done. */
function rollForward(journal: Journal, removed: string[]): void {
  for (const d of journal.dirs) {
    for (const f of d.files) {
      const staged = path.join(d.staging, f + STAGED_SUFFIX);
      // one rename, no stat before it: a staged file that is missing was not staged (the file in
      // place is the new one) or was renamed already by the run that crashed
      try {
        fs.renameSync(staged, path.join(d.dir, f));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || fs.existsSync(staged)) throw e;
        continue;
      }
      faultPoint('applied-one-file');
    }
    faultPoint('applied-files');
  }
  if (journal.kustomization && fs.existsSync(journal.kustomization.staged)) {
    fs.renameSync(journal.kustomization.staged, journal.kustomization.final);
  }
  faultPoint('applied-kustomization');
  for (const d of journal.dirs) {
    const keep = new Set(d.files);
    for (const entry of fs.readdirSync(d.dir)) {
      if (keep.has(entry) || entry.startsWith('.synth') || !MANIFEST.test(entry)) continue;
      const p = path.join(d.dir, entry);
      if (!lstatOrUndefined(p)?.isFile()) continue;
      fs.rmSync(p, { force: true });
      removed.push(p);
    }
    fs.rmSync(d.staging, { recursive: true, force: true });
    fsyncPath(d.dir);
  }
  faultPoint('cleaned');
}

/** Finishes or undoes what a crashed synth left in `dir`; says what it did. */
function recover(dir: string, label: string, notes: string[]): void {
  const file = path.join(dir, JOURNAL_FILE);
  fs.rmSync(`${file}.tmp`, { force: true });
  if (fs.existsSync(file)) {
    let journal: Journal | undefined;
    try {
      journal = JSON.parse(fs.readFileSync(file, 'utf-8'));
    } catch {
      journal = undefined;
    }
    if (journal?.phase === 'committed') {
      const removed: string[] = [];
      rollForward(journal, removed);
      notes.push(`completed a synth that was interrupted after it committed (pid ${journal.pid}, started ${journal.started}): ${label}/ got its output first`);
    } else if (journal) {
      rollBack(journal);
      notes.push(`removed what an interrupted synth had staged (pid ${journal.pid}, started ${journal.started}; it never committed, so ${label}/ had kept its output)`);
    }
    fs.rmSync(file, { force: true });
  }
  // staging a journal no longer lists (a crash before the journal was written), and the lock
  // claims of synths that died while taking over a dead lock
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith(STAGING_PREFIX)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    const claim = /^\.synth\.lock\.claim-(\d+)$/.exec(entry);
    if (claim && !isAlive(Number(claim[1]))) fs.rmSync(path.join(dir, entry), { force: true });
  }
  // what earlier versions of this writer (a sibling renamed over dist/) left when killed
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const legacy = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-[A-Za-z0-9]{6}$`);
  try {
    for (const entry of fs.readdirSync(parent)) {
      if (!legacy.test(entry)) continue;
      fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
      notes.push(`removed ${path.join(parent, entry)}, left by an interrupted synth of an earlier version`);
    }
  } catch {
    // an unreadable parent holds no leftovers we could remove
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Where {@link openOutputs} writes: the plan of {@link OutputPlan} without the files, which come one by one. */
export interface OutputTargets {
  readonly outdir: string;
  /** Where the kustomization will be written (its text is given to {@link OutputSession.commit}). */
  readonly kustomizationPath?: string;
  readonly mirrorDir?: string;
  /**
   * How many files the synth will write into the output directory, when it knows: more than
   * {@link INLINE_FSYNCS}, and the worker that makes them durable starts at once and takes every
   * file, the first ones included.
   * @default unknown: the first {@link INLINE_FSYNCS} files are fsynced in the synth's own thread
   */
  readonly files?: number;
}

/**
 * One synth's write, open: files are streamed into the staging directory one by one (while the
 * synth checks the next chart), then committed in one step, or aborted (nothing changes).
 */
export interface OutputSession {
  /**
   * Stages the file `name` from `chunks` (its YAML, in pieces). A file whose bytes equal the file
   * already in place is not staged (nor renamed later): it is the new output already. Throws an
   * {@link OutputError} (state `unchanged`, the session aborted) when it cannot be written.
   */
  writeFile(name: string, chunks: Iterable<string>): void;
  /**
   * Switches the outputs to the files written (every other YAML file of the output directory is
   * removed) and the kustomization text; throws an {@link OutputError} saying what they hold.
   */
  commit(kustomizationText?: string): OutputReport;
  /** Removes what was staged and releases the lock: the outputs are as they were. */
  abort(): void;
}

/** Node.js's worker_threads, loaded when a synth first needs its worker. */
const threads = (): typeof import('worker_threads') => require('worker_threads');

/** Files fsynced one after the other, in the synth's own thread, before the rest go to {@link Syncer}'s worker (whose start costs ~20 ms of CPU). */
const INLINE_FSYNCS = 32;

/**
 * Files handed to the worker in one message: each message wakes the worker's thread (a system
 * call on each side), so files go in small batches, a batch as soon as it is full, the rest when
 * the synth waits for them ({@link Syncer.wait}).
 */
const BATCH = 8;

/**
 * Makes the staged files durable before the commit. One fsync after the other costs a disk's
 * full flush latency per file (0.5 ms and more on this machine's disk: seconds for thousands of
 * charts); fsyncs issued together are flushed together by the file system's journal. So past the
 * first few files, each staged file's descriptor goes to a worker thread that fsyncs (on libuv's
 * thread pool, several at once) and closes it while the synth goes on with the next chart;
 * A new file (none in place) past those first few is even created and written by the worker
 * ({@link Syncer.create}): creating a file is the file system's slowest step (0.1 to 0.9 ms on this
 * machine's disk, while other programs fsync), and the synth need not wait for it.
 * {@link Syncer.wait} blocks until every fsync is done, and throws the first error. The commit
 * (the journal's rename) is written only after it returns: the order of a durable commit is kept.
 */
export class Syncer {
  private worker: Worker | undefined;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  /** The worker's errors (made with it: a synth of at most {@link INLINE_FSYNCS} files loads no worker_threads). */
  private errors: MessageChannel | undefined;
  private submitted = 0;
  private inline = 0;
  /** What the worker is to do next, not yet sent: `{ file }` (fsync it) or `{ file, text }` (create it). */
  private batch: Array<{ file: string; text?: string }> = [];

  /** @param files how many files the synth will write, when known: more than {@link INLINE_FSYNCS}, and the worker starts now */
  public constructor(files?: number) {
    if (files !== undefined && files > INLINE_FSYNCS) this.worker = this.start();
  }

  /**
   * Makes the file `file`, open as `fd`, durable, and closes `fd`: fsyncs it now, or closes it and
   * lets the worker fsync the file (fsync flushes the file, through any descriptor of it).
   */
  public sync(fd: number, file: string): void {
    if (this.worker === undefined && this.inline < INLINE_FSYNCS) {
      this.inline++;
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return;
    }
    fs.closeSync(fd);
    this.submit({ file });
  }

  /** Whether {@link Syncer.create} is used for the files staged from now on: once past the first {@link INLINE_FSYNCS} files. */
  public get offloading(): boolean {
    return this.worker !== undefined || this.inline >= INLINE_FSYNCS;
  }

  /**
   * Has the worker create `file` (exclusively), write `text` to it, fsync and close it, while the
   * synth goes on: creating a file costs the file system 0.1 to 0.9 ms, which the synth's own
   * thread would otherwise wait for, file after file. A failure is thrown by {@link Syncer.wait}.
   */
  public create(file: string, text: string): void {
    this.submit({ file, text });
  }

  /** Blocks until every fsync is done; throws the first that failed. */
  public wait(): void {
    if (this.worker === undefined) return;
    this.send();
    for (let done = Atomics.load(this.state, 0); done < this.submitted; done = Atomics.load(this.state, 0)) Atomics.wait(this.state, 0, done, 1000);
    const failed = threads().receiveMessageOnPort(this.errors!.port1);
    if (failed) throw Object.assign(new Error(String(failed.message.message)), { code: failed.message.code });
  }

  /** Waits for what was submitted (ignoring errors) and stops the worker. */
  public close(): void {
    try {
      this.wait();
    } catch {
      // a staging that failed is removed by the caller either way
    }
    void this.worker?.terminate();
    this.worker = undefined;
    this.errors?.port1.close();
  }

  private submit(item: { file: string; text?: string }): void {
    this.worker ??= this.start();
    this.submitted++;
    this.batch.push(item);
    if (this.batch.length >= BATCH) this.send();
  }

  private send(): void {
    if (this.batch.length === 0) return;
    this.worker!.postMessage(this.batch);
    this.batch = [];
  }

  private start(): Worker {
    const { MessageChannel: Channel, Worker: WorkerThread } = threads();
    const errors = (this.errors = new Channel());
    const worker = new WorkerThread(`
      const fs = require('fs');
      const { parentPort, workerData: { state, errors } } = require('worker_threads');
      const done = new Int32Array(state);
      const finish = (err) => {
        if (err) errors.postMessage({ message: err.message, code: err.code });
        Atomics.add(done, 0, 1);
        Atomics.notify(done, 0);
      };
      const sync = (fd) => fs.fsync(fd, (e) => fs.close(fd, (c) => finish(e || c)));
      const one = ({ file, text }) => {
        if (text === undefined) return fs.open(file, 'r', (err, fd) => (err ? finish(err) : sync(fd)));
        // created one after the other in this thread: creates in one directory at once only
        // contend for its lock (spinning, on a machine of few cores); the fsyncs run together
        let fd;
        try {
          fd = fs.openSync(file, 'wx', ${FILE_MODE});
          fs.writeFileSync(fd, text);
        } catch (err) {
          if (fd !== undefined) fs.closeSync(fd);
          return finish(err);
        }
        sync(fd);
      };
      parentPort.on('message', (batch) => { for (const item of batch) one(item); });`, {
      eval: true,
      workerData: { state: this.state.buffer, errors: errors.port2 },
      transferList: [errors.port2],
      // it writes nothing to either (its errors come back through `errors`): not piped into this
      // process's streams, which would otherwise be made for it while the synth runs
      stdout: true,
      stderr: true,
    });
    worker.unref();
    return worker;
  }
}

/**
 * Flushes a staged file's bytes to the disk every this many characters (and compares them with the
 * file in place). Small enough that the documents waiting for a flush die young: held for a
 * megabyte, they outlive V8's young generation and every chart's YAML would pile up in the old one
 * (about 1.5 times its size in RSS: the strings, their join and its bytes) until a full collection.
 */
const CHUNK = 1 << 16;

/**
 * One file being staged. While its bytes equal those of the file in place, nothing is written;
 * at the first difference the staged file is created with the equal prefix copied from the file
 * in place, and the rest is written to it.
 */
class StagedFile {
  private fd: number | undefined;
  private existing: number | undefined;
  private offset = 0;
  private pending: string[] = [];
  private pendingLength = 0;

  /** A new file (none in place) whose creation is left to the worker, unless it grows past one {@link CHUNK}. */
  private toWorker = false;

  /**
   * @param prepare makes the staging directory (and the journal that lists it) when the first file
   *   of a synth is staged: called before anything is created in it
   * @param mayExist false when the output directory was found without an entry of this name (no
   *   file in place to compare with: not even looked up)
   */
  public constructor(finalPath: string, private readonly stagedPath: string, private readonly syncer: Syncer, private readonly prepare: () => void, mayExist = true) {
    if (mayExist && fs.lstatSync(finalPath, { throwIfNoEntry: false })?.isFile()) this.existing = fs.openSync(finalPath, 'r');
    else if (syncer.offloading) this.toWorker = true;
    else this.diverge();
  }

  public write(s: string): void {
    this.pending.push(s);
    this.pendingLength += s.length;
    if (this.pendingLength >= CHUNK) this.flush();
  }

  /** Ends the file: returns whether it was staged (differs from the file in place). */
  public finish(): boolean {
    if (this.toWorker) {
      this.toWorker = false;
      const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
      this.pending = [];
      this.pendingLength = 0;
      this.prepare();
      this.syncer.create(this.stagedPath, text);
      return true;
    }
    this.flush();
    if (this.existing !== undefined) {
      if (fs.fstatSync(this.existing).size === this.offset) {
        this.close();
        return false;
      }
      this.diverge();
    }
    const fd = this.fd!;
    this.fd = undefined;
    this.syncer.sync(fd, this.stagedPath); // fsynced and closed (maybe while the synth goes on: see Syncer)
    return true;
  }

  public close(): void {
    if (this.existing !== undefined) fs.closeSync(this.existing);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.existing = this.fd = undefined;
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    if (this.toWorker) {
      this.toWorker = false;
      this.diverge();
    }
    const buf = Buffer.from(this.pending.length === 1 ? this.pending[0] : this.pending.join(''), 'utf-8');
    this.pending = [];
    this.pendingLength = 0;
    if (this.existing !== undefined) {
      const old = Buffer.allocUnsafe(buf.length);
      const n = fs.readSync(this.existing, old, 0, buf.length, this.offset);
      if (n === buf.length && old.equals(buf)) {
        this.offset += n;
        return;
      }
      this.diverge();
    }
    fs.writeSync(this.fd!, buf);
    this.offset += buf.length;
  }

  /** From here on the file differs from the file in place: create the staged file with the equal prefix. */
  private diverge(): void {
    this.prepare();
    this.fd = fs.openSync(this.stagedPath, 'wx', FILE_MODE);
    if (this.existing === undefined) return;
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(this.offset, 1)));
    for (let at = 0; at < this.offset;) {
      const n = fs.readSync(this.existing, buf, 0, Math.min(buf.length, this.offset - at), at);
      if (n <= 0) break;
      fs.writeSync(this.fd, buf, 0, n);
      at += n;
    }
    fs.closeSync(this.existing);
    this.existing = undefined;
  }
}

/**
 * Opens the outputs of one synth for writing (see the module's comment): checks that every output
 * can be written in kind, takes the lock, finishes a crashed synth. The journal (prepared) and the
 * staging directory follow when the first file differs from the one in place (or a switch only
 * removes files): a synth that finds every output up to date writes neither, and leaves the
 * outputs as they were. Throws an {@link OutputError} (state `unchanged`) when it cannot.
 */
export function openOutputs(targets: OutputTargets): OutputSession {
  const notes: string[] = [];
  const label = targets.outdir.replace(/\/+$/, '') || '/';
  // nothing is created before every output has been found writable in kind (a directory, a file)
  let outdir = resolveDirectory(targets.outdir, 'the output directory', notes);
  let mirror: string | undefined;
  if (targets.mirrorDir !== undefined) {
    const m = resolveDirectory(targets.mirrorDir, 'the CLI output directory (CDK8S_OUTDIR)', notes);
    if (m !== outdir) {
      if (isInside(m, outdir) || isInside(outdir, m)) {
        throw new OutputError(`the CLI output directory (CDK8S_OUTDIR) ${JSON.stringify(targets.mirrorDir)} and the output directory ${JSON.stringify(targets.outdir)} are one inside the other; expected two separate directories (set cdk8s.yaml's output to a scratch directory such as .cdk8s.out); nothing was written`, 'unchanged');
      }
      mirror = m;
    }
  }
  let kustomization: { staged: string; final: string } | undefined;
  if (targets.kustomizationPath !== undefined) {
    let final = path.resolve(targets.kustomizationPath);
    const st = lstatOrUndefined(final);
    if (st?.isSymbolicLink()) final = fs.realpathSync(final);
    const real = st && fs.statSync(final);
    if (real && !real.isFile()) {
      throw new OutputError(`kustomization ${JSON.stringify(targets.kustomizationPath)} exists and is ${real.isDirectory() ? 'a directory' : kindOf(real)}; expected a file or nothing (nothing was written)`, 'unchanged');
    }
    kustomization = { staged: path.join(path.dirname(final), `.${path.basename(final)}.synth-staged-${process.pid}`), final };
  }

  // created here: removed again (when still empty) unless the synth commits, as a synth that
  // fails leaves no output directory where there was none
  let created: string | undefined;
  if (!fs.existsSync(outdir)) {
    try {
      created = fs.mkdirSync(outdir, { recursive: true, mode: DIRECTORY_MODE });
    } catch (e) {
      throw new OutputError(`cannot create ${label}/ (${(e as Error).message}); nothing was written`, 'unchanged');
    }
    outdir = fs.realpathSync(outdir);
  }
  let committed = false;
  const removeCreated = (): void => {
    if (created === undefined || committed) return;
    // the directories mkdir created, innermost first; one that is not empty stays
    for (let d = outdir; ; d = path.dirname(d)) {
      try {
        fs.rmdirSync(d);
      } catch {
        break;
      }
      if (path.resolve(d) === path.resolve(created) || path.dirname(d) === d) break;
    }
  };
  let lockFile: string;
  try {
    lockFile = lock(outdir, label, notes);
  } catch (e) {
    removeCreated();
    throw e;
  }
  let open = true;
  const release = (): void => {
    if (!open) return;
    open = false;
    fs.rmSync(lockFile, { force: true });
    removeCreated();
  };

  const id = `${process.pid}-${Date.now().toString(36)}`;
  const names: string[] = [];
  const outTarget: DirTarget = { dir: outdir, staging: path.join(outdir, STAGING_PREFIX + id), files: names };
  const dirs: DirTarget[] = [outTarget];
  if (mirror) dirs.push({ dir: mirror, staging: path.join(mirror, STAGING_PREFIX + id), files: names });
  // the journal lists the staging directories before anything is staged; the file names, which a
  // roll-back does not need, are written with the commit
  const journal: Journal = { phase: 'prepared', pid: process.pid, started: new Date().toISOString(), dirs, kustomization };
  /** Files staged (they differ from the file in place). */
  const staged = new Set<string>();
  const written = new Set<string>();
  const syncer = new Syncer(targets.files);

  const failStaging = (e: unknown): never => {
    syncer.close();
    try {
      rollBack(journal);
      fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
    } catch {
      // the failure that stopped staging may stop cleaning too; the next run removes the rest
    }
    release();
    if (e instanceof OutputError) throw e;
    throw new OutputError(`could not write the new output (${(e as Error).message}); nothing was switched`, 'unchanged');
  };

  try {
    faultPoint('locked');
    recover(outdir, label, notes);
    if (mirror && fs.existsSync(mirror)) recover(mirror, targets.mirrorDir!, notes);
    faultPoint('recovered');
  } catch (e) {
    release();
    throw e;
  }
  // the entries of the output directory once the lock is held (a synth of 1,000 new charts then
  // looks up none of its files: one system call instead of one per file)
  const listed = new Set(fs.readdirSync(outdir));
  // the journal (prepared) and the staging directory are written when the first file is staged,
  // or a switch is to be committed: a synth whose every output is already in place writes neither
  let prepared = false;
  const prepare = (): void => {
    if (prepared) return;
    writeJournal(outdir, journal);
    faultPoint('prepared');
    fs.mkdirSync(outTarget.staging);
    prepared = true;
  };

  return {
    writeFile(name, chunks) {
      if (!open) throw new OutputError(`the output of ${label}/ was closed before ${name} was written; nothing was switched`, 'unchanged');
      if (written.has(name)) failStaging(new Error(`${name} written twice`));
      written.add(name);
      names.push(name);
      let file: StagedFile | undefined;
      try {
        // a name with a directory in it is looked up (the listing holds the output directory's own entries)
        const mayExist = listed.has(name) || name.includes('/') || name.includes(path.sep);
        file = new StagedFile(path.join(outdir, name), path.join(outTarget.staging, name + STAGED_SUFFIX), syncer, prepare, mayExist);
        for (const chunk of chunks) file.write(chunk);
        if (file.finish()) staged.add(name);
        if (names.length === 1) faultPoint('staged-one-file');
      } catch (e) {
        file?.close();
        if (e instanceof OutputError) throw e;
        // an error of the content (a value YAML cannot hold) is not an output error: the caller says what it was
        if (!(e as NodeJS.ErrnoException).code) {
          syncer.close();
          try {
            rollBack(journal);
            fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
          } finally {
            release();
          }
          throw e;
        }
        failStaging(e);
      }
    },

    commit(kustomizationText) {
      if (!open) throw new OutputError(`the output of ${label}/ was closed before it was committed; nothing was switched`, 'unchanged');
      try {
        syncer.wait();
      } catch (e) {
        failStaging(e);
      }
      try {
        try {
          syncer.wait();
          if (prepared) fsyncPath(outTarget.staging);
          faultPoint('staged-outdir');
          names.sort();
          if (dirs.length > 1) prepare();
          for (const d of dirs.slice(1)) {
            fs.mkdirSync(d.dir, { recursive: true, mode: DIRECTORY_MODE });
            fs.mkdirSync(d.staging);
            for (const f of names) {
              const from = staged.has(f) ? path.join(outTarget.staging, f + STAGED_SUFFIX) : path.join(outdir, f);
              fs.copyFileSync(from, path.join(d.staging, f + STAGED_SUFFIX), fs.constants.COPYFILE_EXCL);
              const copy = path.join(d.staging, f + STAGED_SUFFIX);
              syncer.sync(fs.openSync(copy, 'r'), copy);
            }
            syncer.wait();
            fsyncPath(d.staging);
            faultPoint('staged-mirror');
          }
          if (kustomization) {
            fs.rmSync(kustomization.staged, { force: true });
            const same = kustomizationText !== undefined && lstatOrUndefined(kustomization.final)?.isFile() && fs.readFileSync(kustomization.final, 'utf-8') === kustomizationText;
            if (!same) {
              prepare();
              writeDurably(kustomization.staged, kustomizationText ?? '');
            }
            faultPoint('staged-kustomization');
          }
        } catch (e) {
          failStaging(e);
        }

        const stale = fs.readdirSync(outdir).some((entry) => !written.has(entry) && !entry.startsWith('.synth') && MANIFEST.test(entry) && lstatOrUndefined(path.join(outdir, entry))?.isFile());
        const kustomizationStaged = kustomization !== undefined && fs.existsSync(kustomization.staged);
        if (dirs.length === 1 && staged.size === 0 && !stale && !kustomizationStaged) {
          // every file is the new output already, and nothing is to be removed: nothing to switch
          committed = true;
          if (prepared) {
            rollBack(journal);
            fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
          }
          faultPoint('switched');
          return { notes };
        }
        try {
          prepare(); // a switch that only removes files: the journal is written in its order all the same
        } catch (e) {
          failStaging(e);
        }

        // the commit point: from here on, the new output is what the outputs will hold
        const journal2: Journal = { ...journal, dirs: dirs.map((d) => ({ ...d, files: [...names] })), phase: 'committed' };
        try {
          writeJournal(outdir, journal2);
        } catch (e) {
          try {
            rollBack(journal);
            fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
          } catch {
            // see above
          }
          throw new OutputError(`could not commit the new output (${(e as Error).message}); nothing was switched`, 'unchanged');
        }
        committed = true;
        faultPoint('committed');
        const removed: string[] = [];
        try {
          rollForward(journal2, removed);
          fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
        } catch (e) {
          throw new OutputError(`the new output was committed, but switching to it stopped (${(e as Error).message}); ${label}/ may hold old and new files (each file whole); the next synth completes the switch before anything else (journal ${path.join(outdir, JOURNAL_FILE)})`, 'incomplete');
        }
        for (const r of removed) notes.push(`removed ${r}: no chart writes it any more`);
        faultPoint('switched');
        return { notes };
      } finally {
        syncer.close();
        release();
      }
    },

    abort() {
      if (!open) return;
      syncer.close();
      try {
        rollBack(journal);
        fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
      } finally {
        release();
      }
    },
  };
}

/**
 * Writes the outputs of one synth in one step or not at all (see the module's comment). Throws
 * an {@link OutputError} whose `state` says what the outputs hold.
 */
export function writeOutputs(plan: OutputPlan): OutputReport {
  const session = openOutputs({ outdir: plan.outdir, kustomizationPath: plan.kustomization?.path, mirrorDir: plan.mirrorDir, files: plan.files.size });
  try {
    for (const name of [...plan.files.keys()].sort()) session.writeFile(name, [plan.files.get(name)!]);
  } catch (e) {
    session.abort();
    throw e;
  }
  return session.commit(plan.kustomization?.text);
}

/**
 * Finishes (or undoes) what a crashed synth left in `outdir`, before a synth does anything else:
 * even a synth that then fails its checks leaves the outputs whole. Returns what it did.
 */
export function recoverOutputs(outdirPath: string): string[] {
  const notes: string[] = [];
  const st = lstatOrUndefined(outdirPath);
  if (st === undefined || !(st.isDirectory() || (st.isSymbolicLink() && fs.existsSync(outdirPath) && fs.statSync(outdirPath).isDirectory()))) return notes;
  const outdir = fs.realpathSync(outdirPath);
  const label = outdirPath.replace(/\/+$/, '') || '/';
  const hasWork = fs.readdirSync(outdir).some((e) => e === JOURNAL_FILE || e.startsWith(STAGING_PREFIX) || e === LOCK_FILE);
  if (!hasWork) return notes;
  let lockFile: string;
  try {
    lockFile = lock(outdir, label, notes);
  } catch (e) {
    // a read-only output directory cannot hold a crash's leftovers of ours: nothing to do
    if (e instanceof OutputError && e.message.startsWith('cannot lock')) return notes;
    throw e;
  }
  try {
    recover(outdir, label, notes);
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
  return notes;
}

/** The journal of a switch that was committed and not finished in `outdir`, if any (what the outputs hold then). */
export function pendingSwitch(outdirPath: string): string | undefined {
  const file = path.join(outdirPath, JOURNAL_FILE);
  try {
    const journal = JSON.parse(fs.readFileSync(file, 'utf-8')) as Journal;
    return journal.phase === 'committed' ? file : undefined;
  } catch {
    return undefined;
  }
}
