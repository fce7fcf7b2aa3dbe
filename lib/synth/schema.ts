/**
 * Strict validation of rendered manifests against the vendored Kubernetes JSON schemas
 * (`schemas/k8s/v<version>/_definitions.json`, as the cdk8s project publishes them).
 *
 * The published schema declares no `additionalProperties: false`, so by itself it lets any
 * unknown field through. Here every object definition that lists its `properties` (and declares
 * no `additionalProperties` of its own) is closed, on an in-memory copy made on its first use, so
 * a misspelled or too-new field is reported. The copy leaves out what only annotates
 * (`description`, `x-kubernetes-*`: ajv ignores them), 5/6 of the bytes. Left open, as Kubernetes itself leaves them:
 * - maps, which already declare `additionalProperties` (labels, annotations, ConfigMap data,
 *   resource lists, ...);
 * - definitions that list no `properties`: the int-or-string and Quantity definitions (declared as
 *   `oneOf` string/integer and string/number), free-form objects declared as a bare
 *   `type: object` (RawExtension, FieldsV1, Patch, ...) and untyped JSON (apiextensions JSON,
 *   JSONSchemaPropsOr*);
 * - any schema marked `x-kubernetes-preserve-unknown-fields: true` or `x-kubernetes-int-or-string: true`.
 *
 * Cost: one validator per (version, apiVersion, kind), reused for every manifest of that kind. It
 * is loaded precompiled from the validator cache (lib/synth/validator-cache.ts) when one is there:
 * then neither ajv's compiler nor the schema's JSON is loaded. Otherwise the version's file is
 * read and parsed (once per process), the kind's definition and what it references are closed, ajv
 * compiles the validator and it is cached for the next process. ajv itself is loaded only then.
 * One ajv compiles for every version, each closed definition registered under a hash of its
 * content (see {@link register}): what two versions have alike, most of a Pod, compiles once per
 * process (a process validating against 10 versions: ~1.8 -> ~1.1 s CPU cold).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { FORMAT_DESCRIPTIONS, formatOf, FORMATS } from './formats';
import { formatsModule, hasValidator, loadValidator, relocatable, schemaKeyOf, storeValidator, versionKey } from './validator-cache';

/**
 * A Kubernetes version the library targets and validates against (its schema is vendored). The
 * values are the version strings ("1.27"), so untyped callers may pass those.
 */
export enum KubernetesVersion {
  /** Kubernetes 1.27. */
  V1_27 = '1.27',
  /** Kubernetes 1.28. */
  V1_28 = '1.28',
  /** Kubernetes 1.29. */
  V1_29 = '1.29',
  /** Kubernetes 1.30. */
  V1_30 = '1.30',
  /** Kubernetes 1.31. */
  V1_31 = '1.31',
  /** Kubernetes 1.32. */
  V1_32 = '1.32',
  /** Kubernetes 1.33. */
  V1_33 = '1.33',
  /** Kubernetes 1.34. */
  V1_34 = '1.34',
  /** Kubernetes 1.35. */
  V1_35 = '1.35',
  /** Kubernetes 1.36. */
  V1_36 = '1.36',
}

/** The Kubernetes versions whose schema is vendored, oldest first: every minor from 1.27 to 1.36. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly KubernetesVersion[] = Object.freeze(Object.values(KubernetesVersion));

/** One problem of a manifest. */
export interface SchemaViolation {
  /** JSON pointer into the manifest, e.g. `/spec/containers/0/restartPolicy` (`''` is the manifest itself). */
  readonly path: string;
  /** What is wrong, e.g. `unknown field "restartPolicy"`, `must be integer (received string "80")`. */
  readonly message: string;
}

/** Each version's own schema directory (`schemas/k8s/v1.NN.0`); a version's file is read on its first use only. */
const SCHEMA_DIRS: Readonly<Record<KubernetesVersion, string>> = Object.freeze(
  Object.fromEntries(SUPPORTED_KUBERNETES_VERSIONS.map((v) => [v, `v${v}.0`])) as Record<KubernetesVersion, string>);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Locating and loading the schemas

let schemasDir: string | undefined;

/**
 * The `schemas/k8s` directory: the nearest one above this file. Found by walking up, because this
 * module runs both from `lib/synth/` (ts-node, jest) and from `build/lib/synth/` (compiled).
 */
function k8sSchemasDir(): string {
  if (schemasDir !== undefined) return schemasDir;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'schemas', 'k8s');
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isDirectory()) return (schemasDir = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Kubernetes schemas not found: no directory schemas/k8s in ${__dirname} or any directory above it`);
    dir = parent;
  }
}

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']);
/** Keywords whose value is an array of schemas. */
const SCHEMA_ARRAY_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf']);
/** Keywords whose value maps names to schemas (the names are data, not keywords). */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);

function copyJson(v: Json): Json {
  if (Array.isArray(v)) return v.map(copyJson);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyJson(x);
    return out;
  }
  return v;
}

/**
 * Keywords that only annotate (ajv ignores them): left out of the closed copy, so that neither the
 * compiled validators nor their cached code carry the documentation (5/6 of a schema's bytes).
 */
const ANNOTATION = (k: string): boolean => k === 'description' || k.startsWith('x-kubernetes-');

/** Whether a schema must stay open to unknown fields even though it lists properties. */
function staysOpen(schema: JsonObject): boolean {
  return schema.additionalProperties !== undefined
    || schema['x-kubernetes-preserve-unknown-fields'] === true
    || schema['x-kubernetes-int-or-string'] === true;
}

/** What closing a definition collects: the formats it uses and the objects that hold a `$ref`. */
interface Closing {
  readonly formats: Set<string>;
  readonly refs: JsonObject[];
}

/**
 * A deep copy of `schema` in which every object schema that lists `properties` and may not stay
 * open (see {@link staysOpen}) gets `additionalProperties: false`, without annotations. Collects
 * the formats it meets and the schemas that hold a `$ref` (rewritten by {@link register}).
 */
function closeSchema(schema: Json, c: Closing): Json {
  if (Array.isArray(schema)) return schema.map((s) => closeSchema(s, c));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (SCHEMA_MAP_KEYWORDS.has(k) && isObject(v)) {
      const m: JsonObject = {};
      for (const [name, sub] of Object.entries(v as JsonObject)) m[name] = closeSchema(sub, c);
      out[k] = m;
    } else if (SCHEMA_KEYWORDS.has(k) || SCHEMA_ARRAY_KEYWORDS.has(k)) {
      out[k] = closeSchema(v, c);
    } else if (ANNOTATION(k)) {
      continue;
    } else {
      if (k === 'format' && typeof v === 'string') c.formats.add(v);
      if (k === '$ref' && typeof v === 'string') c.refs.push(out);
      out[k] = copyJson(v);
    }
  }
  if (isObject(schema.properties) && !staysOpen(schema)) out.additionalProperties = false;
  return out;
}

interface Gvk { readonly group: string; readonly version: string; readonly kind: string }

function apiVersionOf(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

function gvksOf(def: JsonObject): Gvk[] {
  const raw = def['x-kubernetes-group-version-kind'];
  if (!Array.isArray(raw)) return [];
  const out: Gvk[] = [];
  for (const g of raw) {
    if (isObject(g) && typeof g.group === 'string' && typeof g.version === 'string' && typeof g.kind === 'string') {
      out.push({ group: g.group, version: g.version, kind: g.kind });
    }
  }
  return out;
}

/** One version's parsed schema, its GVK index and its compiled validators. */
interface VersionSchemas {
  readonly version: KubernetesVersion;
  /** The definitions as the file has them (closed on first use, by {@link register}). */
  readonly definitions: Readonly<Record<string, Json>>;
  /** Definition name -> the apiVersions and kinds its `apiVersion` and `kind` may have (the objects a manifest can be). */
  readonly typeEnums: ReadonlyMap<string, { readonly apiVersions: string[]; readonly kinds: string[] }>;
  /** "apiVersion kind" -> definition name. */
  readonly byGvk: ReadonlyMap<string, string>;
  /** kind -> the apiVersions that serve it. */
  readonly apiVersionsByKind: ReadonlyMap<string, readonly string[]>;
  /** Definition name -> the key of its closed schema in the compiler (see {@link register}). */
  readonly keys: Map<string, string>;
  /** "apiVersion kind" -> validator, compiled on first use. */
  readonly validators: Map<string, ValidateFunction>;
}

const loaded = new Map<KubernetesVersion, VersionSchemas>();

/**
 * A version's schema file and the key of its cached validators (made from its bytes, remembered
 * by the cache: the file is read only when a validator is compiled).
 */
const schemaFiles = new Map<KubernetesVersion, { file: string; key: string; bytes?: Buffer }>();

function schemaFileOf(version: KubernetesVersion): { file: string; key: string; bytes?: Buffer } {
  const cached = schemaFiles.get(version);
  if (cached) return cached;
  const dir = Object.hasOwn(SCHEMA_DIRS, version) ? SCHEMA_DIRS[version] : undefined;
  if (dir === undefined) {
    throw new Error(`Kubernetes version: received ${JSON.stringify(version)}; expected one of ${SUPPORTED_KUBERNETES_VERSIONS.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  const file = path.join(k8sSchemasDir(), dir, '_definitions.json');
  const entry = { file, ...schemaKeyOf(file) };
  schemaFiles.set(version, entry);
  return entry;
}

/**
 * Compiles into the cache the validator of each `apiVersion kind` of `ids` in `version` that it
 * does not hold (the unit suites' warm-up, test/util/warm-validators.js, so that their workers
 * do not each compile the same); an id the version does not serve is skipped.
 */
export function cacheValidators(version: KubernetesVersion, ids: readonly string[]): void {
  const { key } = schemaFileOf(version);
  for (const id of ids) {
    if (hasValidator(key, id)) continue;
    const schemas = schemasOf(version);
    const definition = schemas.byGvk.get(id);
    if (definition !== undefined) validatorOf(schemas, id, definition);
  }
}

/** Reads and parses a version's schema and indexes its kinds: once per process, on its first use. */
function schemasOf(version: KubernetesVersion): VersionSchemas {
  const cached = loaded.get(version);
  if (cached) return cached;
  const entry = schemaFileOf(version);
  const { file } = entry;
  let bytes = entry.bytes;
  if (bytes === undefined) {
    // the key was remembered, the file not read: what is compiled from its bytes is cached under their own key
    bytes = fs.readFileSync(file);
    entry.key = versionKey(bytes);
  }
  entry.bytes = undefined;
  const doc = JSON.parse(bytes.toString('utf8')) as Json;
  if (!isObject(doc) || !isObject(doc.definitions)) throw new Error(`${file}: expected {"definitions": {...}}`);
  const definitions = doc.definitions as Record<string, Json>;

  const typeEnums = new Map<string, { apiVersions: string[]; kinds: string[] }>();
  const byGvk = new Map<string, string>();
  const apiVersionsByKind = new Map<string, string[]>();
  for (const [name, def] of Object.entries(definitions)) {
    if (!isObject(def)) continue;
    const gvks = gvksOf(def as JsonObject);
    const props = def.properties;
    // Only definitions that carry apiVersion and kind are objects a manifest can be (not WatchEvent).
    if (gvks.length === 0 || !isObject(props) || !isObject(props.apiVersion) || !isObject(props.kind)) continue;
    typeEnums.set(name, { apiVersions: [...new Set(gvks.map(apiVersionOf))], kinds: [...new Set(gvks.map((g) => g.kind))] });
    for (const g of gvks) {
      const id = `${apiVersionOf(g)} ${g.kind}`;
      if (byGvk.has(id)) continue;
      byGvk.set(id, name);
      const served = apiVersionsByKind.get(g.kind) ?? [];
      served.push(apiVersionOf(g));
      apiVersionsByKind.set(g.kind, served);
    }
  }

  const schemas: VersionSchemas = { version, definitions, typeEnums, byGvk, apiVersionsByKind, keys: new Map(), validators: new Map() };
  loaded.set(version, schemas);
  return schemas;
}

// ---------------------------------------------------------------------------------------------
// Compiling: one compiler for every version, each distinct definition compiled once

let compiler: Ajv | undefined;
/** The keys of the schemas registered in {@link compiler}. */
const registered = new Set<string>();

/**
 * The one ajv of the process, made on first use. Every version's definitions are registered in
 * it by content (see {@link register}), so that what two versions have alike (most of a Pod) is
 * compiled once, not once per version.
 */
function compilerOf(): Ajv {
  if (compiler) return compiler;
  const AjvClass: typeof Ajv = require('ajv').default;
  compiler = new AjvClass({
    strict: false,
    allErrors: true,
    verbose: true, // errors carry the failing data and schema, for the messages below
    validateSchema: false, // the vendored schema is trusted; checking 1 MB against the meta-schema costs
    // every definition its own function, called where it is referenced, never copied into the
    // referencing one: each compiles (and is written to a cached validator) once; ~15% less
    // compile time over the kinds of seven versions, validators ~15% smaller
    inlineRefs: false,
    code: {
      optimize: false, // halves the compile of a Pod (~250 -> ~130 ms); validation is as fast
      source: true, // for the validator cache: ajv's standalone code of each validator
      formats: require('ajv/dist/compile/codegen')._`require(${formatsModule()}).FORMATS`,
    },
  });
  for (const [name, def] of Object.entries(FORMATS)) compiler.addFormat(name, def as any);
  return compiler;
}

/** The key of definitions whose closed schema is `text` (JSON, with the keys of what it references). */
function contentKey(text: string): string {
  return `k8s-${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}

/**
 * Closes `name` and every definition it references, and registers each in the compiler under a
 * key of its content: a hash of its closed JSON in which each `$ref` is the key of the definition
 * it names, so two definitions share a key only if they validate alike down to the leaves, in
 * whatever version. Definitions that reference each other in a cycle (no Pod's) are keyed by
 * version and name instead. Returns the key of `name`.
 */
function register(schemas: VersionSchemas, name: string): string {
  const known = schemas.keys.get(name);
  if (known !== undefined) return known;
  const ajv = compilerOf();
  // Tarjan's strongly connected components: each component comes out after all it references.
  const closed = new Map<string, { schema: JsonObject; refs: JsonObject[] }>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const refName = (o: JsonObject): string | undefined => {
    const ref = o.$ref as string;
    return ref.startsWith('#/definitions/') && Object.hasOwn(schemas.definitions, ref.slice(14)) ? ref.slice(14) : undefined;
  };
  const visit = (n: string): void => {
    index.set(n, index.size);
    low.set(n, index.get(n)!);
    stack.push(n);
    onStack.add(n);
    const c: Closing = { formats: new Set(), refs: [] };
    const schema = closeSchema(schemas.definitions[n], c) as JsonObject;
    const enums = schemas.typeEnums.get(n);
    if (enums) {
      const props = schema.properties as JsonObject;
      (props.apiVersion as JsonObject).enum = enums.apiVersions;
      (props.kind as JsonObject).enum = enums.kinds;
    }
    // A format this module does not know (a newer schema) is accepted rather than breaking validation.
    for (const f of c.formats) if (!Object.hasOwn(FORMATS, f) && !ajv.formats[f]) ajv.addFormat(f, formatOf(f) as any);
    closed.set(n, { schema, refs: c.refs });
    for (const o of c.refs) {
      const m = refName(o);
      if (m === undefined || schemas.keys.has(m)) continue;
      if (!index.has(m)) {
        visit(m);
        low.set(n, Math.min(low.get(n)!, low.get(m)!));
      } else if (onStack.has(m)) {
        low.set(n, Math.min(low.get(n)!, index.get(m)!));
      }
    }
    if (low.get(n) !== index.get(n)) return;
    const component: string[] = [];
    for (let m = stack.pop()!; ; m = stack.pop()!) {
      onStack.delete(m);
      component.push(m);
      if (m === n) break;
    }
    const cyclic = component.length > 1 || closed.get(n)!.refs.some((o) => refName(o) === n);
    if (cyclic) for (const m of component) schemas.keys.set(m, `k8s-${schemas.version}-${m}`);
    for (const m of component) {
      const { schema, refs } = closed.get(m)!;
      for (const o of refs) {
        const r = refName(o);
        if (r === undefined) continue;
        const key = schemas.keys.get(r);
        // every reference is keyed by now (what it names came out first, or is in this cycle): never left dangling, which would accept anything
        if (key === undefined) throw new Error(`Kubernetes ${schemas.version} schema: ${m} references ${r}, which has no key yet`);
        o.$ref = key;
      }
      if (!cyclic) schemas.keys.set(m, contentKey(JSON.stringify(schema)));
    }
    for (const m of component) {
      const key = schemas.keys.get(m)!;
      if (registered.has(key)) continue;
      ajv.addSchema(closed.get(m)!.schema, key); // registered only: it compiles when a validator needs it
      registered.add(key);
    }
  };
  visit(name);
  return schemas.keys.get(name)!;
}

/** The validator of one definition, compiled (with what it references) on first use, and cached for the next process. */
function validatorOf(schemas: VersionSchemas, id: string, definition: string): ValidateFunction {
  let v = schemas.validators.get(id);
  if (!v) {
    const ajv = compilerOf();
    v = ajv.compile({ $ref: register(schemas, definition) });
    schemas.validators.set(id, v);
    const standalone: typeof import('ajv/dist/standalone').default = require('ajv/dist/standalone').default;
    storeValidator(schemaFileOf(schemas.version).key, id, relocatable(standalone(ajv, v)));
  }
  return v;
}

/** Validators in use, by version and "apiVersion kind": loaded from the cache or compiled. */
const inUse = new Map<KubernetesVersion, Map<string, ValidateFunction>>();

/** The validator of `id` in `version`: in use, cached, or compiled; `undefined` when the version does not serve it. */
function validatorFor(version: KubernetesVersion, id: string): ValidateFunction | undefined {
  let byId = inUse.get(version);
  if (!byId) inUse.set(version, (byId = new Map()));
  let v = byId.get(id);
  if (v) return v;
  v = loadValidator(schemaFileOf(version).key, id);
  if (!v) {
    const schemas = schemasOf(version);
    const definition = schemas.byGvk.get(id);
    if (definition === undefined) return undefined;
    v = validatorOf(schemas, id, definition);
  }
  byId.set(id, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Messages

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function received(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  if (typeof v === 'undefined') return 'nothing';
  return `${typeof v} ${String(v)}`;
}

function oneOfList(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** The edit distance of two short strings, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest of `candidates` to `name`, when it is close enough to be a likely typo. */
function suggestion(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase) return exactCase;
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(name.length / 3));
  for (const c of candidates) {
    // the edit distance is at least the difference of the lengths: a candidate farther than that is not computed
    const cl = c.toLowerCase();
    if (Math.abs(cl.length - lower.length) > bestDistance) continue;
    const d = distance(lower, cl);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function typesOf(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  return [];
}

/** One violation per ajv error, worded for a user; the alternatives of a `oneOf` fold into one. */
function toViolations(errors: readonly ErrorObject[]): SchemaViolation[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const folded = (e: ErrorObject): boolean => oneOfs.some((o) => o !== e
    && o.instancePath === e.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`));
  // "must be integer" says it all: a format error on the same value adds nothing.
  const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));

  const out: SchemaViolation[] = [];
  const seen = new Set<string>();
  const add = (p: string, message: string): void => {
    const id = `${p}\n${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ path: p, message });
  };

  for (const e of errors) {
    if (folded(e) || (e.keyword === 'format' && mistyped.has(e.instancePath))) continue;
    const at = e.instancePath;
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const name = String(params.additionalProperty);
        const known = isObject(e.parentSchema) && isObject(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
        const hint = suggestion(name, known);
        add(`${at}/${escapePointer(name)}`, `unknown field "${name}"${hint ? `; did you mean "${hint}"?` : ''}`);
        break;
      }
      case 'required': {
        const name = String(params.missingProperty);
        add(`${at}/${escapePointer(name)}`, `required field "${name}" is missing`);
        break;
      }
      case 'type':
        add(at, `must be ${oneOfList(String(params.type).split(','))} (received ${received(e.data)})`);
        break;
      case 'enum': {
        const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
        add(at, `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')} (received ${received(e.data)})`);
        break;
      }
      case 'format': {
        const format = String(params.format);
        add(at, `must be ${FORMAT_DESCRIPTIONS[format] ?? `in format "${format}"`} (received ${received(e.data)})`);
        break;
      }
      case 'oneOf':
      case 'anyOf': {
        const types = Array.isArray(e.schema) ? [...new Set(e.schema.flatMap(typesOf))] : [];
        if (types.length > 0) add(at, `must be ${oneOfList(types)} (received ${received(e.data)})`);
        else add(at, `${e.message ?? 'is invalid'} (received ${received(e.data)})`);
        break;
      }
      default:
        add(at, e.message ?? `fails "${e.keyword}"`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Validates one manifest (apiVersion/kind/metadata/...) against the strict schema of that
 * Kubernetes version. Unknown apiVersion/kind is itself a violation. Returns no violation when the
 * manifest is valid.
 */
export function validateManifest(manifest: unknown, version: KubernetesVersion): SchemaViolation[] {
  schemaFileOf(version); // an unknown version throws, whatever the manifest
  if (!isObject(manifest)) return [{ path: '', message: `must be an object with apiVersion and kind (received ${received(manifest)})` }];

  const { apiVersion, kind } = manifest;
  const head: SchemaViolation[] = [];
  if (apiVersion === undefined) head.push({ path: '/apiVersion', message: 'required field "apiVersion" is missing' });
  else if (typeof apiVersion !== 'string') head.push({ path: '/apiVersion', message: `must be string (received ${received(apiVersion)})` });
  if (kind === undefined) head.push({ path: '/kind', message: 'required field "kind" is missing' });
  else if (typeof kind !== 'string') head.push({ path: '/kind', message: `must be string (received ${received(kind)})` });
  if (head.length > 0 || typeof apiVersion !== 'string' || typeof kind !== 'string') return head;

  const id = `${apiVersion} ${kind}`;
  const validate = validatorFor(version, id);
  if (validate === undefined) return [unknownTypeViolation(schemasOf(version), apiVersion, kind)];
  if (validate(manifest)) return [];
  return toViolations(validate.errors ?? []);
}

function unknownTypeViolation(schemas: VersionSchemas, apiVersion: string, kind: string): SchemaViolation {
  const served = schemas.apiVersionsByKind.get(kind);
  if (served) {
    return {
      path: '/apiVersion',
      message: `Kubernetes ${schemas.version} does not serve kind "${kind}" as apiVersion ${JSON.stringify(apiVersion)}; it serves it as ${served.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  const hint = suggestion(kind, [...schemas.apiVersionsByKind.keys()]);
  return {
    path: '/kind',
    message: `unknown kind "${kind}" (apiVersion ${JSON.stringify(apiVersion)}) in Kubernetes ${schemas.version}${hint ? `; did you mean "${hint}"?` : ''}`,
  };
}
