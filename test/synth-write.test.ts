import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openOutputs, Syncer } from '../lib/synth/write';

/** A chart's YAML of `n` documents of about 1 KB each, in pieces as the synth streams them. */
function documents(n: number, last = 'last'): string[] {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(`${i === 0 ? '' : '---\n'}kind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  v: ${i === n - 1 ? last : 'x'.repeat(1000)}\n`);
  return docs;
}

function stage(outdir: string, name: string, chunks: string[]): void {
  const session = openOutputs({ outdir });
  session.writeFile(name, chunks);
  session.commit();
}

describe('the output writer streams a file in pieces, comparing it with the file in place', () => {
  test('writes a file many flushes long whose bytes differ from the file in place only at its end', () => {
    // GIVEN an output file of about 300 KB (several flushes of the writer)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-write-'));
    stage(outdir, 'a.k8s.yaml', documents(300));
    const before = fs.readFileSync(path.join(outdir, 'a.k8s.yaml'), 'utf-8');
    expect(before.length).toBeGreaterThan(300_000);
    // WHEN the same file is written with only its last document changed
    const next = documents(300, 'changed');
    stage(outdir, 'a.k8s.yaml', next);
    // THEN the file holds exactly the new bytes (the equal prefix copied, the rest written), and nothing else is left
    expect(fs.readFileSync(path.join(outdir, 'a.k8s.yaml'), 'utf-8')).toBe(next.join(''));
    expect(fs.readdirSync(outdir)).toEqual(['a.k8s.yaml']);
  });

  test('leaves a file many flushes long in place when its bytes are those written', () => {
    // GIVEN an output file of about 300 KB
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-write-'));
    stage(outdir, 'a.k8s.yaml', documents(300));
    const inode = fs.statSync(path.join(outdir, 'a.k8s.yaml')).ino;
    // WHEN the same bytes are written again, in other pieces
    stage(outdir, 'a.k8s.yaml', [documents(300).join('')]);
    // THEN the file was not replaced
    expect(fs.statSync(path.join(outdir, 'a.k8s.yaml')).ino).toBe(inode);
    // AND with one byte more at the end, it is replaced by the new bytes
    stage(outdir, 'a.k8s.yaml', [...documents(300), '#']);
    expect(fs.statSync(path.join(outdir, 'a.k8s.yaml')).ino).not.toBe(inode);
    expect(fs.readFileSync(path.join(outdir, 'a.k8s.yaml'), 'utf-8')).toBe(`${documents(300).join('')}#`);
  });
});

/** A fresh output directory holding `files`, written by one synth's writer and committed. */
function synthesizedDir(files: Record<string, string[]>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-write-'));
  const session = openOutputs({ outdir });
  for (const [name, docs] of Object.entries(files)) session.writeFile(name, docs);
  session.commit();
  return outdir;
}

describe('the output writer writes its journal and staging directory only when a file is staged', () => {
  test('GIVEN every file up to date WHEN written again THEN no journal or staging directory is made; a file that differs makes both before it is staged', () => {
    // GIVEN two output files in place
    const outdir = synthesizedDir({ 'a.k8s.yaml': documents(3), 'b.k8s.yaml': documents(2) });
    // WHEN a synth writes the same bytes
    const same = openOutputs({ outdir });
    same.writeFile('a.k8s.yaml', documents(3));
    same.writeFile('b.k8s.yaml', documents(2));
    // THEN, before its commit, the directory holds the files and the lock only
    expect(fs.readdirSync(outdir).sort()).toEqual(['.synth.lock', 'a.k8s.yaml', 'b.k8s.yaml']);
    same.commit();
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
    // WHEN a synth writes a first file the same and a second one different
    const changed = openOutputs({ outdir });
    changed.writeFile('a.k8s.yaml', documents(3));
    expect(fs.readdirSync(outdir).sort()).toEqual(['.synth.lock', 'a.k8s.yaml', 'b.k8s.yaml']);
    changed.writeFile('b.k8s.yaml', documents(2, 'changed'));
    // THEN the journal (prepared) and the staging directory are there before the commit, the staged file in it
    const entries = fs.readdirSync(outdir).sort();
    expect(entries).toEqual(['.synth-journal', expect.stringMatching(/^\.synth-staging-/), '.synth.lock', 'a.k8s.yaml', 'b.k8s.yaml']);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, '.synth-journal'), 'utf-8')).phase).toBe('prepared');
    expect(fs.readdirSync(path.join(outdir, entries[1]))).toEqual(['b.k8s.yaml.staged']);
    // AND the commit switches to the new file and leaves nothing else
    changed.commit();
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'b.k8s.yaml'), 'utf-8')).toBe(documents(2, 'changed').join(''));
  });

  test('GIVEN a chart no longer written WHEN the others are up to date THEN the switch removes its file and says so', () => {
    const outdir = synthesizedDir({ 'a.k8s.yaml': documents(2), 'old.k8s.yaml': documents(1) });
    const next = openOutputs({ outdir });
    next.writeFile('a.k8s.yaml', documents(2));
    const report = next.commit();
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml']);
    expect(report.notes).toEqual([`removed ${path.join(fs.realpathSync(outdir), 'old.k8s.yaml')}: no chart writes it any more`]);
  });
});

describe('the output writer\'s worker, when the synth says how many files it writes', () => {
  test('GIVEN more than 32 files to write THEN the worker takes every file from the first (none is fsynced in the synth\'s own thread), in batches, and all are whole after the wait', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-syncer-'));
    const syncer = new Syncer(33);
    try {
      expect(syncer.offloading).toBe(true);
      // 11 files: one batch of 8 sent at once, 3 sent by the wait
      for (let i = 0; i < 11; i++) syncer.create(path.join(dir, `f${i}`), `file ${i}\n`);
      syncer.wait();
      expect(fs.readdirSync(dir).sort()).toEqual(Array.from({ length: 11 }, (_, i) => `f${i}`).sort());
      for (let i = 0; i < 11; i++) expect(fs.readFileSync(path.join(dir, `f${i}`), 'utf-8')).toBe(`file ${i}\n`);
    } finally {
      syncer.close();
    }
  });

  test('negative control: GIVEN 32 files or an unknown number THEN the first files are fsynced in the synth\'s own thread (no worker yet)', () => {
    for (const files of [32, undefined]) {
      const syncer = new Syncer(files);
      expect(syncer.offloading).toBe(false);
      syncer.close();
    }
  });

  test('fails at the wait with the first error of a batch, after every file of it was tried', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-syncer-'));
    const syncer = new Syncer(40);
    try {
      syncer.create(path.join(dir, 'a'), 'a');
      syncer.create(path.join(dir, 'missing', 'b'), 'b');
      syncer.create(path.join(dir, 'c'), 'c');
      expect(() => syncer.wait()).toThrow(/^ENOENT: no such file or directory, open '.*\/missing\/b'$/);
      expect(fs.readdirSync(dir).sort()).toEqual(['a', 'c']);
    } finally {
      syncer.close();
    }
  });
});

describe('the output writer hands the creation of new files past the first 32 to its worker thread', () => {
  const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `c-${String(i).padStart(3, '0')}.k8s.yaml`);

  test('writes 48 new files whole, each with its own bytes, and leaves nothing else', () => {
    // GIVEN an empty output directory and 48 charts (16 past the 32 files fsynced in the synth's own thread)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-write-'));
    const session = openOutputs({ outdir });
    // WHEN they are written, some in several pieces and one past a flush (64 K characters) among those past the 32, and committed
    for (const [i, name] of names(48).entries()) session.writeFile(name, i === 40 ? documents(80) : [`kind: ConfigMap\n`, `metadata:\n  name: c-${i}\n`]);
    session.commit();
    // THEN every file holds exactly its bytes, and only the files are left (no staging, journal or lock)
    expect(fs.readdirSync(outdir).sort()).toEqual(names(48));
    for (const [i, name] of names(48).entries()) {
      expect(fs.readFileSync(path.join(outdir, name), 'utf-8')).toBe(i === 40 ? documents(80).join('') : `kind: ConfigMap\nmetadata:\n  name: c-${i}\n`);
    }
  });

  test('fails at the commit when the worker cannot create a file, and leaves the old output exactly as it was', () => {
    // GIVEN an output directory holding one file of an earlier synth
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-write-'));
    stage(outdir, 'old.k8s.yaml', ['kind: ConfigMap\n']);
    // WHEN 40 new files are written, the last under a directory that does not exist (the worker's create fails), and committed
    const session = openOutputs({ outdir });
    for (const name of names(39)) session.writeFile(name, ['kind: ConfigMap\n']);
    session.writeFile('missing/x.k8s.yaml', ['kind: ConfigMap\n']);
    // THEN the commit says what failed and that nothing was switched
    let error: (Error & { state?: string }) | undefined;
    try {
      session.commit();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('OutputError');
    expect(error?.state).toBe('unchanged');
    expect(error?.message).toMatch(/^could not write the new output \(ENOENT: no such file or directory, open '.*\/\.synth-staging-[^/]+\/missing\/x\.k8s\.yaml\.staged'\); nothing was switched$/);
    // AND the output directory holds the old file only: no new file, staging, journal or lock
    expect(fs.readdirSync(outdir)).toEqual(['old.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'old.k8s.yaml'), 'utf-8')).toBe('kind: ConfigMap\n');
  });
});

describe('the output writer in a worker thread', () => {
  /**
   * Runs `body` in a worker thread that has lib/synth/write.ts loaded as `write`; resolves with
   * what `body` returns (JSON), or rejects with its error's message. The module is transpiled
   * here, in the test's own thread, and handed to the worker as JavaScript: SWC's native binding
   * loaded in a worker thread made jest's worker process crash (SIGSEGV) now and then.
   */
  function inWorker(body: string, data: unknown): Promise<any> {
    const { Worker } = require('worker_threads') as typeof import('worker_threads');
    const file = path.resolve(__dirname, '..', 'lib', 'synth', 'write.ts');
    const code: string = require('./util/transpile-ts').transpileTs(fs.readFileSync(file, 'utf-8'), file);
    const source = [
      "const { parentPort, workerData } = require('worker_threads');",
      "const Module = require('module');",
      'const write = new Module(workerData.file);',
      'write.filename = workerData.file;',
      'write.paths = Module._nodeModulePaths(require("path").dirname(workerData.file));',
      'write._compile(workerData.code, workerData.file);',
      `try { parentPort.postMessage({ ok: ((write) => { ${body} })(write.exports) }); } catch (e) { parentPort.postMessage({ error: String(e && e.message) }); }`,
    ].join('\n');
    return new Promise((resolve, reject) => {
      const worker = new Worker(source, { eval: true, workerData: { ...(data as object), file, code } });
      worker.once('message', (m) => (m.error !== undefined ? reject(new Error(m.error)) : resolve(m.ok)));
      worker.once('error', reject);
    });
  }

  test('GIVEN a synth\'s outputs written from a worker thread WHEN dist/ does not exist THEN it is created, with the mode a plain mkdir gives, and holds the files', async () => {
    // GIVEN an output directory that does not exist yet
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'write-worker-')), 'dist');
    // WHEN a worker thread writes two files there
    const report = await inWorker("return write.writeOutputs({ outdir: workerData.outdir, files: new Map([['a.k8s.yaml', 'a: 1\\n'], ['b.k8s.yaml', 'b: 2\\n']]) });", { outdir });
    // THEN the files are in place, and the directory has the mode mkdir gives it under this umask
    expect(report.notes).toEqual([]);
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'b.k8s.yaml'), 'utf-8')).toBe('b: 2\n');
    const umask = process.umask(0o022);
    process.umask(umask);
    expect((fs.statSync(outdir).mode & 0o777).toString(8)).toBe((0o777 & ~umask).toString(8));
    // negative control: a worker thread refuses to set the umask, which the writer once did to read it
    await expect(inWorker('process.umask(0o022); return true;', {})).rejects.toThrow('Setting process.umask() is not supported in workers');
  });
});
