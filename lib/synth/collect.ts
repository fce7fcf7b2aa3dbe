/**
 * Renders an app once. cdk8s's `Chart.toJson()` re-validates and re-resolves the whole app for
 * every chart (quadratic in the number of charts); this does the same steps — construct
 * validations, dependency resolution, topological order — once for the app, then renders each
 * object once: validations that inspect an object's rendering (the pod-wide checks, the helpers'
 * Pod Security checks, a user's own) share one rendering per object, which is also the output
 * (see {@link Renderings}); the synth writes each object a little behind the validations
 * ({@link AppRendering}), so that no rendering is kept longer than that. Objects, their order and
 * the chart file names are those of `App.synth()` (test/synth-collect.test.ts).
 */
import { deserialize, serialize } from 'v8';
import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { READ_ONLY_RENDERING, readersOf } from '../_pod/rendering';
import { withFastRendering } from '../_pod/cdk8s-render';
import { ownRendering } from '../_pod/l1-render';

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

/**
 * A copy of a rendering, as a fresh rendering would be (V8's structured copy: NaN, -0, undefined
 * and shared objects survive exactly, as the YAML writer must see them); the rendering itself
 * when it cannot be copied (a function or a symbol in it, which the YAML writer then reports).
 */
function copyOf(manifest: any): any {
  try {
    return deserialize(serialize(manifest));
  } catch {
    return manifest;
  }
}

interface Entry {
  /** The object's own `toJson` (what was installed before the synth: render transforms included). */
  readonly render: () => any;
  /** The one rendering, while it is held for the output. */
  rendering?: any;
  held: boolean;
  /** The one rendering in compact form (V8's serialization), when it was made past the limit of those held. */
  bytes?: Buffer;
  /** Taken for the output: later renderings are made anew and not held. */
  taken: boolean;
}

/**
 * Every object of an app rendered once, while the construct validations run and the output is
 * written. While it is open, each object's `toJson()` serves one rendering: a validation that
 * only reads it gets that rendering itself ({@link renderingOf}, the library's own checks), any
 * other caller a copy of it as it was rendered; the output then takes that rendering (see
 * {@link take}), which is thus exactly what a fresh rendering would be (what `App.synth()` writes),
 * even when a validation changed what it was handed. Rendering is pure (lib/_pod/inject.ts), so one
 * rendering is what each call would give.
 *
 * At most `limit` renderings are held as they are (those rendered by validations and not yet
 * taken by the output); past it, one is kept in compact form (V8's serialization, a few KB, each
 * read a copy of it), so that a validation that reads many objects (a PodSecurityNamespace reads
 * every pod of its namespace) still renders each once. An object already taken is rendered anew
 * for each later read. So a synth that writes object by object, a little behind the validations,
 * holds a bounded number of manifests, and none of them twice.
 */
export class Renderings {
  private readonly entries = new Map<ApiObject, Entry>();
  private readonly restore: Array<() => void> = [];
  private count = 0;

  public constructor(objects: readonly ApiObject[], private readonly limit: number) {
    for (const obj of objects) {
      if (this.entries.has(obj)) continue;
      const own = Object.getOwnPropertyDescriptor(obj, 'toJson');
      const render = ownRendering(obj); // obj.toJson.bind(obj), without an L1 class's spreads (lib/_pod/l1-render.ts)
      const entry: Entry = { render: () => withFastRendering(render), held: false, taken: false };
      this.entries.set(obj, entry);
      const toJson = (): any => {
        if (entry.held) return copyOf(entry.rendering);
        if (entry.bytes !== undefined) return deserialize(entry.bytes);
        const manifest = entry.render();
        if (this.hold(entry)) entry.rendering = copyOf(manifest); // the caller may change what it got
        else this.keep(entry, manifest);
        return manifest;
      };
      (toJson as any)[READ_ONLY_RENDERING] = (): any => {
        if (entry.held) return entry.rendering;
        if (entry.bytes !== undefined) return deserialize(entry.bytes);
        const manifest = entry.render();
        if (this.hold(entry)) entry.rendering = manifest;
        else this.keep(entry, manifest);
        return manifest;
      };
      obj.toJson = toJson;
      this.restore.push(own ? () => Object.defineProperty(obj, 'toJson', own) : () => delete (obj as any).toJson);
    }
  }

  /** How many renderings are held for the output. */
  public get held(): number {
    return this.count;
  }

  /** The object's rendering for the output, once: the one held, else a fresh one. */
  public take(obj: ApiObject): any {
    const entry = this.entries.get(obj);
    if (entry === undefined) return obj.toJson();
    entry.taken = true;
    if (entry.bytes !== undefined) {
      const kept = entry.bytes;
      entry.bytes = undefined;
      return deserialize(kept);
    }
    if (!entry.held) return entry.render();
    const manifest = entry.rendering;
    entry.rendering = undefined;
    entry.held = false;
    this.count--;
    return manifest;
  }

  /** Gives every object its own `toJson` back. */
  public close(): void {
    for (const r of this.restore.splice(0)) r();
    for (const e of this.entries.values()) e.rendering = e.bytes = undefined;
    this.count = 0;
  }

  /** Lets the object's rendering go without taking it (an output that is not written). */
  public release(obj: ApiObject): void {
    const entry = this.entries.get(obj);
    if (entry === undefined) return;
    entry.taken = true;
    entry.bytes = undefined;
    if (!entry.held) return;
    entry.rendering = undefined;
    entry.held = false;
    this.count--;
  }

  /** Keeps a rendering that is not held in compact form, until the output takes it (not when it cannot be serialized: it is then rendered anew). */
  private keep(entry: Entry, manifest: any): void {
    if (entry.taken) return;
    try {
      entry.bytes = serialize(manifest);
    } catch {
      // a function or a symbol in it (which the YAML writer reports): rendered anew when read
    }
  }

  private hold(entry: Entry): boolean {
    if (entry.taken || this.count >= this.limit) return false;
    entry.held = true;
    this.count++;
    return true;
  }
}

/**
 * Turns implicit construct dependencies into chart and object dependencies, as cdk8s does;
 * returns whether any chart depends on another (cdk8s then numbers the chart files) and whether
 * any construct depends on any other (else the app's order is the construct tree's).
 */
function resolveDependencies(all: readonly IConstruct[]): { dependantCharts: boolean; any: boolean } {
  let dependantCharts = false;
  let any = false;
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
      any = true;
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
  return { dependantCharts, any: any || dependantCharts };
}

/**
 * `new DependencyGraph(scope.node).topology()`: the constructs of the subtree of `scope` (`all`, its
 * `findAll()`), dependencies first (`dependencies`: whether any of them has one, when known). When nothing in it depends on anything (most apps: cdk8s adds
 * dependencies for nested charts and for what the user declares), the graph has no edge and its
 * order is that of its vertices, kept in an object keyed by construct path (so integer-like paths
 * come first, as an object orders its keys): that order is made here without the graph, whose
 * vertices (two sets each, for every construct of the app) cost more than the rest of the plan.
 */
export function topologyOf(scope: IConstruct, all: readonly IConstruct[] = scope.node.findAll(), dependencies?: boolean): IConstruct[] {
  if (dependencies ?? all.some((c) => c.node.dependencies.length > 0)) return new DependencyGraph(scope.node).topology();
  // an integer-like path (an array index) is that of a child of the root whose id is one: those
  // come first, in numeric order, then the others in the order of `all` (no path is made)
  const first: IConstruct[] = [];
  const rest: IConstruct[] = [];
  for (const c of all) {
    const parent = c.node.scope;
    if (parent !== undefined && parent.node.scope === undefined && isArrayIndex(c.node.id)) first.push(c);
    else rest.push(c);
  }
  if (first.length === 0) return rest;
  first.sort((a, b) => Number(a.node.id) - Number(b.node.id));
  return [...first, ...rest];
}

/** Whether a property key is an array index (what JavaScript orders first among an object's keys). */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

/** One object of a chart, rendered when asked for (see {@link AppRendering}). */
export interface LazyObject {
  readonly apiObject: ApiObject;
  /** Its place in the construct tree's order (that of the validations). */
  readonly position: number;
  /** Its manifest for the output, once: the rendering the validations had, or a fresh one. */
  render(): any;
  /** Lets its rendering go unwritten. */
  release(): void;
}

/** One chart whose objects are rendered when asked for. */
export interface LazyChart {
  readonly chart: Chart;
  /** See {@link RenderedChart.name}. */
  readonly name: string;
  readonly objects: LazyObject[];
}

/** One object of the output, rendered (once) or let go when the synth comes to it. */
class PlannedObject implements LazyObject {
  public constructor(public readonly apiObject: ApiObject, public readonly position: number, private readonly renderings: Renderings) {}

  public render(): any {
    return this.renderings.take(this.apiObject);
  }

  public release(): void {
    this.renderings.release(this.apiObject);
  }
}

/** The objects of each chart (the nearest chart above each), in the order given. */
function objectsByChart(objects: readonly ApiObject[]): Map<Chart, ApiObject[]> {
  const byChart = new Map<Chart, ApiObject[]>();
  for (const obj of objects) {
    let chart: IConstruct | undefined = obj.node.scope;
    while (chart !== undefined && !Chart.isChart(chart)) chart = chart.node.scope;
    if (chart === undefined) continue; // an object in no chart is in no chart's file
    let list = byChart.get(chart as Chart);
    if (!list) byChart.set(chart as Chart, (list = []));
    list.push(obj);
  }
  return byChart;
}

/**
 * An app being synthesized: its charts and objects in output order (those of `App.synth()`), its
 * construct validations run a few constructs at a time ({@link validate}), every object rendered
 * once for both ({@link Renderings}, holding at most `limit` renderings). Close it when done: the
 * objects get their own `toJson` back.
 */
export class AppRendering {
  /**
   * The problems of the validations run in construct order so far, each prefixed with the
   * construct path (all of them once {@link validate} has run to the end).
   */
  public readonly errors: string[] = [];
  /** The problems of constructs validated ahead of their turn (readers of an object about to be written), until their turn. */
  private readonly early = new Map<IConstruct, string[]>();
  private earlyProblems = 0;
  private readonly all: IConstruct[];
  /** The objects of the app, in construct order. */
  private readonly objects: ApiObject[];
  /** Each object's place in `all`. */
  private readonly positions = new Map<ApiObject, number>();
  /** The place in `all` of each construct declared to read an object's rendering. */
  private readonly turns = new Map<IConstruct, number>();
  private readonly renderings: Renderings;
  private readonly plan: { charts: LazyChart[] } | { error: unknown };
  private next = 0;

  public constructor(app: App, limit: number) {
    this.all = app.node.findAll();
    this.objects = [];
    this.all.forEach((c, i) => {
      if (!(c instanceof ApiObject)) return;
      this.objects.push(c);
      this.positions.set(c, i);
    });
    const readers = new Set<IConstruct>();
    for (const o of this.objects) for (const r of readersOf(o)) readers.add(r);
    if (readers.size > 0) this.all.forEach((c, i) => readers.has(c) && this.turns.set(c, i));
    this.renderings = new Renderings(this.objects, limit);
    // the output order is known before the validations run, so that the output can follow them
    // (cdk8s resolves dependencies after validating: a cycle is reported after the validations' problems)
    try {
      this.plan = { charts: this.chartsOf(app) };
    } catch (error) {
      this.plan = { error };
    }
  }

  /** Whether every construct's validations have run. */
  public get validated(): boolean {
    return this.next >= this.all.length;
  }

  /** Whether a validation run so far, in its turn or ahead of it, found a problem. */
  public get failed(): boolean {
    return this.errors.length > 0 || this.earlyProblems > 0;
  }

  /**
   * Runs, ahead of their turn, the validations of the constructs declared to read the object's
   * rendering (lib/_pod/rendering.ts `readsRendering`: a helper's checks of its workload), so that
   * the object is rendered once, before it is written; their problems are reported in their turn.
   */
  public validateReadersOf(obj: ApiObject): void {
    for (const reader of readersOf(obj)) {
      // a reader outside this app has no turn here: it is not validated ahead
      if (!this.turns.has(reader) || this.early.has(reader) || this.done(reader)) continue;
      const problems = reader.node.validate().map((e) => `[${reader.node.path}] ${e}`);
      this.early.set(reader, problems);
      this.earlyProblems += problems.length;
    }
  }

  /**
   * Runs the validations of the next constructs while fewer than `ahead` renderings are held
   * for the output (all of them when not given), and at least those of every construct up to
   * `through` (a position in construct order: the validations of an object's own constructs run
   * before it is written, even when validations that read many objects filled what is held);
   * returns whether every construct's have run.
   */
  public validate(ahead = Infinity, through = -1): boolean {
    const all = this.all;
    while (this.next < all.length && (this.renderings.held < ahead || this.next <= through)) {
      const c = all[this.next++];
      const early = this.early.get(c);
      if (early !== undefined) {
        // validated ahead of its turn: its problems take their place in construct order now
        this.early.delete(c);
        this.earlyProblems -= early.length;
        for (const e of early) this.errors.push(e);
        continue;
      }
      for (const e of c.node.validate()) this.errors.push(`[${c.node.path}] ${e}`);
    }
    return this.next >= all.length;
  }

  /** The charts in output order; throws what kept them from being ordered (a dependency cycle). */
  public charts(): LazyChart[] {
    if ('error' in this.plan) throw this.plan.error;
    return this.plan.charts;
  }

  /** Gives every object its own `toJson` back and lets every held rendering go. */
  public close(): void {
    this.renderings.close();
  }

  /** Whether the construct's turn in {@link validate} has passed (it is before `next` in construct order). */
  private done(c: IConstruct): boolean {
    return this.turns.get(c)! < this.next;
  }

  private chartsOf(app: App): LazyChart[] {
    const dependencies = resolveDependencies(this.all);
    const charts = topologyOf(app, this.all, dependencies.any).filter((c): c is Chart => c instanceof Chart);
    // without dependencies, each chart's objects are in construct order: found in one pass
    const byChart = dependencies.any ? undefined : objectsByChart(this.objects);
    return charts.map((chart, i) => {
      const objects = (byChart ? byChart.get(chart) ?? [] : topologyOf(chart).filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart))
        .map((apiObject): LazyObject => new PlannedObject(apiObject, this.positions.get(apiObject) ?? -1, this.renderings));
      const name = Names.toDnsLabel(chart);
      return { chart, name: dependencies.dependantCharts ? `${String(i).padStart(4, '0')}-${name}` : name, objects };
    });
  }

}

/** Renders every chart of the app; throws {@link SynthError} when construct validations fail. */
export function renderApp(app: App): RenderedChart[] {
  const rendering = new AppRendering(app, Infinity);
  try {
    rendering.validate();
    if (rendering.errors.length > 0) throw new SynthError(rendering.errors);
    return rendering.charts().map(({ chart, name, objects }) => ({
      chart, name, objects: objects.map((o) => ({ apiObject: o.apiObject, manifest: o.render() })),
    }));
  } finally {
    rendering.close();
  }
}
