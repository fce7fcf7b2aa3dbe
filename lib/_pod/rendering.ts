/**
 * How the library's own validations read an object's rendering during a synth: without a copy of
 * their own (see lib/synth/collect.ts, which renders each object once for the validations and the
 * output). No imports: every module of the library can use it.
 */
import type { ApiObject } from 'cdk8s';

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
