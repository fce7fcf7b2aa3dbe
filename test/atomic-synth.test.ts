import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { runSynth, SharedVolumePod, synth, SynthError } from '../lib';
import { buildExampleApp } from '../lib/charts';
import { errorOf } from './util/synth';

function tempDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-synth-'));
  return path.join(dir, 'dist');
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f), 'utf-8');
  return out;
}

function goodApp(): App {
  return buildExampleApp(new App());
}

describe('synth (atomic dist/)', () => {
  let synthesized: string;
  let outdir: string;
  let before: Record<string, string>;

  beforeAll(() => {
    // a dist/ from a good synth, made once: each test gets a copy of it
    synthesized = tempDist();
    synth(goodApp(), { outdir: synthesized });
  });

  beforeEach(() => {
    // GIVEN a dist/ from a good synth (a copy of its files, alone in a fresh directory)
    outdir = tempDist();
    fs.cpSync(synthesized, outdir, { recursive: true });
    before = snapshot(outdir);
    expect(before).toEqual(snapshot(synthesized));
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['seed.k8s.yaml', 'seed-restricted.k8s.yaml']));
  });

  test('leaves dist/ byte-for-byte unchanged when a construct throws', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      runSynth(() => {
        const app = goodApp();
        new SharedVolumePod(new Chart(app, 'broken'), 'pod', { containers: [] });
        return app;
      }, { outdir });
      expect(process.exitCode).toBe(1);
      expect(String(stderr.mock.calls.map((c) => c[0]).join(''))).toContain('[broken/pod] invalid props:\n  containers: received []; expected a non-empty list');
    } finally {
      process.exitCode = undefined;
      stderr.mockRestore();
    }
    expect(snapshot(outdir)).toEqual(before);
  });

  test('leaves dist/ unchanged when a validation fails, and reports every error together', () => {
    const app = goodApp();
    const chart = new Chart(app, 'clash');
    const img = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
    new SharedVolumePod(chart, 'a', { containers: [{ name: 'x', image: img, mountPath: '/d', ports: [{ number: 80 }] }, { name: 'y', image: img, mountPath: '/e', ports: [{ number: 80 }] }] });
    new SharedVolumePod(chart, 'b', { containers: [{ name: 'x', image: img, mountPath: '/d', ports: [{ number: 81 }] }, { name: 'y', image: img, mountPath: '/e', ports: [{ number: 81 }] }] });
    const message = errorOf(() => synth(app, { outdir }));
    expect(message).toBe([
      'Synthesis failed with 2 errors:',
      '  [clash/a/Pod] containers[1].ports[0].containerPort: received 80; expected a port not already bound by container "x" (TCP); containers of a pod share one network namespace',
      '  [clash/b/Pod] containers[1].ports[0].containerPort: received 81; expected a port not already bound by container "x" (TCP); containers of a pod share one network namespace',
    ].join('\n'));
    expect(snapshot(outdir)).toEqual(before);
  });

  test('leaves dist/ unchanged when an object fails the strict schema', () => {
    const app = goodApp();
    new ApiObject(new Chart(app, 'bad-schema'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dat: { a: 'b' } } as any);
    const e = (() => { try { synth(app, { outdir }); } catch (err) { return err; } return undefined; })();
    expect(e).toBeInstanceOf(SynthError);
    expect((e as SynthError).problems).toEqual(['[bad-schema/cm] Kubernetes 1.27 schema: /dat: unknown field "dat"; did you mean "data"?']);
    expect(snapshot(outdir)).toEqual(before);
  });

  test('leaves dist/ unchanged when two objects share kind, namespace and name', () => {
    const app = goodApp();
    const c = new Chart(app, 'dupes');
    new ApiObject(c, 'one', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
    new ApiObject(c, 'two', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
    expect(errorOf(() => synth(app, { outdir }))).toBe(
      'Synthesis failed with 1 error:\n  [dupes/two] metadata.name: received "same"; expected a name not used by another ConfigMap in the same namespace (dupes/one has it)');
    expect(snapshot(outdir)).toEqual(before);
  });

  test('removes the file of a chart that no longer exists', () => {
    const app = new App();
    new Chart(app, 'seed-restricted');
    // only an empty chart remains: its old file must not linger for GitOps to keep applying
    synth(app, { outdir });
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('writes no temporary directories next to dist/', () => {
    synth(goodApp(), { outdir });
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  test('gives the same bytes on every synth', () => {
    synth(goodApp(), { outdir });
    expect(snapshot(outdir)).toEqual(before);
  });
});

describe('replaceDirectory', () => {
  test('creates dist/ with the mode a plain mkdir would give (not mkdtemp\'s 0700)', () => {
    const outdir = tempDist();
    const umask = process.umask(0o022);
    process.umask(umask);
    const expected = 0o777 & ~umask;
    synth(goodApp(), { outdir });
    expect((fs.statSync(outdir).mode & 0o777).toString(8)).toBe(expected.toString(8));
  });
});
