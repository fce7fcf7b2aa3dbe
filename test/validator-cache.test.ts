import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubernetesVersion as V } from '../lib/synth/schema';

// The precompiled validators (lib/synth/validator-cache.ts): each test gets a cache directory of
// its own (POD_PATTERNS_CACHE_DIR) and a fresh module registry per "process" (see inFreshRegistry).

/** A Pod with problems of every kind the messages word: an unknown field near a known one, a wrong type, a bad enum value, a bad format. */
function badPod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: 'yesterday' },
    spec: {
      restartPolicy: 'Sometimes',
      containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolcy: 'Always', ports: [{ containerPort: '80' }] }],
    },
  };
}

const goodPod = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
/** A ConfigMap: its validator compiles in milliseconds (a Pod's takes ~100 ms), for the tests of the cache's mechanics. */
const configMap = (data: unknown = { a: 'b' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });

let dir: string;
const saved = process.env.POD_PATTERNS_CACHE_DIR;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validator-cache-'));
  process.env.POD_PATTERNS_CACHE_DIR = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env.POD_PATTERNS_CACHE_DIR;
  else process.env.POD_PATTERNS_CACHE_DIR = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The ajv modules the library requires (lib/synth/schema.ts), each loaded once here. */
const AJV_MODULES = ['ajv', 'ajv/dist/standalone', 'ajv/dist/compile/codegen'];
const ajvModules = new Map(AJV_MODULES.map((m) => [m, jest.requireActual(m)]));

/**
 * Runs `fn` with a fresh module registry (as a new process would load the library); returns what
 * it returns and whether ajv's compiler was loaded (the library required one of ajv's modules).
 * The library's modules are new in each registry; the ajv modules it requires are handed the
 * ones loaded above (ajv's code, already compiled by V8, compiles a validator in a millisecond
 * where a fresh copy of it takes 50 to 300), and each such require is seen.
 */
function inFreshRegistry<T>(fn: (schema: typeof import('../lib/synth/schema')) => T): { result: T; compiled: boolean } {
  let out: { result: T; compiled: boolean } | undefined;
  let compiled = false;
  for (const m of AJV_MODULES) {
    jest.doMock(m, () => {
      compiled = true;
      return ajvModules.get(m);
    });
  }
  try {
    jest.isolateModules(() => {
      out = { result: fn(require('../lib/synth/schema')), compiled: false };
    });
  } finally {
    for (const m of AJV_MODULES) jest.dontMock(m);
  }
  return { ...out!, compiled };
}

const cachedFiles = () => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.js')).sort() : []);

describe('precompiled validators, cached on first use', () => {
  test('GIVEN an empty cache WHEN a ConfigMap is validated THEN its validator is compiled once and written; a new process loads it without ajv\'s compiler', () => {
    // (a ConfigMap for the mechanics; the next test does the same with a Pod, message for message)
    // WHEN a first "process" validates a ConfigMap against 1.30
    const first = inFreshRegistry((s) => s.validateManifest(configMap(), V.V1_30));
    // THEN it compiled with ajv and wrote one file: the 1.30 ConfigMap validator
    expect(first).toEqual({ result: [], compiled: true });
    expect(cachedFiles()).toEqual([expect.stringMatching(/^[0-9a-f]{32}[\\/]v1-ConfigMap\.js$/)]);
    // WHEN a second one validates the same kind
    const second = inFreshRegistry((s) => s.validateManifest(configMap(), V.V1_30));
    // THEN it did not load ajv's compiler: the cached validator answered
    expect(second).toEqual({ result: [], compiled: false });
  });

  test('GIVEN a cached validator THEN its answers are the compiled one\'s, message for message', () => {
    // GIVEN the violations from the compiler (empty cache), then from the cache
    const both = (s: typeof import('../lib/synth/schema')) => ({ bad: s.validateManifest(badPod(), V.V1_27), good: s.validateManifest(goodPod(), V.V1_27) });
    const compiled = inFreshRegistry(both);
    const cached = inFreshRegistry(both);
    expect(compiled.compiled).toBe(true);
    expect(cached.compiled).toBe(false);
    // THEN they are the same: none for a good Pod, and for the bad one each names what is wrong (did-you-mean, type, enum, format)
    expect(cached.result.good).toEqual([]);
    expect(cached.result).toEqual(compiled.result);
    expect(cached.result.bad.map((v) => `${v.path}: ${v.message}`)).toEqual(expect.arrayContaining([
      '/spec/containers/0/imagePullPolcy: unknown field "imagePullPolcy"; did you mean "imagePullPolicy"?',
      '/spec/containers/0/ports/0/containerPort: must be integer (received string "80")',
      expect.stringMatching(/^\/metadata\/creationTimestamp: must be an RFC 3339 date-time/),
    ]));
  });

  test('GIVEN a torn cache file WHEN validating THEN it is compiled again and rewritten, with the same answer', () => {
    // GIVEN a cached ConfigMap validator cut in half
    const good = inFreshRegistry((s) => s.validateManifest(configMap({ a: 1 }), V.V1_28)).result;
    expect(good.map((v) => v.message)).toEqual(['must be string (received number 1)']);
    const [file] = cachedFiles();
    const full = fs.readFileSync(path.join(dir, file), 'utf-8');
    fs.writeFileSync(path.join(dir, file), full.slice(0, full.length / 2));
    // WHEN a new process validates
    const again = inFreshRegistry((s) => s.validateManifest(configMap({ a: 1 }), V.V1_28));
    // THEN it compiled (the torn file did not load), answered the same, and the file is whole again
    expect(again).toEqual({ result: good, compiled: true });
    expect(fs.readFileSync(path.join(dir, file), 'utf-8')).toBe(full);
  });

  test('GIVEN two versions THEN each has its own key (a validator of one version is never used for another)', () => {
    // WHEN the same kind is validated against 1.31 and 1.32
    inFreshRegistry((s) => [s.validateManifest(configMap(), V.V1_31), s.validateManifest(configMap(), V.V1_32)]);
    // THEN two keys hold one ConfigMap validator each
    const keys = cachedFiles().map((f) => f.split(/[\\/]/)[0]);
    expect(new Set(keys).size).toBe(2);
  });

  test('GIVEN POD_PATTERNS_CACHE_DIR=off THEN nothing is written and every process compiles', () => {
    // GIVEN the cache turned off
    process.env.POD_PATTERNS_CACHE_DIR = 'off';
    // WHEN two processes validate
    const runs = [inFreshRegistry((s) => s.validateManifest(configMap(), V.V1_29)), inFreshRegistry((s) => s.validateManifest(configMap(), V.V1_29))];
    // THEN both compiled and the directory stayed empty
    expect(runs.map((r) => r.compiled)).toEqual([true, true]);
    expect(cachedFiles()).toEqual([]);
  });

  test('GIVEN a cache directory that cannot be written THEN validation still answers (the cache is skipped)', () => {
    // GIVEN a cache "directory" that is a file
    const file = path.join(dir, 'not-a-directory');
    fs.writeFileSync(file, '');
    process.env.POD_PATTERNS_CACHE_DIR = file;
    // WHEN a manifest is validated
    const run = inFreshRegistry((s) => s.validateManifest(configMap({ a: 1 }), V.V1_29));
    // THEN the answer is there, and nothing was written beside the file
    expect(run.result.map((v) => `${v.path}: ${v.message}`)).toEqual(['/data/a: must be string (received number 1)']);
    expect(fs.readdirSync(dir)).toEqual(['not-a-directory']);
  });
});
