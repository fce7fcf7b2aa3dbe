/**
 * How the library's own validations read an object's rendering during a synth: without a copy of
 * their own (see lib/synth/collect.ts, which renders each object once for the validations and the
 * output). No imports but types: every module of the library can use it.
 */
import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * Where a synth driver (lib/synth/collect.ts) puts, on the `toJson` it installs on each object
 * while it synthesizes, the function that serves the object's one rendering to a check that only
 * reads it (see {@link renderingOf}). A registered symbol: a second copy of the library in one
 * process finds it too.
 */
export const READ_ONLY_RENDERING = Symbol.for('cdk8s-pod-patterns.readOnlyRendering');

/**
 * The object's rendering, for a validation that only reads it and never changes what it gets.
 * During a synth by our driver this is the one rendering that is also written (no copy: the
 * driver hands a copy only to callers of `toJson()`, which may change what they get); elsewhere
 * (`App.synth()`, a test) it is `obj.toJson()`.
 */
export function renderingOf(obj: ApiObject): any {
  const shared = (obj.toJson as any)[READ_ONLY_RENDERING];
  return typeof shared === 'function' ? shared() : obj.toJson();
}

/** The constructs whose validations read an object's rendering, declared where they are added (see {@link readsRendering}). */
const READERS = new WeakMap<ApiObject, IConstruct[]>();

/**
 * Declares that the validations of `reader` read the rendering of `obj` (a helper's checks of the
 * workload it attaches to): a synth that writes object by object runs them before it writes `obj`,
 * wherever `reader` is in the construct tree, so that `obj` is rendered once (its problems are
 * still reported in construct order).
 */
export function readsRendering(reader: IConstruct, obj: ApiObject): void {
  const readers = READERS.get(obj);
  if (readers === undefined) READERS.set(obj, [reader]);
  else if (!readers.includes(reader)) readers.push(reader);
}

/** The constructs declared to read the object's rendering ({@link readsRendering}). */
export function readersOf(obj: ApiObject): readonly IConstruct[] {
  return READERS.get(obj) ?? [];
}
