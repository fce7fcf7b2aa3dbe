import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import { ApiObject, App, Chart, DependencyGraph, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { hardenContainer, LogSidecar, PodSecurityLevel, PodSecurityNamespace, SharedVolumePod, WarSidecarPod } from '../lib';
import { buildExampleApp } from '../lib/charts';
import { setValidationsAhead, synth, synthToMemory } from '../lib/synth';
import { renderApp, Renderings, topologyOf } from '../lib/synth/collect';
import { readsRendering, renderingOf } from '../lib/_pod/rendering';
import { errorOf } from './util/synth';
import { DEEP } from './util/depth';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const DEBIAN = 'debian:12.8-slim';

function sharedVolumePod(scope: Chart, id: string, ports = [8080, 8081]): SharedVolumePod {
  return new SharedVolumePod(scope, id, {
    containers: [
      { name: 'nginx', image: NGINX, mountPath: '/usr/share/nginx/html', readOnly: true, ports: [{ number: ports[0], name: 'http' }], writablePaths: ['/tmp'] },
      { name: 'writer', image: DEBIAN, mountPath: '/pod-data', command: ['/bin/sh'], args: ['-c', 'echo hi > /pod-data/index.html'], ports: [{ number: ports[1] }] },
    ],
  });
}

/**
 * An app with what changes cdk8s's output: several charts, a nested chart, chart and object
 * dependencies across charts, an object depending on one declared after it, lazy values,
 * cdk8s-plus workloads, our patterns (render transforms, pod checks, a helper whose validations
 * render the workload), plain objects, an empty chart.
 */
function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  const base = new Chart(app, 'base', { namespace: 'apps' });
  const cm = new ApiObject(base, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { 'app.conf': 'listen 8080;\nroot /srv;\n', empty: '' } });
  const web = new Chart(app, 'web');
  const shared = sharedVolumePod(web, 'shared');
  const war = new WarSidecarPod(web, 'war', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war' });
  const later = new ApiObject(web, 'later', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: Lazy.any({ produce: () => 'later-config' }) } });
  war.node.addDependency(later);
  shared.node.addDependency(cm);
  const nested = new Chart(web, 'nested');
  const deployment = new kplus.Deployment(nested, 'deploy', { containers: [{ image: NGINX, portNumber: 8080, securityContext: { user: 101 } }] });
  deployment.exposeViaService();
  const logged = new kplus.Deployment(nested, 'logged', { containers: [{ name: 'app', image: NGINX, portNumber: 8080 }] });
  hardenContainer(logged, 'app', { runAsUser: 101, runAsGroup: 101 });
  new LogSidecar(nested, 'logs', { workload: logged, appContainerName: 'app', logDirectory: '/var/log/nginx', logFiles: ['access.log', 'error.log'] });
  new Chart(app, 'empty');
  const last = new Chart(app, 'last');
  new ApiObject(last, 'only', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only' }, data: { on: 'yes', n: '8080' } });
  last.addDependency(web);
  return app;
}

function readDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f), 'utf-8');
  return out;
}

/** Counts calls of `method` on every construct of the app (wrapping what is there, render transforms included). */
/**
 * Synthesizes the app `build` makes twice: once with cdk8s's `App.synth()` and once with our synth,
 * counting each object's renderings in ours. Returns both outputs (file -> text) and the counts.
 */
function synthBesideCdk8s(build: (outdir?: string) => App): { ours: Record<string, string>; cdk8s: Record<string, string>; renders: Map<IConstruct, number> } {
  const cdk8sOut = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-'));
  build(cdk8sOut).synth();
  const app = build();
  const renders = countCalls(app, 'toJson');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-'));
  const before = setValidationsAhead(LEAD);
  try {
    synth(app, { outdir });
  } finally {
    setValidationsAhead(before);
  }
  return { ours: readDir(outdir), cdk8s: readDir(cdk8sOut), renders };
}

/**
 * The validations' lead (renderings run ahead of the output; twice as many held) of the synths
 * {@link synthBesideCdk8s} runs: the synth's own, 32, in the deep run (test/util/depth.ts); 4 in
 * `npm test`, whose apps are as many times smaller, so that each goes past the lead and the
 * renderings held as the deep run's apps go past the synth's own, for an eighth of the work
 * (App.synth() of the same app, beside ours, is most of it).
 */
const LEAD = DEEP ? 32 : 4;

/** The constructs of `counts` called other than once, as `path: calls` (empty when each was called once). */
function notOnce(counts: ReadonlyArray<[IConstruct, number]>): string[] {
  return counts.filter(([, n]) => n !== 1).map(([c, n]) => `${c.node.path}: ${n}`);
}

function countCalls(app: App, method: 'toJson' | 'validate'): Map<IConstruct, number> {
  const counts = new Map<IConstruct, number>();
  for (const c of app.node.findAll()) {
    const target: any = method === 'toJson' ? c : c.node;
    if (typeof target[method] !== 'function' || (method === 'toJson' && !(c instanceof ApiObject))) continue;
    const original = target[method].bind(target);
    counts.set(c, 0);
    target[method] = (...args: unknown[]) => {
      counts.set(c, counts.get(c)! + 1);
      return original(...args);
    };
  }
  return counts;
}

describe('the synth driver renders the app once, with the output of App.synth()', () => {
  test('writes the same files with the same bytes as App.synth(), for charts with dependencies, nesting and lazy values', () => {
    // GIVEN the same app twice
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-'));
    const cdk8sApp = buildApp(outdir);
    // WHEN cdk8s synthesizes one and our driver the other
    cdk8sApp.synth();
    const { files } = synthToMemory(buildApp());
    // THEN every file cdk8s writes with content is ours, byte for byte (cdk8s numbers the files
    // when charts depend on each other); cdk8s's empty file for the empty chart is not written
    const expected = readDir(outdir);
    expect(Object.keys(expected)).toEqual(['0000-empty.k8s.yaml', '0001-web-nested-c8d7ac44.k8s.yaml', '0002-base.k8s.yaml', '0003-web.k8s.yaml', '0004-last.k8s.yaml']);
    expect(expected['0000-empty.k8s.yaml']).toBe('');
    delete expected['0000-empty.k8s.yaml'];
    expect(Object.fromEntries(files)).toEqual(expected);
  });

  test('writes the example app as App.synth() does, byte for byte', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-'));
    buildExampleApp(new App({ outdir })).synth();
    const { files } = synthToMemory(buildExampleApp(new App()));
    const expected = readDir(outdir);
    for (const [name, content] of Object.entries(expected)) if (content === '') delete expected[name];
    expect(Object.fromEntries(files)).toEqual(expected);
  });

  test('names chart files without numbers when no chart depends on another, as App.synth() does', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'a'), 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    new ApiObject(new Chart(app, 'b'), 'y', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } });
    expect([...synthToMemory(app).files.keys()]).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
  });

  test('renders every object exactly once, including those that validations render (pod-wide checks, the helpers\' Pod Security checks)', () => {
    // GIVEN an app whose patterns carry pod-wide checks
    const app = buildApp();
    const renders = countCalls(app, 'toJson');
    // WHEN
    synthToMemory(app);
    // THEN each object was rendered once (cdk8s renders such an object once per
    // validation that renders it, per chart, plus once for the output)
    expect(renders.size).toBeGreaterThan(6);
    for (const [c, n] of renders) expect({ path: c.node.path, renders: n }).toEqual({ path: c.node.path, renders: 1 });
  });

  test('runs each construct\'s validations once, whatever the number of charts', () => {
    // GIVEN 100 charts of one pod each (cdk8s validates the whole app once per chart)
    const app = new App();
    for (let i = 0; i < 100; i++) sharedVolumePod(new Chart(app, `c${i}`), 'pod');
    const validations = countCalls(app, 'validate');
    const renders = countCalls(app, 'toJson');
    // WHEN
    const charts = renderApp(app);
    // THEN every construct was validated once and every object rendered once
    expect(charts).toHaveLength(100);
    expect(new Set(validations.values())).toEqual(new Set([1]));
    expect(new Set(renders.values())).toEqual(new Set([1]));
  });

  test('writes what App.synth() writes even when a validation changes the rendering it inspects', () => {
    // GIVEN a validation that edits the manifest toJson() gave it (App.synth() renders anew for output)
    const build = (outdir?: string) => {
      const app = new App({ outdir });
      const pod = sharedVolumePod(new Chart(app, 'c'), 'pod');
      const obj = ApiObject.of(pod.pod);
      pod.node.addValidation({
        validate: () => {
          obj.toJson().metadata.labels = { edited: 'by-a-validation' };
          return [];
        },
      });
      return app;
    };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-'));
    build(outdir).synth();
    // WHEN our driver synthesizes it THEN the output is App.synth()'s, without the edit
    const { files } = synthToMemory(build());
    expect(Object.fromEntries(files)).toEqual(readDir(outdir));
    expect(files.get('c.k8s.yaml')).not.toContain('by-a-validation');
  });

  test('reports pod-wide check failures with the messages, paths and order of App.synth()', () => {
    // GIVEN port clashes in two pods, with another construct's validation failing between them
    const build = () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')) });
      const chart = new Chart(app, 'clash');
      sharedVolumePod(chart, 'a', [80, 80]);
      const between = new ApiObject(chart, 'between', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'between' } });
      between.node.addValidation({ validate: () => ['something else is wrong'] });
      sharedVolumePod(chart, 'b', [81, 81]);
      return app;
    };
    // WHEN both synthesize
    const cdk8s = errorOf(() => build().synth()).split('\n').slice(1).map((l) => l.trim());
    const ours = errorOf(() => synthToMemory(build())).split('\n').slice(1).map((l) => l.trim());
    // THEN the problems are the same, in the same order
    expect(ours).toEqual(cdk8s);
    expect(ours).toEqual([
      '[clash/a/Pod] containers[1].ports[0].containerPort: received 80; expected a port not already bound by container "nginx" (TCP); containers of a pod share one network namespace',
      '[clash/between] something else is wrong',
      '[clash/b/Pod] containers[1].ports[0].containerPort: received 81; expected a port not already bound by container "nginx" (TCP); containers of a pod share one network namespace',
    ]);
  });

  test('still runs the pod-wide checks as construct validations for App.synth() users', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')) });
    sharedVolumePod(new Chart(app, 'clash'), 'a', [80, 80]);
    expect(errorOf(() => app.synth())).toBe(
      'Validation failed with the following errors:\n  [clash/a/Pod] containers[1].ports[0].containerPort: received 80; expected a port not already bound by container "nginx" (TCP); containers of a pod share one network namespace');
  });
});

/** An app of `n` pods, each with the pod-wide checks, and a ConfigMap after every second: more objects than the synth renders ahead. */
function bigApp(n: number, outdir?: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'big');
  for (let i = 0; i < n; i++) {
    sharedVolumePod(chart, `pod-${i}`);
    if (i % 2 === 0) new ApiObject(chart, `config-${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` }, data: { i: String(i) } });
  }
  return app;
}

describe('the synth writes object by object, a little behind the construct validations', () => {
  test('writes an app of more objects than it renders ahead as App.synth() does, rendering each object once', () => {
    // GIVEN an app of 1.5 x LEAD pods (48 in the deep run), each rendered by its pod-wide checks,
    // and a ConfigMap after every second: more than the LEAD renderings the validations run
    // ahead, and than the 2 x LEAD the synth holds as they are (72 objects in the deep run)
    // WHEN our synth writes it (beside App.synth() of the same app)
    const { ours, cdk8s, renders } = synthBesideCdk8s((outdir) => bigApp(1.5 * LEAD, outdir));
    // THEN the file is App.synth()'s, byte for byte, and every object was rendered once
    expect(ours).toEqual(cdk8s);
    expect(renders.size).toBe(2.25 * LEAD);
    expect(renders.size).toBeGreaterThan(2 * LEAD);
    expect(notOnce([...renders])).toEqual([]);
  });

  test('fails with the validations\' problems alone, the output as it was, when a validation fails after writing has begun', () => {
    // GIVEN an output directory from an earlier synth, and a big app whose last construct's
    // validation fails: 120 objects, so that the objects written while the validations run 32
    // ahead fill more than the writer's first flush (64 KiB, when a differing file is staged)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-'));
    fs.writeFileSync(path.join(outdir, 'big.k8s.yaml'), 'old: output\n');
    const app = bigApp(80);
    let stagingWhenValidated: boolean | undefined;
    const last = new ApiObject(app.node.findChild('big') as Chart, 'last', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'last' } });
    last.node.addValidation({
      validate: () => {
        stagingWhenValidated = fs.readdirSync(outdir).some((f) => f.startsWith('.synth-staging-'));
        return ['the last one is wrong'];
      },
    });
    // WHEN it synthesizes
    const error = errorOf(() => synth(app, { outdir }));
    // THEN the output had been opened (objects were being staged) when the validation ran, the
    // error is that validation's alone, and the output directory holds what it held, nothing else
    expect(stagingWhenValidated).toBe(true);
    expect(error).toBe('Synthesis failed with 1 error:\n  [big/last] the last one is wrong');
    expect(readDir(outdir)).toEqual({ 'big.k8s.yaml': 'old: output\n' });
    expect(fs.readdirSync(outdir)).toEqual(['big.k8s.yaml']);
  });

  test('fails before opening the output when a validation of an app it validates whole fails', () => {
    // GIVEN a small app (validated whole before any output is opened) whose validation fails
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')), 'dist');
    const app = new App();
    const cm = new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    cm.node.addValidation({ validate: () => ['wrong'] });
    // WHEN it synthesizes THEN it fails and the output directory it would create was never made
    expect(errorOf(() => synth(app, { outdir }))).toBe('Synthesis failed with 1 error:\n  [c/cm] wrong');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('gives the library\'s own validations the one rendering and any other caller of toJson() a copy of it as rendered', () => {
    // GIVEN a pod whose validations read it both ways, and a validation that edits what toJson() gave it
    const app = new App();
    const pod = sharedVolumePod(new Chart(app, 'c'), 'pod');
    const obj = ApiObject.of(pod.pod);
    const seen: Record<string, boolean> = {};
    pod.node.addValidation({
      validate: () => {
        const shared = renderingOf(obj);
        const own = obj.toJson();
        seen.sharedIsShared = renderingOf(obj) === shared;
        seen.ownIsACopy = own !== shared && obj.toJson() !== own;
        own.metadata.labels = { edited: 'yes' };
        seen.sharedUnchanged = shared.metadata.labels?.edited === undefined && obj.toJson().metadata.labels?.edited === undefined;
        return [];
      },
    });
    // WHEN it is rendered for the output
    const [chart] = renderApp(app);
    // THEN each read as described, and the output is the rendering, without the edit
    expect(seen).toEqual({ sharedIsShared: true, ownIsACopy: true, sharedUnchanged: true });
    expect(chart.objects[0].manifest.metadata.labels?.edited).toBeUndefined();
    // AND outside a synth, renderingOf is toJson()
    expect(renderingOf(obj)).toEqual(obj.toJson());
    expect(renderingOf(obj)).not.toBe(renderingOf(obj));
  });

  test('holds at most its limit of renderings as they are, the others in compact form: each object is rendered once', () => {
    // GIVEN two objects, and renderings that may hold one as it is
    const app = new App();
    const chart = new Chart(app, 'c');
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    const renders = countCalls(app, 'toJson');
    const renderings = new Renderings([a, b], 1);
    try {
      // WHEN both are read twice, then taken for the output
      const a1 = renderingOf(a);
      const a2 = renderingOf(a);
      const b1 = renderingOf(b);
      const b2 = renderingOf(b);
      expect(renderings.held).toBe(1);
      const outA = renderings.take(a);
      const outB = renderings.take(b);
      // THEN each was rendered once: a held (the same rendering each time), b kept compact (an equal copy each time)
      expect([renders.get(a), renders.get(b)]).toEqual([1, 1]);
      expect([a1 === a2, a1 === outA]).toEqual([true, true]);
      expect([b1 === b2, b2 === outB]).toEqual([false, false]);
      expect([b1, b2]).toEqual([outB, outB]);
      expect(renderings.held).toBe(0);
      expect([outA.metadata.name, outB.metadata.name]).toEqual(['a', 'b']);
      // AND a read after the output took the object renders anew (nothing is held or kept for it)
      renderingOf(a);
      renderingOf(b);
      expect([renders.get(a), renders.get(b), renderings.held]).toEqual([2, 2, 0]);
    } finally {
      renderings.close();
    }
    // AND closed, each object has its own toJson again
    a.toJson();
    expect(renders.get(a)).toBe(3);
    expect(renderingOf(a)).not.toBe(renderingOf(a));
  });

  test('renders each pod once when a PodSecurityNamespace reads more pods than the synth holds', () => {
    // GIVEN a namespace (its labels and its enforce check read every pod) of 2 x LEAD + 6 pods
    // (70 in the deep run), more than the 2 x LEAD held
    const build = (outdir?: string) => {
      const app = new App({ outdir });
      const chart = new Chart(app, 'team', { namespace: 'team' });
      new PodSecurityNamespace(chart, 'ns', { enforce: PodSecurityLevel.BASELINE });
      for (let i = 0; i < 2 * LEAD + 6; i++) sharedVolumePod(chart, `pod-${i}`);
      return app;
    };
    // WHEN our synth writes it (beside App.synth() of the same app)
    const { ours, cdk8s, renders } = synthBesideCdk8s(build);
    // THEN the output is App.synth()'s and every pod was rendered once
    expect(ours).toEqual(cdk8s);
    const pods = [...renders].filter(([c]) => (c as ApiObject).kind === 'Pod');
    expect(pods).toHaveLength(2 * LEAD + 6);
    expect(notOnce(pods)).toEqual([]);
  });

  test('renders each workload once when its helpers come long after it in the construct tree', () => {
    // GIVEN 2 x LEAD + 6 Deployments (70 in the deep run), then a LogSidecar on each (its
    // validations read the workload's rendering): each helper comes that many constructs after
    // its workload, more than the 2 x LEAD held
    const build = (outdir?: string) => {
      const app = new App({ outdir });
      const chart = new Chart(app, 'split');
      const deployments = Array.from({ length: 2 * LEAD + 6 }, (_, i) => {
        const d = new kplus.Deployment(chart, `d${i}`, { replicas: 1, securityContext: { user: 101, group: 101, fsGroup: 101 } });
        d.addContainer({ name: 'app', image: NGINX, portNumber: 8080, securityContext: { user: 101, group: 101 } });
        hardenContainer(d, 'app', { runAsUser: 101, runAsGroup: 101 });
        return d;
      });
      deployments.forEach((d, i) => new LogSidecar(chart, `logs${i}`, { workload: d, appContainerName: 'app', logDirectory: '/var/log/nginx', logFiles: ['access.log'] }));
      return app;
    };
    // WHEN our synth writes it (beside App.synth() of the same app)
    const { ours, cdk8s, renders } = synthBesideCdk8s(build);
    // THEN the output is App.synth()'s and each Deployment was rendered once (its helper's checks ran before it was written)
    expect(ours).toEqual(cdk8s);
    expect(renders.size).toBe(2 * LEAD + 6);
    expect(notOnce([...renders])).toEqual([]);
  });

  test('reports the problems of validations run ahead of their turn in construct order, as App.synth() does', () => {
    // GIVEN 50 pods, a ConfigMap with a failing validation among them, and at the end a construct
    // declared to read the first pod (so validated before that pod is written), failing too
    const build = () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')) });
      const chart = new Chart(app, 'c');
      const pods = Array.from({ length: 50 }, (_, i) => {
        if (i === 45) new ApiObject(chart, 'middle', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'middle' } }).node.addValidation({ validate: () => ['the middle one is wrong'] });
        return sharedVolumePod(chart, `pod-${i}`);
      });
      const first = ApiObject.of(pods[0].pod);
      const reader = new Construct(chart, 'reader');
      reader.node.addValidation({ validate: () => (renderingOf(first).metadata.name ? ['the reader is wrong'] : []) });
      readsRendering(reader, first);
      return { app, first };
    };
    const cdk8s = errorOf(() => build().app.synth()).split('\n').slice(1).map((l) => l.trim());
    const { app, first } = build();
    const renders = countCalls(app, 'toJson');
    // WHEN our synth runs it
    const ours = errorOf(() => synth(app, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')) }));
    // THEN the problems are App.synth()'s, in its order, and the first pod was rendered once (its reader ran before it was written)
    expect(ours.split('\n').slice(1).map((l) => l.trim())).toEqual(cdk8s);
    expect(cdk8s).toEqual(['[c/middle] the middle one is wrong', '[c/reader] the reader is wrong']);
    expect(renders.get(first)).toBe(1);
  });

  test('orders charts and objects as cdk8s\'s DependencyGraph does when nothing depends on anything, integer-like paths first', () => {
    // GIVEN charts whose ids are integer-like and not, in no order, and no dependencies
    const app = new App();
    for (const id of ['b', '10', 'a', '2', '01', '4294967295', '4294967294']) {
      const chart = new Chart(app, id);
      for (const o of ['z', '1', 'y']) new ApiObject(chart, o, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: o } });
    }
    // WHEN ordered THEN the order is the graph's (integer-like top-level paths in numeric order first)
    const graph = new DependencyGraph(app.node).topology().map((c) => c.node.path);
    expect(topologyOf(app).map((c) => c.node.path)).toEqual(graph);
    expect(graph.slice(0, 4)).toEqual(['2', '10', '4294967294', '']);
    expect(renderApp(app).map((c) => c.name)).toEqual(['2', '10', '4294967294', 'b', 'a', '01', '4294967295']);
    // AND with a dependency, it is the graph's order too (the graph itself)
    (app.node.findChild('a') as Chart).addDependency(app.node.findChild('b') as Chart);
    expect(topologyOf(app).map((c) => c.node.path)).toEqual(new DependencyGraph(app.node).topology().map((c) => c.node.path));
  });

  test('renders the example app into objects of V8\'s fast form only, which the checks and the YAML writer read as they are (no copy)', () => {
    // GIVEN V8's own test of an object's form (natives syntax, on for this process from here)
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    // AND a negative control: an object with a key deleted is in the slow "dictionary" form
    const edited: Record<string, number> = { a: 1, b: 2, c: 3 };
    delete edited.b;
    expect(hasFastProperties(edited)).toBe(false);
    expect(hasFastProperties({ a: 1, c: 3 })).toBe(true);
    // WHEN the example app (every pattern) is rendered for the synth
    const slow: string[] = [];
    let objects = 0;
    const visit = (v: any, at: string): void => {
      if (v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${at}[${i}]`));
      objects++;
      if (!hasFastProperties(v)) slow.push(at);
      for (const k of Object.keys(v)) visit(v[k], `${at}.${k}`);
    };
    for (const c of renderApp(buildExampleApp())) for (const o of c.objects) visit(o.manifest, o.apiObject.node.path);
    // THEN every object of every rendering is in the fast form (the injection step makes an edited object anew, lib/_pod/inject.ts tidy)
    expect(objects).toBeGreaterThan(300);
    expect(slow).toEqual([]);
  });
});

test('a synth that fails on a dependency cycle reports the construct validations\' problems first', () => {
  // GIVEN two objects that depend on each other, one with a failing validation
  const app = new App();
  const chart = new Chart(app, 'c');
  const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
  a.addDependency(b);
  b.addDependency(a);
  let failing = true;
  a.node.addValidation({ validate: () => (failing ? ['wrong'] : []) });
  // WHEN synthesized with the validation failing, then without
  const first = errorOf(() => synth(app, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')) }));
  failing = false;
  const second = errorOf(() => synth(app, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-collect-')) }));
  // THEN the first reports the validation, the second the cycle
  expect(first).toBe('Synthesis failed with 1 error:\n  [c/a] wrong');
  expect(second).toMatch(/cycle/i);
});
