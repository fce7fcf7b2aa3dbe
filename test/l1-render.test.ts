/**
 * cdk8s-plus-27's L1 objects rendered without the generated functions' object spreads
 * (lib/_pod/l1-render.ts): every function's table read off its source, the same fields in the
 * same order as the function reads them, the same results and errors, every object of the example
 * app and the benchmark rendered the same as by its own class; and the renderings no longer give
 * each rendering hidden classes of its own (what made them pile up in V8's old generation).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as v8 from 'v8';
import * as fc from 'fast-check';
import { ApiObject, App, Chart, Cron, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { buildExampleApp } from '../lib/charts';
import { withFastRendering } from '../lib/_pod/cdk8s-render';
import { L1Type, toJsonOf } from '../lib/_pod/l1-json';
import { classRendering, mirrorsLoadedPlus, ownRendering, PLUS_POD_SPEC_METHODS, spreadOf, tableOf, withPlusPodSpecs } from '../lib/_pod/l1-render';
import { outcome } from './util/outcome';
import { propertyRuns } from './util/depth';

/** The L1 module the library runs (cdk8s-plus-27's), every function of it. */
const L1 = kplus.k8s as any;
const FUNCTIONS = Object.keys(L1).filter((n) => n.startsWith('toJson_') && typeof L1[n] === 'function').sort();

/** The fields an L1 function reads, in order (from an object that records each read). */
function fieldsRead(f: (o: any) => any): string[] {
  const read: string[] = [];
  f(new Proxy({}, { get: (_t, k) => (typeof k === 'string' && read.push(k), undefined) }));
  return read;
}

const objectsOf = (scope: IConstruct) => scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));

/** `%HaveSameMap(a, b)`: whether two objects have one hidden class (V8's natives syntax, allowed for this function only). */
const haveSameMap: (a: object, b: object) => boolean = (() => {
  v8.setFlagsFromString('--allow-natives-syntax');
  const f = new Function('a', 'b', 'return %HaveSameMap(a, b);') as (a: object, b: object) => boolean;
  v8.setFlagsFromString('--no-allow-natives-syntax');
  return f;
})();

/** An object with `o`'s own keys and values, made by assignment to a literal (as the renderings make theirs). */
function assigned(o: any): any {
  const out: any = Array.isArray(o) ? [] : {};
  for (const k of Object.keys(o)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
    else out[k] = o[k];
  }
  return out;
}

/**
 * The paths of the objects of `a` whose hidden class is not that of the same object of `b` (a
 * rendering of the same thing), where two objects made by assignment of the same keys share one.
 * V8 gives a map at most 1,536 transitions: in a worker whose earlier tests added thousands of
 * distinct keys to literals (the property tests' random maps), an object with a key never seen
 * before gets a map of its own however it is made; the control tells that apart from the rendering.
 */
function ownHiddenClasses(a: any, b: any, at = ''): string[] {
  if (a === null || typeof a !== 'object') return [];
  const out = haveSameMap(a, b) || !haveSameMap(assigned(a), assigned(a)) ? [] : [at || '/'];
  for (const k of Object.keys(a)) out.push(...ownHiddenClasses(a[k], b[k], `${at}/${k}`));
  return out;
}

/** An arbitrary value for a field of a table, mostly of its kind, sometimes not. */
function arbitraryFor(conv: L1Type[number][2], depth: number): fc.Arbitrary<any> {
  const junk = fc.constantFrom<any>(undefined, null, 'x', 7, true, {}, []);
  const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(undefined));
  const union = fc.oneof(fc.integer().map((n) => kplus.k8s.IntOrString.fromNumber(n)), fc.constantFrom('64Mi', '1').map((s) => kplus.k8s.Quantity.fromString(s)));
  const map = fc.dictionary(fc.constantFrom('a', 'b-c', '__proto__', '1', 'cpu'), fc.oneof(scalar, union, fc.array(scalar, { maxLength: 2 }), fc.constant({})), { maxKeys: 3 });
  if (conv === 'as-is') return fc.oneof(scalar, junk);
  if (conv === 'list') return fc.oneof(fc.array(fc.oneof(scalar, fc.constant(null)), { maxLength: 3 }), fc.constant(undefined));
  if (conv === 'value') return fc.oneof(union, fc.constantFrom(undefined, 'x', null));
  if (conv === 'value-map') return fc.oneof(fc.dictionary(fc.constantFrom('cpu', 'memory', '__proto__', '1'), fc.oneof(union, fc.constantFrom(undefined, '64Mi')), { maxKeys: 3 }), fc.constant(undefined));
  if ('type' in conv) return depth > 2 ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: arbitraryOf(conv.type, depth + 1) }, { weight: 1, arbitrary: junk });
  if ('listOf' in conv) return depth > 2 ? fc.constant(undefined) : fc.oneof(fc.array(arbitraryOf(conv.listOf, depth + 1), { maxLength: 2 }), fc.constantFrom(undefined, 'x'));
  // a map (of values, lists or a type), a date, or a type the L1 function itself converts
  return fc.oneof(map, fc.constant(new Date(0)), junk);
}

function arbitraryOf(type: L1Type, depth = 0): fc.Arbitrary<any> {
  const fields: Record<string, fc.Arbitrary<any>> = {};
  for (const [, l1, conv] of type) fields[l1] = arbitraryFor(conv, depth);
  return fc.record({ ...fields, unknownField: fc.constantFrom(undefined, 'dropped') }, { requiredKeys: [] });
}

/** The types the renderings of workloads and ConfigMaps go through. */
const RENDERED = ['toJson_KubeDeploymentProps', 'toJson_KubePodProps', 'toJson_KubeConfigMapProps', 'toJson_KubeStatefulSetProps', 'toJson_KubeJobProps',
  'toJson_ObjectMeta', 'toJson_PodSpec', 'toJson_DeploymentSpec', 'toJson_PodTemplateSpec', 'toJson_Volume', 'toJson_LabelSelector', 'toJson_DeploymentStrategy'];

/** A Deployment, a Pod and a ConfigMap of cdk8s-plus-27, with a helper (whose injection step renders the workload). */
function richApp(): App {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const d = new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27', portNumber: 8080, resources: { cpu: { request: kplus.Cpu.millis(50) } } }] });
  d.addVolume(kplus.Volume.fromEmptyDir(chart, 'v', 'scratch'));
  new kplus.Pod(chart, 'p', { containers: [{ image: 'busybox:1.37', envVariables: { A: kplus.EnvValue.fromValue('1') } }] });
  new kplus.ConfigMap(chart, 'cm', { data: { 'a.conf': 'x', b: 'y' } });
  return app;
}

describe('the L1 tables read off the generated functions', () => {
  test('GIVEN every toJson_* function of the L1 module WHEN its table is read THEN every one has one (a function the reader cannot read would convert its input itself)', () => {
    expect(FUNCTIONS.length).toBeGreaterThan(400);
    expect(FUNCTIONS.filter((n) => tableOf(n) === undefined)).toEqual([]);
  });

  test('GIVEN every table THEN its fields are those the function reads, in its order, under the JSON names it writes', () => {
    // each table and field beside what it should be, compared once (a diff names the function and field that differ)
    const fields: unknown[] = [];
    const fieldsExpected: unknown[] = [];
    const written: unknown[] = [];
    const writtenExpected: unknown[] = [];
    for (const name of FUNCTIONS) {
      const type = tableOf(name)!;
      fields.push([name, type.map(([, l1]) => l1)]);
      fieldsExpected.push([name, fieldsRead(L1[name])]);
      for (const [json, l1, conv] of type) {
        const sample = conv === 'as-is' ? 'x' : conv === 'list' ? ['x'] : conv === 'value' ? kplus.k8s.IntOrString.fromNumber(1) : conv === 'value-map' ? { a: kplus.k8s.Quantity.fromString('1') }
          : 'listOf' in conv || 'l1List' in conv ? [{}] : 'type' in conv ? {} : undefined;
        if (sample === undefined) continue; // a map or a date: the property tests below
        written.push([name, l1, Object.keys(L1[name]({ [l1]: sample }))]);
        writtenExpected.push([name, l1, [json]]);
      }
    }
    expect(fields).toEqual(fieldsExpected);
    expect(written.length).toBeGreaterThan(FUNCTIONS.length);
    expect(written).toEqual(writtenExpected);
  });

  test.each(RENDERED)('GIVEN arbitrary input of %s WHEN it converts without error THEN the same result as the L1 function, key order included', (name) => {
    const type = tableOf(name)!;
    fc.assert(fc.property(arbitraryOf(type), (obj) => {
      const own = outcome(() => toJsonOf(type, obj));
      return own.startsWith('throws') || own === outcome(() => L1[name](obj));
    }), { numRuns: propertyRuns(20, 200) });
  });

  test('GIVEN the map fields (labels, data, quantities, lists) with "__proto__", integer-like keys and undefined entries WHEN converted THEN as the L1 function', () => {
    const meta = { labels: JSON.parse('{"b":"1","__proto__":"p","2":"two","u":null}'), annotations: { x: undefined, y: 'v' } };
    expect(outcome(() => toJsonOf(tableOf('toJson_ObjectMeta')!, meta))).toBe(outcome(() => L1.toJson_ObjectMeta(meta)));
    const cm = { data: { a: 'x', b: undefined }, binaryData: { c: 'eA==' }, immutable: true };
    expect(outcome(() => toJsonOf(tableOf('toJson_KubeConfigMapProps')!, cm))).toBe(outcome(() => L1.toJson_KubeConfigMapProps(cm)));
    const labelled = toJsonOf(tableOf('toJson_ObjectMeta')!, meta)!;
    expect(Object.prototype.hasOwnProperty.call(labelled.labels, '__proto__')).toBe(true);
  });

  test('negative control: GIVEN a table with two fields swapped THEN the field check and the comparison tell it (the checks above can fail)', () => {
    const type = tableOf('toJson_ObjectMeta')!;
    const swapped = [type[1], type[0], ...type.slice(2)];
    expect(swapped.map(([, l1]) => l1)).not.toEqual(fieldsRead(L1.toJson_ObjectMeta));
    const meta = { annotations: { a: 'b' }, creationTimestamp: new Date(0) };
    expect(outcome(() => toJsonOf(swapped, meta))).not.toBe(outcome(() => L1.toJson_ObjectMeta(meta)));
    expect(tableOf('toJson_NoSuchType')).toBeUndefined();
  });
});

describe('the renderings of L1 objects', () => {
  test('GIVEN every object of the example app, the benchmark (24 pods) and cdk8s-plus-27 workloads WHEN its class rendering is made without the spreads THEN it is the class\'s own, key order included, both with the fast cdk8s rendering and without', () => {
    // the benchmark's workload module (scripts/bench/workload.js), built with the library's sources (a fresh clone has no build/lib yet)
    const { buildApp, useLibrary } = require(path.join(__dirname, '..', 'scripts', 'bench', 'workload'));
    useLibrary(require('../lib'));
    const objects = [...objectsOf(buildExampleApp(Testing.app())), ...objectsOf(buildApp('ours', 'one-chart', 24)), ...objectsOf(richApp())];
    let fast = 0;
    for (const obj of objects) {
      const own = () => Object.getPrototypeOf(obj).toJson.call(obj);
      const rendering = classRendering(obj);
      if (rendering === undefined) continue;
      fast++;
      expect([obj.node.path, outcome(rendering)]).toEqual([obj.node.path, outcome(own)]);
      expect([obj.node.path, outcome(() => withFastRendering(rendering))]).toEqual([obj.node.path, outcome(() => withFastRendering(own))]);
    }
    expect(fast).toBeGreaterThan(50);
  });

  test('GIVEN a cdk8s-plus-27 Deployment WHEN its rendering (through the injection step\'s and the synth\'s path) is made twice THEN every object in it has the hidden class of its counterpart: no rendering leaves classes of its own in the old generation', () => {
    const app = richApp();
    const [deployment, , configMap] = objectsOf(app);
    for (const obj of [deployment, configMap]) {
      const render = ownRendering(obj);
      for (let i = 0; i < 3; i++) withFastRendering(render); // the hidden classes made once
      expect([obj.kind, ownHiddenClasses(withFastRendering(render), withFastRendering(render))]).toEqual([obj.kind, []]);
    }
  });

  test('negative control: GIVEN the same objects rendered by their class\'s own toJson (the generated functions\' spreads) THEN their objects get hidden classes of their own each time (the check above can fail)', () => {
    const [deployment, , configMap] = objectsOf(richApp());
    for (const obj of [deployment, configMap]) {
      const own = () => Object.getPrototypeOf(obj).toJson.call(obj);
      for (let i = 0; i < 3; i++) withFastRendering(own);
      expect(ownHiddenClasses(withFastRendering(own), withFastRendering(own)).length).toBeGreaterThan(0);
    }
  });

  test('GIVEN a process whose literals\' map has run out of transitions (2,000 distinct first keys) WHEN the check compares renderings THEN a class V8 gives every object of a key new to it is not counted, and two objects of one shape in different classes still are', () => {
    // in a process of its own: running out of transitions here would weaken the checks of every later test of this worker
    const script = [
      'const haveSameMap = (a, b) => %HaveSameMap(a, b);', assigned.toString(), ownHiddenClasses.toString(),
      // made before the literals run out: their keys' transitions exist; the same keys in another order make another class
      "const meta = (order) => { const o = {}; for (const k of order) o[k] = k; o.labels = {}; o.labels.app = 'a'; return o; };",
      "meta(['name', 'namespace']); meta(['namespace', 'name']);",
      "for (let i = 0; i < 2000; i++) { const o = {}; o['k' + i] = i; }",
      "const late = () => { const o = {}; o['a.conf'] = 'x'; o.b = 'y'; return o; };",
      "const report = [haveSameMap(late(), late()), ownHiddenClasses(late(), late()), ownHiddenClasses(meta(['name', 'namespace']), meta(['name', 'namespace']))];",
      "console.log(JSON.stringify([...report, ownHiddenClasses(meta(['name', 'namespace']), meta(['namespace', 'name']))]));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([false, [], [], ['/']]);
  });

  test('GIVEN an object with a toJson of its own, a subclass that overrides toJson, and an object of another class WHEN its rendering is asked for THEN its own toJson renders it', () => {
    const chart = new Chart(Testing.app(), 'c');
    const withOwn = new kplus.k8s.KubeConfigMap(chart, 'own', { data: { a: 'b' } });
    withOwn.toJson = () => ({ mine: true });
    expect(ownRendering(withOwn)()).toEqual({ mine: true });
    class Custom extends kplus.k8s.KubeConfigMap {
      public toJson(): any {
        return { custom: true };
      }
    }
    const custom = new Custom(chart, 'custom', {});
    expect(classRendering(custom)).toBeUndefined();
    expect(ownRendering(custom)()).toEqual({ custom: true });
    const plain = new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
    expect(classRendering(plain)).toBeUndefined();
    expect(ownRendering(plain)()).toEqual(plain.toJson());
    const generated = new kplus.k8s.KubeConfigMap(chart, 'gen', { data: { a: 'b' } });
    expect(classRendering(generated)).toBeDefined();
    expect(outcome(ownRendering(generated))).toBe(outcome(() => generated.toJson()));
  });

  test('fails when the L1 conversion throws: GIVEN a ConfigMap whose creationTimestamp is a string WHEN rendered THEN the error of the class\'s own rendering', () => {
    const chart = new Chart(Testing.app(), 'c');
    const broken = new kplus.k8s.KubeConfigMap(chart, 'broken', { data: { a: 'b' } });
    broken.metadata.add('creationTimestamp', 'yesterday');
    const own = outcome(() => Object.getPrototypeOf(broken).toJson.call(broken));
    expect(own).toBe('throws TypeError: obj.creationTimestamp?.toISOString is not a function');
    expect(outcome(classRendering(broken)!)).toBe(own);
    expect(outcome(() => withFastRendering(classRendering(broken)!))).toBe(own);
  });
});

describe('cdk8s-plus-27\'s pod specs without a spread', () => {
  const plusWorkload = (kplus as any).Workload.prototype;
  const plusPod = (kplus as any).Pod.prototype;

  test('GIVEN the installed cdk8s-plus-27 THEN the two methods mirrored have the text they were written from (update PLUS_POD_SPEC_METHODS only after checking the mirrors against them)', () => {
    expect(Function.prototype.toString.call(plusWorkload._toPodSpec)).toBe(PLUS_POD_SPEC_METHODS[0]);
    expect(Function.prototype.toString.call(plusPod._toKube)).toBe(PLUS_POD_SPEC_METHODS[1]);
    expect(mirrorsLoadedPlus()).toBe(true);
  });

  test('GIVEN workloads of every kind (one with spread, scheduling and volumes) and a Pod WHEN their pod specs are made by the mirrors THEN the same as by cdk8s-plus-27, key order included, and the loaded methods are back after', () => {
    const build = () => {
      const chart = new Chart(Testing.app(), 'c');
      const node = kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd'));
      const d = new kplus.Deployment(chart, 'd', { spread: true, containers: [{ image: 'nginx:1.27' }] });
      d.scheduling.attract(node);
      d.addVolume(kplus.Volume.fromEmptyDir(chart, 'v', 'scratch'));
      new kplus.StatefulSet(chart, 's', { containers: [{ image: 'redis:7' }], service: new kplus.Service(chart, 'svc', { ports: [{ port: 6379 }] }) });
      new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'busybox:1.37' }] });
      new kplus.Job(chart, 'j', { containers: [{ image: 'busybox:1.37' }] });
      new kplus.CronJob(chart, 'cj', { schedule: Cron.daily(), containers: [{ image: 'busybox:1.37' }] });
      const p = new kplus.Pod(chart, 'p', { containers: [{ image: 'busybox:1.37' }] });
      p.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('a', 'b')));
      return chart;
    };
    // two builds: a workload with spread adds its spread on every rendering
    const mirrored = objectsOf(build()).map((o) => `${o.node.path} ${outcome(() => withPlusPodSpecs(() => o.toJson()))}`);
    const own = objectsOf(build()).map((o) => `${o.node.path} ${outcome(() => o.toJson())}`);
    expect(mirrored.length).toBeGreaterThan(6);
    expect(mirrored).toEqual(own);
    expect(Function.prototype.toString.call(plusWorkload._toPodSpec)).toBe(PLUS_POD_SPEC_METHODS[0]);
    expect(Function.prototype.toString.call(plusPod._toKube)).toBe(PLUS_POD_SPEC_METHODS[1]);
  });

  test('fails when the pod spec throws: GIVEN a Deployment without containers WHEN rendered by the mirror THEN cdk8s-plus-27\'s error, and the loaded methods are back', () => {
    const chart = new Chart(Testing.app(), 'c');
    const d = new kplus.Deployment(chart, 'd');
    const own = outcome(() => ApiObject.of(d).toJson());
    expect(own).toContain('PodSpec must have at least 1 container');
    expect(outcome(() => withPlusPodSpecs(() => ApiObject.of(d).toJson()))).toBe(own);
    expect(outcome(() => withFastRendering(() => ApiObject.of(d).toJson()))).toBe(own);
    expect(Function.prototype.toString.call(plusWorkload._toPodSpec)).toBe(PLUS_POD_SPEC_METHODS[0]);
  });

  test('GIVEN a method replaced by someone else WHEN rendering THEN the replacement runs, not the mirror (the mirror stands in only for the loaded method)', () => {
    const chart = new Chart(Testing.app(), 'c');
    const p = new kplus.Pod(chart, 'p', { containers: [{ image: 'busybox:1.37' }] });
    const loaded = plusPod._toKube;
    plusPod._toKube = function (this: any) {
      return { ...loaded.call(this), hostname: 'replaced' };
    };
    try {
      expect(withPlusPodSpecs(() => ApiObject.of(p).toJson()).spec.hostname).toBe('replaced');
    } finally {
      plusPod._toKube = loaded;
    }
  });

  test('GIVEN a workload rendered twice through the mirrors THEN its pod spec has the hidden class of its counterpart; negative control: by cdk8s-plus-27\'s own methods it does not', () => {
    const chart = new Chart(Testing.app(), 'c');
    const d = new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27' }] });
    const spec = (own: boolean) => (own ? plusWorkload._toPodSpec.call(d) : withPlusPodSpecs(() => plusWorkload._toPodSpec.call(d)));
    for (let i = 0; i < 3; i++) spec(false);
    expect(haveSameMap(spec(false), spec(false))).toBe(true);
    for (let i = 0; i < 3; i++) spec(true);
    expect(haveSameMap(spec(true), spec(true))).toBe(false);
  });
});

describe('spreadOf', () => {
  test('GIVEN arbitrary sources (symbols, "__proto__" and integer-like keys, overlaps, null, undefined, strings) WHEN spread key by key THEN the same object as a literal spread, key order included', () => {
    const sym = Symbol('s');
    const source = fc.oneof(
      fc.dictionary(fc.constantFrom('a', 'b', '__proto__', '1', '10', 'toString'), fc.oneof(fc.integer(), fc.string({ maxLength: 2 }), fc.constant(undefined)), { maxKeys: 4 }),
      fc.constantFrom<any>(null, undefined, 'xy', 5, { [sym]: 1, z: 2 }),
    );
    fc.assert(fc.property(fc.array(source, { maxLength: 3 }), (sources) => {
      const literal = sources.reduce((r: any, s: any) => ({ ...r, ...s }), {});
      const ours = spreadOf(...sources);
      return Reflect.ownKeys(ours).length === Reflect.ownKeys(literal).length
        && Reflect.ownKeys(literal).every((k, i) => Reflect.ownKeys(ours)[i] === k && Object.is((ours as any)[k], literal[k]))
        && Object.getPrototypeOf(ours) === Object.prototype;
    }), { numRuns: propertyRuns(40, 300) });
  });

  test('GIVEN a source with a getter and a non-enumerable key WHEN spread THEN the getter is read once and the non-enumerable key left out, as a literal spread does', () => {
    let reads = 0;
    const source = Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false });
    Object.defineProperty(source, 'g', { get: () => ++reads, enumerable: true });
    expect(spreadOf(source)).toEqual({ a: 1, g: 1 });
    expect(reads).toBe(1);
    expect(Object.keys(spreadOf(source))).toEqual(Object.keys({ ...source }));
  });
});
