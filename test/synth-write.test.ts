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
