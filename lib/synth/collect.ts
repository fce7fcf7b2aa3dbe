/**
 * Renders an app once. cdk8s's `Chart.toJson()` re-validates and re-resolves the whole app for
 * every chart (quadratic in the number of charts); this does the same steps — construct
 * validations, dependency resolution, topological order — once for the app, then renders each
 * object once: validations that inspect an object's rendering (the pod-wide checks, the helpers'
 * Pod Security checks, a user's own) share one rendering per object, which is also the output
 * (see {@link renderOnceWhile}). Objects, their order and the chart file names are those of
 * `App.synth()` (test/synth-collect.test.ts).
 */
import { createHash } from 'crypto';
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

function digest(manifest: unknown): string {
  return createHash('sha1').update(JSON.stringify(manifest)).digest('base64');
}

/**
 * Runs `fn` (the construct validations) with every object's `toJson()` rendering the object once
 * and returning that same manifest to every caller; returns the renderings (object -> manifest)
 * for the output. Rendering is pure (lib/_pod/inject.ts), so one rendering is what each call would give.
 * A validation that changes the manifest it was handed (which `App.synth()` never outputs, as it
 * renders anew) is caught by a digest taken right after rendering: that object is left out and
 * rendered again for the output.
 */
export function renderOnceWhile(objects: readonly ApiObject[], fn: () => void): Map<ApiObject, any> {
  const rendered = new Map<ApiObject, any>();
  const digests = new Map<ApiObject, string>();
  const restore: Array<() => void> = [];
  for (const obj of objects) {
    const own = Object.getOwnPropertyDescriptor(obj, 'toJson');
    const render = obj.toJson;
    obj.toJson = () => {
      let manifest = rendered.get(obj);
      if (manifest === undefined) {
        manifest = render.call(obj);
        rendered.set(obj, manifest);
        digests.set(obj, digest(manifest));
      }
      return manifest;
    };
    restore.push(own ? () => Object.defineProperty(obj, 'toJson', own) : () => delete (obj as any).toJson);
  }
  try {
    fn();
  } finally {
    for (const r of restore) r();
  }
  for (const [obj, d] of digests) if (digest(rendered.get(obj)) !== d) rendered.delete(obj);
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

/** Renders every chart of the app; throws {@link SynthError} when construct validations fail. */
export function renderApp(app: App): RenderedChart[] {
  const all = app.node.findAll();
  let errors: string[] = [];
  // every object is rendered once: by a validation that inspects it, or else for the output
  const rendered = renderOnceWhile(all.filter((c): c is ApiObject => c instanceof ApiObject), () => {
    errors = validateConstructs(all);
  });
  if (errors.length > 0) throw new SynthError(errors);
  const render = (obj: ApiObject) => rendered.get(obj) ?? obj.toJson();
  const indexed = resolveDependencies(all);
  const charts = new DependencyGraph(app.node).topology().filter((c): c is Chart => c instanceof Chart);
  return charts.map((chart, i) => {
    const objects = new DependencyGraph(chart.node).topology()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
      .map((apiObject) => ({ apiObject, manifest: render(apiObject) }));
    const name = Names.toDnsLabel(chart);
    return { chart, name: indexed ? `${String(i).padStart(4, '0')}-${name}` : name, objects };
  });
}
