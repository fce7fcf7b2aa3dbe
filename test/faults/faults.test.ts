/**
 * Fault injection for the synth's output writer (lib/synth/write.ts): a synth killed at every step
 * boundary, disk full, read-only paths, odd `dist` entries, the cdk8s CLI's own deletion, and
 * concurrent synths. Each asserts what the outputs (dist/, kustomization.yaml, the CLI's copy)
 * hold, that the message says so, and that nothing is left behind after the next run.
 *
 * The synths run in child processes (test/faults/app.js) so that they can be killed. Tmpfs mounts
 * need root: without it these tests are skipped locally, and fail when CI=true.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../..');
const APP = path.join(__dirname, 'app.js');

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function run(cwd: string, version: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [APP], { cwd, env: { ...process.env, FAULT_APP: version, ...env }, encoding: 'utf-8' });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(cwd: string, version: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [APP], { cwd, env: { ...process.env, FAULT_APP: version, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every entry under `dir` (hidden ones too), with file contents: the whole visible state. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    const st = fs.lstatSync(abs);
    if (st.isDirectory()) {
      if (rel !== '') out[`${rel}/`] = '(dir)';
      for (const e of fs.readdirSync(abs).sort()) walk(path.join(rel, e));
    } else if (st.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(abs)}`;
    else out[rel] = fs.readFileSync(abs, 'utf-8');
  };
  walk('');
  return out;
}

/** What `kubectl apply -f dist/` (and Argo CD, Flux) would read: the top-level .yaml, .yml and .json files. */
function applied(w: string): string[] {
  return fs.readdirSync(path.join(w, 'dist')).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
}

function workspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
}

/** The outputs of a clean synth of `version` (with the CLI's copy in .cdk8s.out). */
function expected(version: string): Record<string, string> {
  const w = workspace();
  const r = run(w, version, { CDK8S_OUTDIR: '.cdk8s.out' });
  expect(r.code).toBe(0);
  return tree(w);
}

const IS_ROOT = process.getuid?.() === 0;
const CI = process.env.CI === 'true';
const mounted: string[] = [];

function mount(dir: string, options: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`mount -t tmpfs -o ${options} ${dir} failed: ${r.stderr}`);
  mounted.unshift(dir);
}

function remountReadOnly(dir: string): void {
  const r = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`remount ro ${dir} failed: ${r.stderr}`);
}

afterAll(() => {
  for (const dir of mounted) spawnSync('umount', ['-l', dir]);
});

/** Tests that mount tmpfs: root only; in CI a missing root is a failure, not a skip. */
const asRoot = IS_ROOT ? test : CI ? (name: string) => test(name, () => { throw new Error('the fault suite must run as root in CI (it mounts tmpfs)'); }) : test.skip;

let OLD: Record<string, string>;
let NEW: Record<string, string>;

beforeAll(() => {
  require(path.join(REPO, 'scripts/build')).build();
  OLD = expected('v1');
  NEW = expected('v2');
  expect(Object.keys(OLD)).toEqual(['.cdk8s.out/', '.cdk8s.out/a.k8s.yaml', '.cdk8s.out/b.k8s.yaml', '.cdk8s.out/c.k8s.yaml',
    'dist/', 'dist/a.k8s.yaml', 'dist/b.k8s.yaml', 'dist/c.k8s.yaml', 'kustomization.yaml']);
  expect(NEW['dist/d.k8s.yaml']).toContain('version: v2');
}, 60_000);

/** The steps of lib/synth/write.ts, in order; those from `committed` on are after the commit point. */
const BEFORE_COMMIT = ['locked', 'recovered', 'prepared', 'staged-one-file', 'staged-outdir', 'staged-mirror', 'staged-kustomization'];
const AFTER_COMMIT = ['committed', 'applied-one-file', 'applied-files', 'applied-kustomization', 'cleaned', 'switched'];

describe('streaming: charts are staged while later ones are still being checked', () => {
  test('GIVEN dist/ from v1 WHEN a synth whose last chart fails its checks has already staged the charts before it THEN every output is the old one and nothing staged is left', () => {
    // GIVEN v1 written; the "bad" app is v2 (a, b, d: every file different) plus a last chart "bad" that fails the schema
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    // WHEN it runs (the charts a, b and d are streamed into the staging directory before "bad" is checked)
    const r = run(w, 'bad', { CDK8S_OUTDIR: '.cdk8s.out' });
    // THEN it fails with the check's message, says dist/ was left unchanged, and the tree is exactly the old one
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.');
    expect(r.stderr).toContain('[bad/cm] Kubernetes 1.27 schema: /dat: unknown field "dat"; did you mean "data"?');
    expect(tree(w)).toEqual(OLD);
  });

  test('GIVEN a synth paused after it staged its first chart THEN dist/ still holds only the old files; when it goes on, the new output is whole', async () => {
    // GIVEN v1 written, and a v2 synth that waits after staging its first file
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const release = path.join(w, 'release');
    const synth = runAsync(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out', POD_PATTERNS_PAUSE: `staged-one-file:${release}` });
    const staging = () => fs.readdirSync(path.join(w, 'dist')).filter((e) => e.startsWith('.synth-staging-'));
    for (let i = 0; i < 500 && !(staging().length === 1 && fs.readdirSync(path.join(w, 'dist', staging()[0])).length === 1); i++) await new Promise((r) => setTimeout(r, 20));
    // WHEN dist/ is read while the synth waits
    // THEN one file is staged, hidden; what kubectl reads is exactly the old output
    expect(fs.readdirSync(path.join(w, 'dist', staging()[0]))).toEqual(['a.k8s.yaml.staged']);
    expect(applied(w)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
    expect(fs.readFileSync(path.join(w, 'dist', 'a.k8s.yaml'), 'utf-8')).toBe(OLD['dist/a.k8s.yaml']);
    // WHEN it is released THEN it finishes: dist/ is the whole new output, nothing left behind
    fs.writeFileSync(release, '');
    expect((await synth).code).toBe(0);
    expect(applied(w)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'd.k8s.yaml']);
    expect(fs.readdirSync(path.join(w, 'dist')).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  test('GIVEN dist/ from v1 WHEN v1 is synthesized again THEN no file is rewritten (same inode, same mtime) and no journal is written', () => {
    // GIVEN v1 written (no CLI copy: every file can stay in place)
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    const stat = (f: string) => fs.statSync(path.join(w, f));
    const before = ['dist/a.k8s.yaml', 'dist/b.k8s.yaml', 'dist/c.k8s.yaml', 'kustomization.yaml'].map((f) => [f, stat(f).ino, stat(f).mtimeMs]);
    // WHEN the same app is synthesized again, killed if it ever reaches the commit
    const r = run(w, 'v1', { POD_PATTERNS_FAULT: 'committed' });
    // THEN it succeeded without committing anything, and every file is the very same file
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(before.map(([f]) => [f, stat(f as string).ino, stat(f as string).mtimeMs])).toEqual(before);
    expect(tree(w)).toEqual(Object.fromEntries(Object.entries(OLD).filter(([k]) => !k.startsWith('.cdk8s.out'))));
  });

  test('GIVEN dist/ from v1 and one chart changed WHEN synthesized THEN only that file is replaced; the others keep their inode', () => {
    // GIVEN v1 written; v2 changes a and b, removes c, adds d
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    fs.writeFileSync(path.join(w, 'dist', 'a.k8s.yaml'), fs.readFileSync(path.join(w, 'dist', 'a.k8s.yaml'), 'utf-8').replace('version: v1', 'version: v2'));
    const inode = (f: string) => fs.statSync(path.join(w, 'dist', f)).ino;
    const a = inode('a.k8s.yaml');
    const b = inode('b.k8s.yaml');
    // WHEN v2 is synthesized
    expect(run(w, 'v2').code).toBe(0);
    // THEN a (already v2's bytes) is the same file; b was replaced; c removed; d written
    expect(inode('a.k8s.yaml')).toBe(a);
    expect(inode('b.k8s.yaml')).not.toBe(b);
    expect(applied(w)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'd.k8s.yaml']);
    expect(fs.readFileSync(path.join(w, 'dist', 'b.k8s.yaml'), 'utf-8')).toContain('version: v2');
  });
});

describe('many files: past the first 32, new files created, written and fsynced by the writer\'s worker thread, all before the commit', () => {
  const many = ['a.k8s.yaml', 'b.k8s.yaml', 'd.k8s.yaml', ...Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(2, '0')}.k8s.yaml`)].sort();

  test('GIVEN dist/ from v1 WHEN a synth of 43 files runs THEN every file is whole and nothing is left', () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const r = run(w, 'many', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(r.code).toBe(0);
    expect(applied(w)).toEqual(many);
    expect(fs.readFileSync(path.join(w, 'dist', 'm39.k8s.yaml'), 'utf-8')).toContain('i: "39"');
    expect(fs.readdirSync(path.join(w, '.cdk8s.out')).sort()).toEqual(many);
    expect(fs.readdirSync(path.join(w, 'dist')).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  test.each(['staged-outdir', 'staged-mirror', 'committed'])('GIVEN dist/ from v1 WHEN a synth of 43 files is killed at "%s" THEN dist/ is the old output or, after the commit, the next run completes the new one', (step) => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    expect(run(w, 'many', { CDK8S_OUTDIR: '.cdk8s.out', POD_PATTERNS_FAULT: step }).signal).toBe('SIGKILL');
    if (step === 'committed') {
      // the journal lists every file: the next synth (a failing one) finishes the switch first
      const next = run(w, 'bad', { CDK8S_OUTDIR: '.cdk8s.out' });
      expect(next.stderr).toContain('note: completed a synth that was interrupted after it committed');
      expect(applied(w)).toEqual(many);
      expect(fs.readFileSync(path.join(w, 'dist', 'm39.k8s.yaml'), 'utf-8')).toContain('i: "39"');
    } else {
      expect(applied(w)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
      expect(run(w, 'bad', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(1);
      expect(tree(w)).toEqual(OLD);
    }
  });

});

describe('a synth killed at a step boundary', () => {
  test.each(BEFORE_COMMIT)('GIVEN dist/ from v1 WHEN the v2 synth is killed at "%s" (before the commit) THEN every output is the complete old one, and the next run says what it cleaned and leaves nothing', (step) => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const killed = run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out', POD_PATTERNS_FAULT: step });
    expect(killed.signal).toBe('SIGKILL');
    // kubectl would read the old manifests and nothing else (no journal, lock or staged file)
    expect(applied(w)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
    // the visible outputs (no hidden entries) are exactly the old ones
    const visible = Object.fromEntries(Object.entries(tree(w)).filter(([k]) => !k.split('/').some((p) => p.startsWith('.synth') || p.startsWith('.kustomization'))));
    expect(visible).toEqual(OLD);
    // THEN a failing synth first cleans up, says so, and keeps the old output
    const next = run(w, 'bad', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(next.code).toBe(1);
    expect(next.stderr).toContain('note: took over the lock of a synth that died');
    if (step !== 'locked' && step !== 'recovered') expect(next.stderr).toContain('note: removed what an interrupted synth had staged');
    expect(next.stderr).toContain('synth failed; dist/ was left unchanged.');
    expect(tree(w)).toEqual(OLD);
  });

  test.each(AFTER_COMMIT)('GIVEN dist/ from v1 WHEN the v2 synth is killed at "%s" (after the commit) THEN each file is whole, and the next run completes the switch first, says so, and leaves nothing', (step) => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const killed = run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out', POD_PATTERNS_FAULT: step });
    expect(killed.signal).toBe('SIGKILL');
    const after = tree(w);
    // kubectl would read manifests only (old or new ones), no journal, lock or staged file
    expect(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml', 'd.k8s.yaml']).toEqual(expect.arrayContaining(applied(w)));
    // every output file present is the whole old or the whole new version, never a torn one
    for (const [name, content] of Object.entries(after)) {
      if (name.split('/').some((p) => p.startsWith('.synth') || p.startsWith('.kustomization')) || content === '(dir)') continue;
      expect([OLD[name], NEW[name]]).toContain(content);
    }
    expect(fs.existsSync(path.join(w, 'dist'))).toBe(true);
    const next = run(w, 'bad', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(next.code).toBe(1);
    if (step !== 'switched') {
      expect(next.stderr).toContain('note: completed a synth that was interrupted after it committed');
      expect(next.stderr).toContain('synth failed; dist/ holds the output of the interrupted synth that was completed first (note above); this synth changed nothing else.');
    } else {
      // the switch was complete: only the lock was left
      expect(next.stderr).toContain('synth failed; dist/ was left unchanged.');
    }
    expect(tree(w)).toEqual(NEW);
  });

  test('GIVEN a v2 synth killed after the commit WHEN the next synth is a good v1 THEN it completes v2 first, then writes v1 whole', () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    expect(run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out', POD_PATTERNS_FAULT: 'applied-files' }).signal).toBe('SIGKILL');
    const next = run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('note: completed a synth that was interrupted after it committed');
    expect(next.stdout).toContain(`note: removed ${fs.realpathSync(w)}/dist/d.k8s.yaml: no chart writes it any more`);
    expect(tree(w)).toEqual(OLD);
  });

  test('GIVEN a lock claim left by a synth that died while taking over a dead lock WHEN a synth runs THEN the claim is removed', () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf-8' }).stdout;
    fs.writeFileSync(path.join(w, 'dist', `.synth.lock.claim-${dead}`), '{}');
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    expect(tree(w)).toEqual(OLD);
  });

  test('GIVEN leftovers of the earlier writer (dist.tmp-*, dist.old-*) WHEN a synth runs THEN it removes them and says so', () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    fs.mkdirSync(path.join(w, 'dist.tmp-AbC123'));
    fs.mkdirSync(path.join(w, 'dist.old-xYz789'));
    fs.writeFileSync(path.join(w, 'dist.old-xYz789', 'a.k8s.yaml'), 'old');
    const r = run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dist.tmp-AbC123, left by an interrupted synth of an earlier version');
    expect(tree(w)).toEqual(OLD);
  });
});

describe('disk full and read-only paths (tmpfs, as root)', () => {
  asRoot('GIVEN dist/ on a 256 KiB file system WHEN the new output does not fit THEN dist/ is the complete old output, the message says unchanged, and no staging is left', () => {
    const w = workspace();
    mount(w, 'size=256k');
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const r = run(w, 'big', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.');
    expect(r.stderr).toContain('ENOSPC');
    expect(r.stderr).toContain('nothing was switched');
    expect(tree(w)).toEqual(OLD);
    // THEN a synth that fits works on the same disk
    expect(run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    expect(tree(w)).toEqual(NEW);
  });

  asRoot('GIVEN dist/ on a read-only file system WHEN a synth runs THEN it fails saying dist/ was left unchanged, and dist/ is', () => {
    const w = workspace();
    mount(w, 'size=4m');
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    remountReadOnly(w);
    const r = run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.');
    expect(r.stderr).toMatch(/cannot lock dist\/ \(EROFS/);
    expect(tree(w)).toEqual(OLD);
  });

  asRoot('GIVEN the CLI output directory (CDK8S_OUTDIR) on a read-only file system WHEN a synth runs THEN nothing is switched: dist/ and the kustomization keep the old output', () => {
    const w = workspace();
    mount(path.join(w, '.cdk8s.out'), 'size=1m');
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    remountReadOnly(path.join(w, '.cdk8s.out'));
    const r = run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.');
    expect(r.stderr).toContain('EROFS');
    expect(tree(w)).toEqual(OLD);
  });

  asRoot('GIVEN a synth killed after its commit and dist/ then made read-only WHEN the next synth cannot finish the switch THEN it says dist/ holds an unfinished switch, not that it was left unchanged', () => {
    const w = workspace();
    mount(path.join(w, 'dist'), 'size=1m');
    expect(run(w, 'v1').code).toBe(0);
    expect(run(w, 'v2', { POD_PATTERNS_FAULT: 'applied-one-file' }).signal).toBe('SIGKILL');
    remountReadOnly(path.join(w, 'dist'));
    const r = run(w, 'v2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ holds a switch that an interrupted synth committed and did not finish (journal ');
    expect(r.stderr).not.toContain('left unchanged');
    // THEN once writable again, the next synth finishes it
    spawnSync('mount', ['-o', 'remount,rw', path.join(w, 'dist')]);
    const next = run(w, 'v1');
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('note: completed a synth that was interrupted after it committed');
    const t = tree(w);
    delete t['dist/lost+found/'];
    expect(Object.keys(t).filter((k) => k.startsWith('dist/')).sort()).toEqual(['dist/', 'dist/a.k8s.yaml', 'dist/b.k8s.yaml', 'dist/c.k8s.yaml']);
  });

  asRoot('GIVEN dist/ a mount point of its own, in a directory that becomes read-only WHEN the kustomization cannot be written THEN nothing is switched (not even dist/) and the message says so', () => {
    const w = workspace();
    mount(w, 'size=4m');
    mount(path.join(w, 'dist'), 'size=4m');
    // dist/ as a mount point: a synth writes into it and leaves the mount in place
    expect(run(w, 'v1', { FAULT_KUSTOMIZATION: '1' }).code).toBe(0);
    const before = tree(w);
    expect(before['dist/a.k8s.yaml']).toBe(OLD['dist/a.k8s.yaml']);
    remountReadOnly(w);
    const r = run(w, 'v2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.');
    expect(r.stderr).toContain('EROFS');
    expect(tree(w)).toEqual(before);
    expect(spawnSync('mountpoint', ['-q', path.join(w, 'dist')]).status).toBe(0);
  });
});

describe('dist/ is never missing', () => {
  test('GIVEN a watcher polling dist/ WHEN ten synths switch it between two outputs THEN dist/ exists at every poll and every file read is whole', async () => {
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    let polls = 0;
    let missing = 0;
    let torn = 0;
    let done = false;
    const whole = new Set([OLD['dist/a.k8s.yaml'], NEW['dist/a.k8s.yaml']]);
    const watcher = (async () => {
      while (!done) {
        polls++;
        if (!fs.existsSync(path.join(w, 'dist'))) missing++;
        try {
          if (!whole.has(fs.readFileSync(path.join(w, 'dist', 'a.k8s.yaml'), 'utf-8'))) torn++;
        } catch {
          missing++;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 10; i++) expect((await runAsync(w, i % 2 === 0 ? 'v2' : 'v1')).code).toBe(0);
    done = true;
    await watcher;
    expect(polls).toBeGreaterThan(100);
    expect({ missing, torn }).toEqual({ missing: 0, torn: 0 });
  }, 60_000);
});

describe('a stale lock', () => {
  test('GIVEN the lock of a synth that died WHEN four synths start together THEN at most one takes it over, the others say another synth is writing or run after it; dist/ is whole; nothing is left', async () => {
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf-8' }).stdout;
    fs.writeFileSync(path.join(w, 'dist', '.synth.lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const results = await Promise.all(['v2', 'v2', 'v2', 'v2'].map((v) => runAsync(w, v)));
    // the dead lock is removed once; who wins the race for the new one may find no lock to take over
    const notes = results.filter((r) => `${r.stdout}${r.stderr}`.includes(`took over the lock of a synth that died (pid ${dead}`));
    expect(notes.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.code !== 0) expect(r.stderr).toContain('is writing dist/');
    expect(fs.readdirSync(path.join(w, 'dist')).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'd.k8s.yaml']);
  }, 30_000);
});

describe('odd outputs', () => {
  test('GIVEN kustomization.yaml is a directory WHEN a synth runs THEN it is refused before anything is written', () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    fs.rmSync(path.join(w, 'kustomization.yaml'));
    fs.mkdirSync(path.join(w, 'kustomization.yaml'));
    const before = tree(w);
    const r = run(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('synth failed; dist/ was left unchanged.\nkustomization "kustomization.yaml" exists and is a directory; expected a file or nothing (nothing was written)\n');
    expect(tree(w)).toEqual(before);
  });

  test('GIVEN no dist/ yet and a kustomization path that is a directory WHEN a synth runs THEN it is refused and creates no dist/', () => {
    const w = workspace();
    fs.mkdirSync(path.join(w, 'kustomization.yaml'));
    const r = run(w, 'v1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.\nkustomization "kustomization.yaml" exists and is a directory');
    expect(fs.existsSync(path.join(w, 'dist'))).toBe(false);
  });

  test('GIVEN a regular file named dist WHEN a synth runs THEN it is refused and the file kept', () => {
    const w = workspace();
    fs.writeFileSync(path.join(w, 'dist'), 'my notes');
    const r = run(w, 'v1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('synth failed; dist/ was left unchanged.\nthe output directory "dist" exists and is a regular file; expected a directory or nothing (it was left as it is: move it away or choose another output directory)\n');
    expect(fs.readFileSync(path.join(w, 'dist'), 'utf-8')).toBe('my notes');
  });

  test('GIVEN dist a symlink to a directory elsewhere WHEN a synth runs THEN the target gets the files, the link stays, and a note says so', () => {
    const w = workspace();
    const target = workspace();
    fs.symlinkSync(target, path.join(w, 'dist'));
    const r = run(w, 'v1', { FAULT_KUSTOMIZATION: '0' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`note: dist is a symlink to ${fs.realpathSync(target)}: the files were written there (the link was kept)`);
    expect(fs.lstatSync(path.join(w, 'dist')).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(target)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
    expect(fs.readFileSync(path.join(target, 'a.k8s.yaml'), 'utf-8')).toBe(OLD['dist/a.k8s.yaml']);
  });

  test('GIVEN dist a dangling symlink WHEN a synth runs THEN it is refused', () => {
    const w = workspace();
    fs.symlinkSync(path.join(w, 'nowhere'), path.join(w, 'dist'));
    const r = run(w, 'v1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('which does not exist; expected a directory');
    expect(fs.existsSync(path.join(w, 'nowhere'))).toBe(false);
  });

  test('GIVEN CDK8S_OUTDIR inside dist/ WHEN a synth runs THEN it is refused and dist/ unchanged', () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const r = run(w, 'v2', { CDK8S_OUTDIR: 'dist/out' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.\nthe CLI output directory (CDK8S_OUTDIR) "dist/out" and the output directory "dist" are one inside the other');
    expect(tree(w)).toEqual(OLD);
  });
});

describe('the cdk8s CLI with `output: dist` (what `cdk8s init` writes)', () => {
  test('GIVEN cdk8s.yaml with output: dist WHEN `cdk8s synth` runs an app that fails THEN the message says the CLI deleted dist/, not that it was kept', () => {
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    fs.writeFileSync(path.join(w, 'cdk8s.yaml'), `language: javascript\napp: FAULT_APP=bad ${process.execPath} ${APP}\noutput: dist\n`);
    const r = spawnSync(path.join(REPO, 'node_modules/.bin/cdk8s'), ['synth'], { cwd: w, encoding: 'utf-8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('synth failed; dist/ does not exist: the cdk8s CLI deleted dist/ before it ran this app, because cdk8s.yaml\'s `output:` is "dist" (CDK8S_OUTDIR)');
    expect(r.stderr).not.toContain('left unchanged');
    expect(fs.existsSync(path.join(w, 'dist'))).toBe(false);
  }, 60_000);

  test('GIVEN cdk8s.yaml with output: .cdk8s.out (this project\'s) WHEN `cdk8s synth` runs an app that fails THEN dist/ is kept', () => {
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    const before = tree(w);
    fs.writeFileSync(path.join(w, 'cdk8s.yaml'), `language: javascript\napp: FAULT_APP=bad ${process.execPath} ${APP}\noutput: .cdk8s.out\n`);
    const r = spawnSync(path.join(REPO, 'node_modules/.bin/cdk8s'), ['synth'], { cwd: w, encoding: 'utf-8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('synth failed; dist/ was left unchanged.');
    fs.rmSync(path.join(w, 'cdk8s.yaml'));
    expect(tree(w)).toEqual(before);
  }, 60_000);
});

describe('two synths at once', () => {
  test('GIVEN a synth holding the lock mid-write WHEN a second synth runs THEN the second says another synth is writing and writes nothing; the first finishes whole', async () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const release = path.join(os.tmpdir(), `release-${process.pid}-${Date.now()}`);
    const first = runAsync(w, 'v2', { CDK8S_OUTDIR: '.cdk8s.out', POD_PATTERNS_PAUSE: `staged-outdir:${release}` });
    while (!fs.readdirSync(path.join(w, 'dist')).some((e) => e.startsWith('.synth-staging-'))) await new Promise((r) => setTimeout(r, 20));
    const second = run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^synth failed; dist\/ was left unchanged\.\nanother synth \(pid \d+ on .*, started .*\) is writing dist\/ \(lock .*\.synth\.lock\); this synth wrote nothing/);
    fs.writeFileSync(release, '');
    const done = await first;
    expect(done.code).toBe(0);
    expect(tree(w)).toEqual(NEW);
  }, 30_000);

  test('GIVEN six synths of v1 and v2 started together THEN each either wrote its output whole or said another synth was writing; dist/ is one complete output; nothing is left', async () => {
    const w = workspace();
    expect(run(w, 'v1', { CDK8S_OUTDIR: '.cdk8s.out' }).code).toBe(0);
    const versions = ['v2', 'v1', 'v2', 'v1', 'v2', 'v1'];
    const results = await Promise.all(versions.map((v) => runAsync(w, v, { CDK8S_OUTDIR: '.cdk8s.out' })));
    for (const r of results) {
      if (r.code !== 0) expect(r.stderr).toContain('is writing dist/');
    }
    expect([OLD, NEW]).toContainEqual(tree(w));
  }, 60_000);
});

describe('negative control: the harness catches a writer that is not crash-safe', () => {
  test('GIVEN the earlier writer (rename dist/ away, then the new directory in) killed between its renames THEN the checks above fail: no dist/ at all', () => {
    const w = workspace();
    expect(run(w, 'v1').code).toBe(0);
    // the algorithm lib/synth/write.ts had before the journal, killed at its window
    const naive = [
      "const fs = require('fs');",
      "fs.mkdirSync('dist.tmp-x'); fs.writeFileSync('dist.tmp-x/a.k8s.yaml', 'new');",
      "fs.renameSync('dist', 'dist.old-x');",
      "process.kill(process.pid, 'SIGKILL');",
      "fs.renameSync('dist.tmp-x', 'dist');",
    ].join('\n');
    expect(spawnSync(process.execPath, ['-e', naive], { cwd: w }).signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(w, 'dist'))).toBe(false);
    expect(tree(w)).not.toEqual(OLD);
    expect(Object.keys(tree(w))).toEqual(expect.arrayContaining(['dist.old-x/', 'dist.tmp-x/']));
  });
});
