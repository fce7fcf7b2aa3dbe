/**
 * Precompiled schema validators, cached on first use.
 *
 * Compiling the validator of one kind (a Pod, with everything it references) costs ajv 50-150 ms;
 * loading the same validator as ajv standalone code costs ~6 ms. Shipping every kind of every
 * vendored version precompiled would be ~250 MB, so each validator is compiled the first time a
 * (version, apiVersion, kind) is validated and written as standalone code to the cache directory;
 * later processes load it and neither read the schema's JSON nor load ajv's compiler.
 *
 * The cache directory: `$POD_PATTERNS_CACHE_DIR` (`off` turns the cache off); else
 * `node_modules/.cache/cdk8s-pod-patterns` in the nearest directory above the working directory
 * that has a `node_modules` (where babel, eslint and webpack keep theirs); else
 * `$XDG_CACHE_HOME/cdk8s-pod-patterns` (`~/.cache/...`). A cache that cannot be written (a
 * read-only tree) is skipped silently: validation is the same, only slower.
 *
 * What a cached validator was made from is its key: a hash of the schema file's bytes, the source
 * of the modules that close the schema and compile it (lib/synth/schema.ts, formats.ts, this file)
 * and ajv's version and location. Anything else is a different key, so a stale validator is
 * never used. Each file is written under a temporary name and renamed: a reader sees it whole or
 * not at all; one that does not load (a truncated disk) is compiled again and rewritten.
 *
 * Beside each validator, V8's code cache of it (`.js.v8`, made on its first load): loading 2 MB of
 * validators with it takes ~9 ms instead of ~37 ms. V8 checks it against the source and its own
 * version and flags, and rejects one that does not match; the validator is then compiled from its
 * source, and the code cache made again.
 */
import { isAscii } from 'buffer';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { createRequire } from 'module';
import * as path from 'path';
import { Script } from 'vm';
import type { ValidateFunction } from 'ajv';

/** Bump when the form of a cached file changes. */
const FORMAT = 1;

let dir: string | null | undefined;

/** The cache directory, or `null` when the cache is off. */
export function cacheDirectory(): string | null {
  if (dir !== undefined) return dir;
  const env = process.env.POD_PATTERNS_CACHE_DIR;
  if (env !== undefined && env !== '') return (dir = env === 'off' ? null : path.resolve(env));
  for (let d = process.cwd(); ; d = path.dirname(d)) {
    if (fs.statSync(path.join(d, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()) {
      return (dir = path.join(d, 'node_modules', '.cache', 'cdk8s-pod-patterns'));
    }
    if (path.dirname(d) === d) break;
  }
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return (dir = path.join(base, 'cdk8s-pod-patterns'));
}

/** For tests: forget the cache directory found, so that the next use looks again (POD_PATTERNS_CACHE_DIR may have changed). */
export function resetCacheDirectory(): void {
  dir = undefined;
  codeKey = undefined;
  codeStates = undefined;
  knownKeys = undefined;
}

let codeKey: string | undefined;
/** The state of each file {@link codeHash} read, taken before it read them. */
let codeStates: [string, number[] | null][] | undefined;

/** What the compiled code depends on besides the schema: this code, the formats, ajv. */
function codeHash(): string {
  if (codeKey !== undefined) return codeKey;
  codeStates = codeFiles().map((f): [string, number[] | null] => [f, stateOf(f)]);
  const h = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const m of ['./schema', './formats', './validator-cache']) {
    const file = require.resolve(m);
    h.update(file).update('\n').update(fs.readFileSync(file));
  }
  const ajvPackage = require.resolve('ajv/package.json');
  h.update(ajvPackage).update(fs.readFileSync(ajvPackage));
  return (codeKey = h.digest('hex'));
}

/** The key of one version's validators: its schema file's bytes and {@link codeHash}. */
export function versionKey(schemaBytes: Buffer): string {
  return createHash('sha256').update(codeHash()).update(schemaBytes).digest('hex').slice(0, 32);
}

/** What identifies a file's state: size, modification and change times, inode; `null` when it is absent. */
function stateOf(file: string): number[] | null {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? [st.size, st.mtimeMs, st.ctimeMs, st.ino] : null;
}

/** The files whose bytes {@link codeHash} hashes. */
function codeFiles(): string[] {
  return [...['./schema', './formats', './validator-cache'].map((m) => require.resolve(m)), require.resolve('ajv/package.json')];
}

/** One remembered key: the schema file's state and that of {@link codeFiles} when the key was made from their bytes. */
interface KnownKey {
  readonly state: number[] | null;
  readonly code: [string, number[] | null][];
  readonly key: string;
}

/** The file, in the cache directory, that remembers each schema file's key. */
const KEYS_FILE = 'schema-keys.json';

let knownKeys: Record<string, KnownKey> | undefined;

function readKnownKeys(): Record<string, KnownKey> {
  if (knownKeys !== undefined) return knownKeys;
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(cacheDirectory()!, KEYS_FILE), 'utf-8'));
    knownKeys = doc !== null && typeof doc === 'object' && doc.format === FORMAT && doc.keys !== null && typeof doc.keys === 'object' ? doc.keys : {};
  } catch {
    knownKeys = {}; // none yet, or torn: the keys are made anew
  }
  return knownKeys!;
}

const sameState = (a: number[] | null, b: number[] | null): boolean => (a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * The key of the validators of the schema file `file` ({@link versionKey} of its bytes), read from
 * the cache directory's `schema-keys.json` while the file and the modules {@link codeHash} hashes
 * have the size, modification and change times and inode they had when the key was made (writing a
 * file changes its change time, whatever it does to the rest): then the schema file (1 to 2 MB) is
 * neither read nor hashed, ~2 ms of a synth's start. Otherwise the key is made from the bytes and
 * remembered (best effort, written under a temporary name and renamed); the bytes read are returned with it.
 */
export function schemaKeyOf(file: string): { key: string; bytes?: Buffer } {
  if (cacheDirectory() === null) {
    const bytes = fs.readFileSync(file);
    return { key: versionKey(bytes), bytes };
  }
  const known = readKnownKeys()[file];
  const state = stateOf(file);
  const files = codeFiles();
  if (known !== undefined && state !== null && sameState(known.state, state) && Array.isArray(known.code)
    && known.code.length === files.length && files.every((f, i) => known.code[i][0] === f && sameState(known.code[i][1], stateOf(f)))) {
    return { key: known.key };
  }
  // the states taken before the bytes were read (the code files' when codeHash read them): a file
  // that changes meanwhile is keyed anew by the next process
  const bytes = fs.readFileSync(file);
  const key = versionKey(bytes);
  rememberKey(file, { state, code: codeStates!, key });
  return { key, bytes };
}

/** Records `entry` in `schema-keys.json`, beside the keys other processes recorded there. */
function rememberKey(file: string, entry: KnownKey): void {
  knownKeys = undefined;
  const keys = { ...readKnownKeys(), [file]: entry };
  knownKeys = keys;
  const target = path.join(cacheDirectory()!, KEYS_FILE);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, keys }));
    fs.renameSync(tmp, target);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean
    }
  }
}

function fileOf(key: string, id: string): string {
  // "apps/v1 Deployment" -> "apps_v1-Deployment.js": apiVersions and kinds are DNS-ish names
  return path.join(cacheDirectory()!, key, `${id.replace(/[^A-Za-z0-9.-]/g, (c) => (c === ' ' ? '-' : '_'))}.js`);
}

/** Whether the cache holds a validator of `id` ("apiVersion kind") under `key` (without loading it). */
export function hasValidator(key: string, id: string): boolean {
  return cacheDirectory() !== null && fs.existsSync(fileOf(key, id));
}

/** The cached validator of `id` ("apiVersion kind") under `key`, if there is one that loads. */
export function loadValidator(key: string, id: string): ValidateFunction | undefined {
  if (cacheDirectory() === null) return undefined;
  const file = fileOf(key, id);
  try {
    const v = formatsModule().endsWith('.ts') ? (fs.existsSync(file) ? require(file) : undefined) : loadWithCodeCache(file);
    return typeof v === 'function' ? v : undefined;
  } catch {
    // a torn or foreign file: compiled again and rewritten by the caller
    return undefined;
  }
}

/**
 * Loads a cached validator module as `require` would, with V8's code cache beside it (made when
 * missing or rejected). Not under ts-node or jest (the formats module is TypeScript there): those
 * load it with their own `require`.
 */
function loadWithCodeCache(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // not cached yet
    throw e;
  }
  // ajv's code is ASCII: read as Latin-1, the same string, without UTF-8 decoding (~1 ms for a synth's validators)
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cacheFile = `${file}.v8`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  script.runInThisContext()(module.exports, validatorRequire(file), module, file, path.dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    // made when the process exits: then it holds the validator's functions as compiled by the
    // validations run (V8 compiles a function on its first call), not only the module's top level
    if (pendingCodeCaches.size === 0) process.once('exit', writeCodeCaches);
    pendingCodeCaches.set(cacheFile, script);
  }
  return module.exports;
}

/**
 * The `require` a cached validator runs with: the formats module (the one module ajv's standalone
 * code requires, by its absolute path) is this module's own, already loaded; anything else is
 * required as from the file. Why: resolving a path from the cache directory, outside any package,
 * walks up it looking for package.json files (~10 ms of the first validator a synth loads).
 */
function validatorRequire(file: string): (id: string) => unknown {
  const formats = formatsModule();
  let fromFile: NodeJS.Require | undefined;
  return (id) => (id === formats ? require('./formats') : (fromFile ??= createRequire(file))(id));
}

const pendingCodeCaches = new Map<string, Script>();

function writeCodeCaches(): void {
  for (const [cacheFile, script] of pendingCodeCaches) {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
  pendingCodeCaches.clear();
}

/**
 * Writes ajv's standalone code of `validate` (compiled by `ajv` with `code.source`) as the cached
 * validator of `id` under `key`; best effort.
 */
export function storeValidator(key: string, id: string, code: string): void {
  if (cacheDirectory() === null) return;
  const file = fileOf(key, id);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean
    }
  }
}

/**
 * Makes ajv's standalone code independent of where it is stored: the ajv runtime modules it
 * requires by package name, and the formats module, are required by absolute path.
 */
export function relocatable(code: string): string {
  const ajvRoot = path.dirname(require.resolve('ajv/package.json'));
  return code.replace(/require\("ajv\/dist\/([^"]+)"\)/g, (_m, rel: string) => `require(${JSON.stringify(path.join(ajvRoot, 'dist', rel))})`);
}

/** The absolute path of the formats module, for ajv's `code.formats`. */
export function formatsModule(): string {
  return require.resolve('./formats');
}
