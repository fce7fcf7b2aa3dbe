/**
 * Renders an app once. cdk8s's `Chart.toJson()` re-validates and re-resolves the whole app for
 * every chart (quadratic in the number of charts); this does the same steps — construct
 * validations, dependency resolution, topological order — once for the app, then renders each
 * object once: the pod-wide checks of our workloads run on that same rendering (see
 * `deferringPodChecks`) instead of rendering the object a second time. Objects, their order and
 * the chart file names are those of `App.synth()` (test/synth-collect.test.ts).
 */
import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkManifestPod, deferringPodChecks } from '../_pod/checks';

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

/** Thrown when the app cannot be synthesized: carries every problem found. */
export class SynthError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Synthesis failed with ${problems.length} error${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
    this.name = 'SynthError';
  }
}

/**
 * Runs every construct's validations; returns the problems prefixed with the construct path.
 * The pod-wide checks run on `render(object)`, after all other validations, with their messages
 * where their validation stands, so the messages and their order are those of `App.synth()`.
 */
export function validateConstructs(all: readonly IConstruct[], render: (obj: ApiObject) => any = (o) => o.toJson()): string[] {
  const entries: Array<string | { path: string; obj: ApiObject }> = [];
  deferringPodChecks((objectOf) => {
    for (const c of all) {
      for (const e of c.node.validate()) {
        const obj = objectOf(e);
        entries.push(obj ? { path: c.node.path, obj } : `[${c.node.path}] ${e}`);
      }
    }
  });
  const errors: string[] = [];
  for (const e of entries) {
    if (typeof e === 'string') errors.push(e);
    else for (const p of checkManifestPod(render(e.obj))) errors.push(`[${e.path}] ${p}`);
  }
  return errors;
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
  // every object is rendered once: for the pod-wide checks (during validation) or for output
  const rendered = new Map<ApiObject, any>();
  const render = (obj: ApiObject) => {
    let manifest = rendered.get(obj);
    if (manifest === undefined) rendered.set(obj, (manifest = obj.toJson()));
    return manifest;
  };
  const errors = validateConstructs(all, render);
  if (errors.length > 0) throw new SynthError(errors);
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
