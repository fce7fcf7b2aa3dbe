/**
 * The renderings of cdk8s-plus-27's generated L1 objects (`KubeDeployment`, `KubePod`,
 * `KubeConfigMap`, ... : every class of its Kubernetes 1.27 module), made without the generated
 * functions' object spread: the objects cdk8s-plus-27's workloads and ConfigMaps render through.
 *
 * Each generated `toJson_*` function builds an object of every field and then copies it once per
 * defined field (`reduce` with `{ ...r, [k]: v }`); each class's `toJson` spreads that into
 * `{ ...GVK, ... }`. On Node.js 20 (V8 11.3) an object literal that spreads and then adds a
 * property gets a hidden class of its own, every time: a rendering of a Deployment leaves a few
 * dozen hidden classes and their descriptor arrays, which V8 allocates in the old generation, so
 * they pile up there until a full collection (about 5 KB a rendering: at 1,000 pods most of what
 * the synth adds to the heap), beside the copies themselves.
 *
 * The same conversion, as lib/_pod/l1-json.ts makes it for the parts ({@link toJsonOf}: the same
 * fields, read in the same order, converted the same way, written when defined), from a table
 * read off each function's own source text when first needed: a function whose text is not of the
 * generated form, or a field of a form not listed below, is converted by the function itself; so
 * is any input the table's conversion throws for (the L1 functions are pure: the same result or
 * error). A class renders so only when its `toJson` is exactly the generated method; any other
 * object renders with its own `toJson`. test/l1-render.test.ts checks every function's table
 * against the fields it reads, compares results and errors on arbitrary input, and every object
 * of the example app and the benchmark with its own rendering.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { L1Type, mapOf, toJsonOf } from './l1-json';

/** The L1 module the library runs (cdk8s-plus-27's: see lib/_k8s.ts), by name. */
const L1: Record<string, any> = kplus.k8s as any;

const same = (v: any): any => v;
const listCopy = (v: any): any => v?.map((y: any) => y);

/** The text of a generated `toJson_*` function: its name and the lines of its `result` object. */
const GENERATED_FUNCTION = /^function (toJson_\w+)\(obj\) \{\s*if \(obj === undefined\) \{\s*return undefined;\s*\}\s*const result = \{\n([\s\S]*?)\n\s*\};\s*\/\/ filter undefined values\s*return Object\.entries\(result\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\);\s*\}$/;
/** One field of `result`: its JSON name and the expression that converts it. */
const FIELD = /^'([^']+)': (.*),$/;
/** A map field: `((obj.f) === undefined) ? undefined : (Object.entries(obj.f).reduce(... [i[0]]: ENTRY ...))`. */
const MAP_FIELD = /^\(\(obj\.(\w+)\) === undefined\) \? undefined : \(Object\.entries\(obj\.(\w+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.*) \}\), \{\}\)\)$/;

/** Tables made so far, by function name (undefined: converted by the function itself). */
const TABLES = new Map<string, L1Type | undefined>();

/** The conversion of one value by the generated function `name` (through its table when it has one). */
function converterOf(name: string): ((v: any) => any) | undefined {
  const fn = L1[name];
  if (typeof fn !== 'function') return undefined;
  const type = tableOf(name);
  return type === undefined ? fn : (v: any) => toJsonOf(type, v);
}

/**
 * The table of the generated function `name` of the L1 module, read off its source text; undefined
 * when it is not of the generated form (it then converts its input itself).
 */
export function tableOf(name: string): L1Type | undefined {
  if (TABLES.has(name)) return TABLES.get(name);
  const fn = L1[name];
  const text = typeof fn === 'function' ? Function.prototype.toString.call(fn) : '';
  const m = GENERATED_FUNCTION.exec(text);
  if (!m || m[1] !== name) {
    TABLES.set(name, undefined);
    return undefined;
  }
  const table: Array<L1Type[number]> = [];
  TABLES.set(name, table); // a type that refers to itself finds its own table
  for (const line of m[2].split('\n')) {
    const field = fieldOf(line.trim());
    if (field === undefined) {
      TABLES.set(name, undefined);
      return undefined;
    }
    table.push(field);
  }
  return table;
}

/** One line of a generated function's `result`, as a table entry; undefined for a form not listed. */
function fieldOf(line: string): L1Type[number] | undefined {
  const f = FIELD.exec(line);
  if (!f) return undefined;
  const [, json, expr] = f;
  let m: RegExpExecArray | null;
  if ((m = /^obj\.(\w+)$/.exec(expr))) return [json, m[1], 'as-is'];
  if ((m = /^obj\.(\w+)\?\.map\(y => y\)$/.exec(expr))) return [json, m[1], 'list'];
  if ((m = /^obj\.(\w+)\?\.value$/.exec(expr))) return [json, m[1], 'value'];
  if ((m = /^obj\.(\w+)\?\.toISOString\(\)$/.exec(expr))) return [json, m[1], { l1: (v: any) => v?.toISOString() }];
  if ((m = /^(toJson_\w+)\(obj\.(\w+)\)$/.exec(expr))) {
    const type = tableOf(m[1]);
    if (type !== undefined) return [json, m[2], { type }];
    const fn = L1[m[1]];
    return typeof fn === 'function' ? [json, m[2], { l1: fn }] : undefined;
  }
  if ((m = /^obj\.(\w+)\?\.map\(y => (toJson_\w+)\(y\)\)$/.exec(expr))) {
    const type = tableOf(m[2]);
    if (type !== undefined) return [json, m[1], { listOf: type }];
    const fn = L1[m[2]];
    return typeof fn === 'function' ? [json, m[1], { l1List: fn }] : undefined;
  }
  if ((m = MAP_FIELD.exec(expr)) && m[1] === m[2]) {
    const entry = m[3];
    if (entry === 'i[1]') return [json, m[1], { l1: (v: any) => mapOf(v, same) }];
    if (entry === 'i[1]?.value') return [json, m[1], 'value-map'];
    if (entry === 'i[1]?.map(y => y)') return [json, m[1], { l1: (v: any) => mapOf(v, listCopy) }];
    const t = /^(toJson_\w+)\(i\[1\]\)$/.exec(entry);
    const convert = t ? converterOf(t[1]) : undefined;
    if (convert !== undefined) return [json, m[1], { l1: (v: any) => mapOf(v, convert) }];
  }
  return undefined;
}

/** The generated `toJson` of an L1 class: `super.toJson()`, then `{ ...GVK, ...toJson_<Kind>Props(resolved) }`. */
const GENERATED_METHOD = /^toJson\(\) \{\s*const resolved = super\.toJson\(\);\s*return \{\s*\.\.\.(\w+)\.GVK,\s*\.\.\.(toJson_\w+)\(resolved\),\s*\};\s*\}$/;

/** Per `toJson` method: its rendering without the spreads, or null when it is not a generated method of the L1 module. */
const METHODS = new WeakMap<(...args: any[]) => any, ((obj: ApiObject) => any) | null>();

function fastMethodOf(method: (...args: any[]) => any): ((obj: ApiObject) => any) | null {
  let fast = METHODS.get(method);
  if (fast !== undefined) return fast;
  fast = null;
  const m = GENERATED_METHOD.exec(Function.prototype.toString.call(method));
  const cls = m ? L1[m[1]] : undefined;
  const propsFn = m ? L1[m[2]] : undefined;
  const type = m ? tableOf(m[2]) : undefined;
  if (typeof cls === 'function' && cls.prototype?.toJson === method && typeof propsFn === 'function' && type !== undefined
    && cls.GVK !== null && typeof cls.GVK === 'object') {
    const home = Object.getPrototypeOf(cls.prototype); // what `super` is in the method
    fast = (obj: ApiObject): any => {
      const resolved = home.toJson.call(obj);
      let props: any;
      try {
        props = toJsonOf(type, resolved);
      } catch {
        props = propsFn(resolved); // the same error (or result) as the method's own conversion
      }
      // `{ ...cls.GVK, ...props }` key by key: the keys are apiVersion and kind, then the JSON names of
      // an L1 type's fields, never "__proto__", so each assignment defines an own property as the spread does
      const out: Record<string, any> = {};
      const gvk = cls.GVK;
      for (const k of Object.keys(gvk)) out[k] = gvk[k];
      if (props !== undefined) for (const k of Object.keys(props)) out[k] = props[k];
      return out;
    };
  }
  METHODS.set(method, fast);
  return fast;
}

/**
 * The object's own rendering, as `obj.toJson.bind(obj)` gives it now: for an object of an L1 class
 * of cdk8s-plus-27 whose `toJson` is the generated method, the same rendering made without the
 * generated functions' spreads; for any other object (a `toJson` of its own, another class, another
 * module), its own `toJson`.
 */
export function ownRendering(obj: ApiObject): () => any {
  const fast = Object.prototype.hasOwnProperty.call(obj, 'toJson') ? undefined : classRendering(obj);
  return fast ?? obj.toJson.bind(obj);
}

/**
 * The rendering of the object's class `toJson` (whatever the object has of its own), made without
 * the spreads, when that method is the generated one of an L1 class of cdk8s-plus-27; else undefined.
 */
export function classRendering(obj: ApiObject): (() => any) | undefined {
  const method = Object.getPrototypeOf(obj)?.toJson;
  const fast = typeof method === 'function' ? fastMethodOf(method) : null;
  return fast ? () => fast(obj) : undefined;
}

/**
 * `{ ...a, ...b, ... }` for the renderings: the same own enumerable keys of each source (strings
 * in their order, then symbols), later ones overwriting in place, getters read once, null and
 * undefined skipped, "__proto__" an own key as a spread makes it; built key by key, because on
 * Node.js 20 a literal that spreads and then adds a key gets a hidden class of its own each time
 * it runs (see the module's comment). Keys added to the result afterwards keep shared hidden classes.
 */
export function spreadOf(...sources: unknown[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i];
    if (source === null || source === undefined) continue;
    const s = Object(source);
    // the enumerable string keys in the spread's order (Object.keys), then the enumerable symbols
    const keys = Object.keys(s);
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (k === '__proto__') Object.defineProperty(out, k, { value: s[k], enumerable: true, writable: true, configurable: true });
      else out[k] = s[k];
    }
    const symbols = Object.getOwnPropertySymbols(s);
    for (let j = 0; j < symbols.length; j++) if (Object.prototype.propertyIsEnumerable.call(s, symbols[j])) out[symbols[j] as any] = s[symbols[j]];
  }
  return out;
}

/**
 * cdk8s-plus-27's two pod-spec methods that spread and then add keys, as it has them
 * (`Workload.prototype._toPodSpec` and `Pod.prototype._toKube`, exactly this text): every
 * rendering of a workload or a Pod runs one of them, and its `{ ...spec, affinity, nodeName,
 * tolerations }` gave each rendering a hidden class of its own (a pod spec's: a large descriptor
 * array). {@link withPlusPodSpecs} stands in for them, step for step, with the spec copied key by
 * key, only while it finds them in place with this text.
 */
export const PLUS_POD_SPEC_METHODS: readonly string[] = [
  '_toPodSpec() {\n        if (this.spread) {\n            {\n                this.scheduling.spread({\n                    topology: pod.Topology.HOSTNAME,\n                });\n                this.scheduling.spread({\n                    topology: pod.Topology.ZONE,\n                });\n            }\n        }\n        ;\n        const scheduling = this.scheduling._toKube();\n        return {\n            ...super._toPodSpec(),\n            affinity: scheduling.affinity,\n            nodeName: scheduling.nodeName,\n            tolerations: scheduling.tolerations,\n        };\n    }',
  '_toKube() {\n        const scheduling = this.scheduling._toKube();\n        return {\n            ...this._toPodSpec(),\n            affinity: scheduling.affinity,\n            nodeName: scheduling.nodeName,\n            tolerations: scheduling.tolerations,\n        };\n    }',
];

const plusWorkload: any = (kplus as any).Workload?.prototype;
const plusPod: any = (kplus as any).Pod?.prototype;
/** The methods as loaded (what {@link withPlusPodSpecs} puts back). */
const PLUS_WORKLOAD_POD_SPEC = plusWorkload?._toPodSpec;
const PLUS_POD_TO_KUBE = plusPod?._toKube;

let plusMirrored: boolean | undefined;

/** Whether the loaded cdk8s-plus-27 has the two methods {@link withPlusPodSpecs} mirrors, with their text (computed once). */
export function mirrorsLoadedPlus(): boolean {
  if (plusMirrored === undefined) {
    const text = (f: unknown) => (typeof f === 'function' ? Function.prototype.toString.call(f) : undefined);
    plusMirrored = text(PLUS_WORKLOAD_POD_SPEC) === PLUS_POD_SPEC_METHODS[0] && text(PLUS_POD_TO_KUBE) === PLUS_POD_SPEC_METHODS[1]
      && typeof (kplus as any).Topology?.HOSTNAME === 'object' && Object.getPrototypeOf(plusWorkload) === Object.getPrototypeOf(plusPod);
  }
  return plusMirrored;
}

/** `Workload.prototype._toPodSpec`, step for step, the spec copied key by key. */
function workloadPodSpec(this: any): any {
  if (this.spread) {
    this.scheduling.spread({ topology: (kplus as any).Topology.HOSTNAME });
    this.scheduling.spread({ topology: (kplus as any).Topology.ZONE });
  }
  const scheduling = this.scheduling._toKube();
  const spec = spreadOf(Object.getPrototypeOf(plusWorkload)._toPodSpec.call(this)); // super._toPodSpec()
  spec.affinity = scheduling.affinity;
  spec.nodeName = scheduling.nodeName;
  spec.tolerations = scheduling.tolerations;
  return spec;
}

/** `Pod.prototype._toKube`, step for step, the spec copied key by key. */
function podToKube(this: any): any {
  const scheduling = this.scheduling._toKube();
  const spec = spreadOf(this._toPodSpec());
  spec.affinity = scheduling.affinity;
  spec.nodeName = scheduling.nodeName;
  spec.tolerations = scheduling.tolerations;
  return spec;
}

/**
 * Runs `f` with cdk8s-plus-27's two pod-spec methods replaced by their mirrors (see
 * {@link PLUS_POD_SPEC_METHODS}) when they are in place as loaded and have the text mirrored; else
 * runs `f` as it is. The loaded methods are back when `f` returns or throws. Called by
 * withFastRendering (lib/_pod/cdk8s-render.ts), which is re-entrant around it.
 */
export function withPlusPodSpecs<T>(f: () => T): T {
  if (!mirrorsLoadedPlus() || plusWorkload._toPodSpec !== PLUS_WORKLOAD_POD_SPEC || plusPod._toKube !== PLUS_POD_TO_KUBE) return f();
  plusWorkload._toPodSpec = workloadPodSpec;
  plusPod._toKube = podToKube;
  try {
    return f();
  } finally {
    plusWorkload._toPodSpec = PLUS_WORKLOAD_POD_SPEC;
    plusPod._toKube = PLUS_POD_TO_KUBE;
  }
}
