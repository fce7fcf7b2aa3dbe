/**
 * Renders an app once. cdk8s's `Chart.toJson()` re-validates and re-resolves the whole app for
 * every chart (quadratic in the number of charts); this does the same steps — construct
 * validations, dependency resolution, topological order — once for the app, then renders each
 * chart's objects.
 */
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
  /** File name stem, as cdk8s names chart files (`Names.toDnsLabel`). */
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

/** Runs every construct's validations; returns the problems prefixed with the construct path. */
export function validateConstructs(all: readonly IConstruct[]): string[] {
  const errors: string[] = [];
  for (const c of all) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  return errors;
}

/** Turns implicit construct dependencies into chart and object dependencies, as cdk8s does. */
function resolveDependencies(all: readonly IConstruct[]): void {
  const chartOf = new Map<IConstruct, Chart>();
  const chart = (c: IConstruct) => {
    let ch = chartOf.get(c);
    if (!ch) chartOf.set(c, (ch = Chart.of(c)));
    return ch;
  };
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) if (child instanceof Chart) parent.node.addDependency(child);
  }
  for (const source of all) {
    for (const target of source.node.dependencies) {
      const sc = chart(source);
      const tc = chart(target);
      if (sc !== tc) sc.node.addDependency(tc);
      const targets = target.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && chart(c) === tc);
      const sources = source.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && chart(c) === sc);
      for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
    }
  }
}

/** Renders every chart of the app; throws {@link SynthError} when construct validations fail. */
export function renderApp(app: App): RenderedChart[] {
  const all = app.node.findAll();
  const errors = validateConstructs(all);
  if (errors.length > 0) throw new SynthError(errors);
  resolveDependencies(all);
  const charts = new DependencyGraph(app.node).topology().filter((c): c is Chart => c instanceof Chart);
  return charts.map((chart) => {
    const objects = new DependencyGraph(chart.node).topology()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
      .map((apiObject) => ({ apiObject, manifest: apiObject.toJson() }));
    return { chart, name: Names.toDnsLabel(chart), objects };
  });
}
