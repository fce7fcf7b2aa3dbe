import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { hardenContainer, LogSidecar, SharedVolumePod, WarSidecarPod } from '../lib';
import { buildExampleApp } from '../lib/charts';
import { synthToMemory } from '../lib/synth';
import { renderApp } from '../lib/synth/collect';
import { errorOf } from './util/synth';

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
