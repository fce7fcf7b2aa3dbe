import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubernetesVersion, validateManifest } from '../../lib/synth/schema';
import { resetCacheDirectory } from '../../lib/synth/validator-cache';

// test/util/warm-validators.js (the unit suites' validator warm-up, run by test/util/global-setup.js
// before the workers start) and scripts/suite-validators.js (its list, read off a cache): what
// the warm-up compiles is what a worker, loading the library's sources through jest as this file
// does, then loads from the cache instead of compiling it.

const ROOT = path.resolve(__dirname, '..', '..');
const WARM = path.join(ROOT, 'test', 'util', 'warm-validators.js');

let cache: string;
let previous: string | undefined;

beforeEach(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-validators-'));
  previous = process.env.POD_PATTERNS_CACHE_DIR;
  process.env.POD_PATTERNS_CACHE_DIR = cache;
  resetCacheDirectory();
});

afterEach(() => {
  if (previous === undefined) delete process.env.POD_PATTERNS_CACHE_DIR;
  else process.env.POD_PATTERNS_CACHE_DIR = previous;
  resetCacheDirectory();
});

/** Runs the warm-up on `list`, into this test's cache; its exit code and output. */
function warm(list: Record<string, string[]>): { status: number | null; out: string } {
  const file = path.join(cache, '..', `${path.basename(cache)}.list.json`);
  fs.writeFileSync(file, JSON.stringify(list));
  const r = spawnSync(process.execPath, [WARM, file], { cwd: ROOT, encoding: 'utf-8', env: { ...process.env, POD_PATTERNS_CACHE_DIR: cache } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every validator file in the cache (key/file), with its modification time. */
function cached(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of fs.readdirSync(cache)) {
    const dir = path.join(cache, key);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.js')) out[`${key}/${f}`] = fs.statSync(path.join(dir, f)).mtimeMs;
  }
  return out;
}

describe('the unit suites\' validator warm-up', () => {
  test('GIVEN a list of two kinds of 1.30 and one that 1.30 does not serve WHEN the warm-up runs on an empty cache THEN it holds the two, which this process then validates with, compiling nothing (its keys are the workers\' keys)', () => {
    // GIVEN / WHEN
    const r = warm({ '1.30': ['v1 ConfigMap', 'apps/v1 Deployment', 'v1 NoSuchKind'] });
    // THEN
    expect(r).toEqual({ status: 0, out: '' });
    const before = cached();
    expect(Object.keys(before).map((f) => path.basename(f)).sort()).toEqual(['apps_v1-Deployment.js', 'v1-ConfigMap.js']);
    expect(validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }, KubernetesVersion.V1_30)).toEqual([]);
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 'x' } }, KubernetesVersion.V1_30).map((v) => v.path).sort()).toEqual(['/spec/replicas', '/spec/selector', '/spec/template']);
    expect(cached()).toEqual(before);
  });

  test('negative control: GIVEN a kind the warm-up did not list WHEN this process validates it THEN it compiles it and adds it to the cache (the check above can fail)', () => {
    expect(warm({ '1.30': ['v1 ConfigMap'] }).status).toBe(0);
    const before = cached();
    expect(validateManifest({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }, KubernetesVersion.V1_30)).toEqual([]);
    expect(Object.keys(cached()).filter((f) => !(f in before)).map((f) => path.basename(f))).toEqual(['v1-Service.js']);
  });

  test('GIVEN the cache it filled WHEN scripts/suite-validators.js reads it THEN it prints the list again, one entry per version, in order', () => {
    const list = { '1.27': ['apps/v1 Deployment', 'v1 Pod'], '1.36': ['batch/v1 CronJob'] };
    expect(warm(list).status).toBe(0);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'suite-validators.js'), cache], { encoding: 'utf-8' });
    expect([r.status, JSON.parse(r.stdout)]).toEqual([0, list]);
  });

  test('GIVEN the list committed (test/suites/validators.json) THEN every version is one the library serves and every entry an "apiVersion kind"', () => {
    const list = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'suites', 'validators.json'), 'utf-8'));
    expect(Object.keys(list).filter((v) => !Object.values(KubernetesVersion).includes(v as KubernetesVersion))).toEqual([]);
    expect(Object.values(list).flat().filter((id) => !/^[a-z0-9.]+(\/[a-z0-9]+)? [A-Z][A-Za-z0-9]*$/.test(String(id)))).toEqual([]);
    expect(Object.values(list).flat().length).toBeGreaterThan(20);
  });
});
