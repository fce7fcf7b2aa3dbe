import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openOutputs } from '../lib/synth/write';

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
