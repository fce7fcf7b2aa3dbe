/**
 * Renders an app once. cdk8s's `Chart.toJson()` re-validates and re-resolves the whole app for
 * every chart (quadratic in the number of charts); this does the same steps — construct
 * validations, dependency resolution, topological order — once for the app, then renders each
 * object once: validations that inspect an object's rendering (the pod-wide checks, the helpers'
 * Pod Security checks, a user's own) share one rendering per object, which is also the output
 * (see {@link renderOnceWhile}). Objects, their order and the chart file names are those of
 * `App.synth()` (test/synth-collect.test.ts).
 */
import { deserialize, serialize } from 'v8';
import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';

/** One rendered object and where it came from. */
export interface RenderedObject {
  /** The construct that rendered it. */
  readonly apiObject: ApiObject;
  /** The manifest. */
  readonly manifest: any;
}

/** One rendered chart. */
export interface RenderedChart {
  readonly chart: Chart;
  /**
   * File name stem, as `App.synth()` names chart files: `Names.toDnsLabel(chart)`, prefixed with
   * the chart's place in dependency order (`0000-`) when charts depend on each other.
   */
  readonly name: string;
  readonly objects: RenderedObject[];
}

/**
 * Thrown when the app cannot be synthesized: carries every problem found. TypeScript only (jsii
 * cannot subclass `Error`); in every language, `Patterns.isSynthError(message)` tells it by its message.
 */
class SynthErrorClass extends Error {
  constructor(public readonly problems: string[]) {
    super(`Synthesis failed with ${problems.length} error${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
    this.name = 'SynthError';
  }
}

/** The class of the errors a synth throws (see the class above); a value and a type, as jsii cannot express a subclass of `Error`. */
export const SynthError = SynthErrorClass;
/** An error a synth throws. */
export type SynthError = SynthErrorClass;

/** Runs every construct's validations; returns the problems prefixed with the construct path. */
export function validateConstructs(all: readonly IConstruct[]): string[] {
  const errors: string[] = [];
  for (const c of all) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  return errors;
}

/** A rendering kept between the validations and the output: compact (V8's serialization, ~3 KB a pod) or, when it cannot be serialized, the object itself. */
type Kept = { readonly bytes: Buffer } | { readonly manifest: any };

function keep(manifest: any): Kept {
  try {
    return { bytes: serialize(manifest) };
  } catch {
    // a function or a symbol in the manifest (which the YAML writer then reports): kept as it is
    return { manifest };
  }
}

function unkeep(kept: Kept): any {
  return 'bytes' in kept ? deserialize(kept.bytes) : kept.manifest;
}

/**
 * Runs `fn` (the construct validations) with every object's `toJson()` rendering the object once:
 * the rendering is kept in a compact form (V8's serialization: NaN, -0, undefined and shared
 * objects survive exactly, as the YAML writer must see them) and each caller gets that rendering
 * (the first the object itself, the others a copy of it, as it was before any caller could change
 * it). Returns the renderings (object -> kept rendering) for the output, which is thus exactly what a
 * fresh rendering would be (what `App.synth()` writes), even when a validation changed what it was
 * handed. Rendering is pure (lib/_pod/inject.ts), so one rendering is what each call would give.
 */
export function renderOnceWhile(objects: readonly ApiObject[], fn: () => void): Map<ApiObject, Kept> {
  const rendered = new Map<ApiObject, Kept>();
  const restore: Array<() => void> = [];
  for (const obj of objects) {
    const own = Object.getOwnPropertyDescriptor(obj, 'toJson');
    const render = obj.toJson;
    obj.toJson = () => {
      const kept = rendered.get(obj);
      if (kept !== undefined) return unkeep(kept);
      const manifest = render.call(obj);
      rendered.set(obj, keep(manifest));
      return manifest;
    };
    restore.push(own ? () => Object.defineProperty(obj, 'toJson', own) : () => delete (obj as any).toJson);
  }
  try {
    fn();
  } finally {
    for (const r of restore) r();
  }
  return rendered;
}

/**
 * Turns implicit construct dependencies into chart and object dependencies, as cdk8s does;
 * returns whether any chart depends on another (cdk8s then numbers the chart files).
 */
function resolveDependencies(all: readonly IConstruct[]): boolean {
  let dependantCharts = false;
  const chartOf = new Map<IConstruct, Chart>();
  const chart = (c: IConstruct) => {
    let ch = chartOf.get(c);
    if (!ch) chartOf.set(c, (ch = Chart.of(c)));
    return ch;
  };
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        dependantCharts = true;
      }
    }
  }
  for (const source of all) {
    for (const target of source.node.dependencies) {
      const sc = chart(source);
      const tc = chart(target);
      if (sc !== tc) {
        sc.node.addDependency(tc);
        dependantCharts = true;
      }
      const targets = target.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && chart(c) === tc);
      const sources = source.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && chart(c) === sc);
      for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
    }
  }
  return dependantCharts;
}

/** One object of a chart, rendered when asked for (see {@link renderAppLazily}). */
export interface LazyObject {
  readonly apiObject: ApiObject;
  /** Its manifest: a new copy of the rendering kept from the validations, or a fresh rendering. */
  render(): any;
}

/** One chart whose objects are rendered when asked for. */
export interface LazyChart {
  readonly chart: Chart;
  /** See {@link RenderedChart.name}. */
  readonly name: string;
  readonly objects: LazyObject[];
}

/**
 * Renders every chart of the app as {@link renderApp} does, keeping the renderings compact: each
 * object's manifest is made when asked for, so a synth that writes object by object holds one
 * manifest at a time. Throws {@link SynthError} when construct validations fail.
 */
export function renderAppLazily(app: App): LazyChart[] {
  const all = app.node.findAll();
  let errors: string[] = [];
  // every object is rendered once: by a validation that inspects it, or else for the output
  const rendered = renderOnceWhile(all.filter((c): c is ApiObject => c instanceof ApiObject), () => {
    errors = validateConstructs(all);
  });
  if (errors.length > 0) throw new SynthError(errors);
  const indexed = resolveDependencies(all);
  const charts = new DependencyGraph(app.node).topology().filter((c): c is Chart => c instanceof Chart);
  return charts.map((chart, i) => {
    const objects = new DependencyGraph(chart.node).topology()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
      .map((apiObject): LazyObject => ({
        apiObject,
        render: () => {
          const kept = rendered.get(apiObject);
          if (kept === undefined) return apiObject.toJson();
          rendered.delete(apiObject); // asked for once, by the synth: let the kept bytes go
          return unkeep(kept);
        },
      }));
    const name = Names.toDnsLabel(chart);
    return { chart, name: indexed ? `${String(i).padStart(4, '0')}-${name}` : name, objects };
  });
}

/** Renders every chart of the app; throws {@link SynthError} when construct validations fail. */
export function renderApp(app: App): RenderedChart[] {
  return renderAppLazily(app).map(({ chart, name, objects }) => ({
    chart, name, objects: objects.map((o) => ({ apiObject: o.apiObject, manifest: o.render() })),
  }));
}
