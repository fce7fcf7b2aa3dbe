/**
 * cdk8s's own rendering of an object (`ApiObject.prototype.toJson`), made with less work per
 * value, for the renderings the library makes (the injection step's, lib/_pod/inject.ts, and the
 * synth's, lib/synth/collect.ts): {@link withFastRendering}.
 *
 * cdk8s renders an object by resolving every value of its props (`resolve`: for each value, the
 * app looked up from the object, a `ResolutionContext`, the app's resolvers in turn, a copy of
 * the key path) and then copying the result with its keys sorted (`sanitizeValue`). With only the
 * built-in resolvers (`LazyResolver`, `ImplicitTokenResolver`, `NumberStringUnionResolver`, what
 * `new App()` has), the same result comes from one pass over the props that applies the three in
 * the same order to each value, resolves the values of each object in the order of its keys (so
 * producers run as they would), and writes the object once with its keys sorted: that is
 * {@link renderObject}, step for step `ApiObject.prototype.toJson` (metadata, JSON patches,
 * top-level key order, the error it throws) with `resolve` and `sanitizeValue` fused.
 *
 * It stands in for cdk8s's only where it is known to be the same: the functions it mirrors
 * (`ApiObject.prototype.toJson`, `resolve`, `sanitizeValue`, the three resolvers' `resolve`) must
 * have exactly the source text of the cdk8s release it was written from ({@link MIRRORED}: any
 * other cdk8s renders with its own code), and the object's app must have the built-in resolvers
 * alone (an app with resolvers of its own renders with cdk8s's code). Whatever else happens,
 * including errors, is cdk8s's: the same values, the same order, the same messages.
 */
import { createHash } from 'crypto';
import * as cdk8s from 'cdk8s';
import { IConstruct } from 'constructs';
import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { spreadOf, withPlusPodSpecs } from './l1-render';

/**
 * The SHA-256 of the source text of the cdk8s functions {@link renderObject} mirrors, joined by
 * NUL, as cdk8s 2.70.106 has them ({@link mirroredSource}); test/cdk8s-render.test.ts compares
 * every rendering of the examples and the benchmark's objects with cdk8s's own.
 */
export const MIRRORED = '3fc5e390ed50ad5a8a75026649b82914443f9e8a340bbcd32c8271662ecae18c';

/** The source text of the cdk8s functions {@link renderObject} mirrors (undefined when one is missing). */
export function mirroredSource(): string | undefined {
  try {
    // sanitizeValue is not exported by the package's index: its own module (cdk8s has no "exports" map)
    const util = require('cdk8s/lib/_util');
    const parts = [
      ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson, (cdk8s as any).resolve, util.sanitizeValue,
      LazyResolver.prototype.resolve, ImplicitTokenResolver.prototype.resolve, NumberStringUnionResolver.prototype.resolve,
    ];
    if (!parts.every((f) => typeof f === 'function')) return undefined;
    return `${parts.map((f) => Function.prototype.toString.call(f)).join('\0')}\0${JSON.stringify((NumberStringUnionResolver as any).TYPES)}`;
  } catch {
    return undefined;
  }
}

/** cdk8s's own `ApiObject.prototype.toJson` and `ApiObjectMetadataDefinition.prototype.toJson`, as loaded. */
const CDK8S_TO_JSON = ApiObject.prototype.toJson;
const CDK8S_METADATA_TO_JSON = ApiObjectMetadataDefinition.prototype.toJson;

let mirrors: boolean | undefined;

/** Whether the loaded cdk8s is the one {@link renderObject} mirrors (computed once). */
export function mirrorsLoadedCdk8s(): boolean {
  if (mirrors === undefined) {
    const source = mirroredSource();
    mirrors = source !== undefined && createHash('sha256').update(source).digest('hex') === MIRRORED;
  }
  return mirrors;
}

/** Whether the app of `c` renders with cdk8s's built-in resolvers alone (no resolver of the user's, which may change any value). */
export function hasBuiltInResolvers(c: IConstruct): boolean {
  const resolvers: unknown = (App.of(c) as any).resolvers;
  return Array.isArray(resolvers) && resolvers.length === 3 && resolvers[0] instanceof LazyResolver
    && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver;
}

/**
 * A value `sanitizeValue` throws for (an object of a class), kept in its place until the whole
 * object is resolved: `resolve` resolves every value first, and `sanitizeValue` then throws for
 * the first such value in its own order (keys sorted), which {@link firstUnrenderable} finds.
 */
class Unrenderable {
  public constructor(public readonly error: unknown) {}
}

/** The options of a `sanitizeValue` call (ApiObject's: keys sorted unless CDK8S_DISABLE_SORT; its metadata's: empty lists and objects dropped too). */
interface Sanitize {
  readonly sortKeys: boolean;
  readonly filterEmptyArrays: boolean;
  readonly filterEmptyObjects: boolean;
}

/**
 * `sanitizeValue(resolve([], value, obj), { sortKeys })` with the built-in resolvers: each value
 * resolved as `resolve` does (a Lazy produced, an object with `resolve()` resolved, a
 * number-or-string union replaced by `{ value }`, again until none applies; a list element by
 * element; a plain object key by key, in its own order), then kept as `sanitizeValue` keeps it
 * (null and undefined dropped from objects, keys sorted; an object of a class an
 * {@link Unrenderable}, `walk.found` set).
 */
function resolved(v: any, o: Sanitize, walk: Walk): any {
  const t = typeof v;
  // a string, number or boolean goes through the steps below unchanged when it has no `resolve` or `value`
  if (walk.primitivesAsThemselves && (t === 'string' || t === 'number' || t === 'boolean')) return v;
  for (;;) {
    if (v === null || v === undefined) return undefined;
    if (v instanceof Lazy) {
      v = v.produce();
      continue;
    }
    if (typeof v.resolve === 'function') {
      v = v.resolve();
      continue;
    }
    if (v.constructor !== Object) {
      const t = typeof v.value;
      if (t === 'number' || t === 'string') {
        v = { value: v.value };
        continue;
      }
    }
    break;
  }
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return o.filterEmptyArrays && v.length === 0 ? undefined : v.map((x) => resolved(x, o, walk));
  if (v.constructor !== Object) {
    // resolve leaves an object of a class as it is; sanitizeValue copies it as a plain object
    // when its constructor is named Object (another realm's), else throws
    try {
      return sanitized(v, o);
    } catch (e) {
      walk.found = true;
      return new Unrenderable(e);
    }
  }
  const keys = Object.keys(v);
  let i = 1;
  while (i < keys.length && keys[i - 1] < keys[i]) i++;
  const out: Record<string, any> = {};
  let kept = 0;
  if (i >= keys.length || !o.sortKeys) {
    // keys in order (the common case), or kept in their order: written as they are resolved
    for (const k of keys) {
      const x = resolved(v[k], o, walk);
      // resolve's `result["__proto__"] = ...` sets no key of its own: sanitizeValue never sees it
      if (x == null || k === '__proto__') continue;
      out[k] = x;
      kept++;
    }
  } else {
    // as resolve and then sanitizeValue: every value resolved in the object's order, then written
    // with the keys sorted (as `Object.keys(resolvedObject).sort()`: the keys are distinct, so
    // sorting their indices by code units gives that order; no object of the resolved values is made)
    const values = new Array(keys.length);
    const order = new Array<number>(keys.length);
    for (let j = 0; j < keys.length; j++) {
      values[j] = resolved(v[keys[j]], o, walk);
      order[j] = j;
    }
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
    for (let j = 0; j < order.length; j++) {
      const k = keys[order[j]];
      const x = values[order[j]];
      // as above: `result["__proto__"] = ...` sets no key of its own
      if (x == null || k === '__proto__') continue;
      out[k] = x;
      kept++;
    }
  }
  return o.filterEmptyObjects && kept === 0 ? undefined : out;
}

/** `sanitizeValue(v, o)` (no resolving), step for step, so that it throws for the value it would. */
function sanitized(v: any, o: Sanitize): any {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return o.filterEmptyArrays && v.length === 0 ? undefined : v.map((x) => sanitized(x, o));
  if (v.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${v.constructor.name}'`);
  const out: Record<string, any> = {};
  const keys = o.sortKeys ? Object.keys(v).sort() : Object.keys(v);
  for (const k of keys) {
    const x = sanitized(v[k], o);
    if (x != null) out[k] = x;
  }
  return o.filterEmptyObjects && Object.keys(out).length === 0 ? undefined : out;
}

/** The first {@link Unrenderable} in a resolved value, in the order sanitizeValue walks it (its keys, sorted when asked). */
function firstUnrenderable(v: any, o: Sanitize): Unrenderable | undefined {
  if (v instanceof Unrenderable) return v;
  if (v === null || typeof v !== 'object') return undefined;
  const items = Array.isArray(v) ? v : (o.sortKeys ? Object.keys(v).sort() : Object.keys(v)).map((k) => v[k]);
  for (const x of items) {
    const u = firstUnrenderable(x, o);
    if (u) return u;
  }
  return undefined;
}

/** What one rendering's walk ({@link resolved}) carries. */
interface Walk {
  /** An {@link Unrenderable} was met. */
  found: boolean;
  /**
   * Strings, numbers and booleans resolve to themselves: none of their prototypes (nor Object's)
   * has a `resolve` or a `value`, as in any app that does not patch them; found as the rendering starts.
   */
  readonly primitivesAsThemselves: boolean;
}

const PRIMITIVE_PROTOTYPES = [String.prototype, Number.prototype, Boolean.prototype];

function primitivesResolveToThemselves(): boolean {
  for (const proto of PRIMITIVE_PROTOTYPES) {
    if ('resolve' in proto || 'value' in proto) return false;
  }
  return true;
}

/** {@link resolved}, then the error sanitizeValue would throw, if any. */
function resolvedAndSanitized(v: any, o: Sanitize): any {
  const walk: Walk = { found: false, primitivesAsThemselves: primitivesResolveToThemselves() };
  const json = resolved(v, o, walk);
  if (walk.found) throw firstUnrenderable(json, o)!.error;
  return json;
}

/** The options of the metadata's `sanitizeValue`. */
const METADATA_SANITIZE: Sanitize = { sortKeys: true, filterEmptyArrays: true, filterEmptyObjects: true };

/** `ApiObjectMetadataDefinition.prototype.toJson` of cdk8s 2.70.106, with `resolve` and `sanitizeValue` fused. */
function renderMetadata(this: ApiObjectMetadataDefinition): any {
  const m = this as any;
  if (!hasBuiltInResolvers(m.apiObject)) return CDK8S_METADATA_TO_JSON.call(m);
  // `{ ...m._additionalAttributes, name: m.name, ... }` key by key (lib/_pod/l1-render.ts spreadOf: no hidden class of its own per rendering)
  const data = spreadOf(m._additionalAttributes);
  data.name = m.name;
  data.namespace = m.namespace;
  data.annotations = m.annotations;
  data.finalizers = m.finalizers;
  data.ownerReferences = m.ownerReferences;
  data.labels = m.labels;
  return resolvedAndSanitized(data, METADATA_SANITIZE);
}

/** `ApiObject.prototype.toJson` of cdk8s 2.70.106, with `resolve` and `sanitizeValue` fused (see the file's comment). */
function renderObject(this: ApiObject): any {
  const obj = this as any;
  if (!hasBuiltInResolvers(obj)) return CDK8S_TO_JSON.call(obj);
  try {
    const data = spreadOf(obj.props); // `{ ...obj.props, metadata: obj.metadata.toJson() }` key by key
    data.metadata = obj.metadata.toJson();
    const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
    const json = resolvedAndSanitized(data, { sortKeys, filterEmptyArrays: false, filterEmptyObjects: false });
    const patched = JsonPatch.apply(json, ...obj.patches);
    const result: Record<string, any> = {};
    const orderedKeys = ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)];
    for (const k of orderedKeys) {
      if (k in patched) result[k] = patched[k];
    }
    return result;
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${obj.node.path}' with name '${obj.name}': ${e}`);
  }
}

let depth = 0;

/**
 * Runs `f` with every ApiObject rendered by {@link renderObject} instead of cdk8s's own code
 * (which it mirrors) when the loaded cdk8s is the one it mirrors; else runs `f` as it is.
 * Re-entrant; cdk8s's own code is back in place when `f` returns or throws.
 */
export function withFastRendering<T>(f: () => T): T {
  if (depth > 0 || ApiObject.prototype.toJson !== CDK8S_TO_JSON || ApiObjectMetadataDefinition.prototype.toJson !== CDK8S_METADATA_TO_JSON || !mirrorsLoadedCdk8s()) {
    if (depth === 0) return f();
    depth++;
    try {
      return f();
    } finally {
      depth--;
    }
  }
  depth++;
  ApiObject.prototype.toJson = renderObject;
  ApiObjectMetadataDefinition.prototype.toJson = renderMetadata;
  try {
    return withPlusPodSpecs(f); // and cdk8s-plus-27's pod specs without a spread (lib/_pod/l1-render.ts)
  } finally {
    ApiObject.prototype.toJson = CDK8S_TO_JSON;
    ApiObjectMetadataDefinition.prototype.toJson = CDK8S_METADATA_TO_JSON;
    depth--;
  }
}
