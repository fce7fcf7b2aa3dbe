/**
 * The L1 conversions the injection step makes without the generated functions' cost
 * (lib/_pod/l1-json.ts): the same fields, in the same order, converted the same way, with the
 * same results and errors as the Kubernetes 1.27 L1 `toJson_*` functions the library runs.
 */
import * as fc from 'fast-check';
import { ApiObject, Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s as plusK8s } from 'cdk8s-plus-27';
import * as k8s from '../lib/_k8s';
import * as ownK8s from '../imports/k8s';
import * as fast from '../lib/_pod/l1-json';
import { CLASSES, classToJsonOf, COMPILE_AFTER, compiled, CONTAINER, generatedToJsonText, interpreted, L1_FUNCTIONS, L1Type, tableRenderingOf, toJsonOf } from '../lib/_pod/l1-json';
import { withFastRendering } from '../lib/_pod/cdk8s-render';
import { outcome } from './util/outcome';

/** The L1 module the library runs (lib/_k8s.ts is cdk8s-plus-27's), every function of it. */
const L1 = plusK8s as any;
/** The same module as the library's (cdk8s-plus-27's), its classes. */
const P = plusK8s;

/** The fields an L1 function reads, in order (from an object that records each read). */
function fieldsRead(f: (o: any) => any): string[] {
  const read: string[] = [];
  f(new Proxy({}, { get: (_t, k) => (typeof k === 'string' && read.push(k), undefined) }));
  return read;
}

/** An arbitrary value for a field converted as `conv`, mostly of its type, sometimes not. */
function arbitraryFor(conv: L1Type[number][2], depth: number): fc.Arbitrary<any> {
  const junk = fc.constantFrom<any>(undefined, null, 'x', 7, true, {}, []);
  const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(undefined));
  if (conv === 'as-is') return fc.oneof(scalar, junk);
  if (conv === 'list') return fc.oneof(fc.array(fc.oneof(scalar, fc.constant(null)), { maxLength: 3 }), fc.constant(undefined));
  const union = fc.oneof(fc.integer().map((n) => k8s.IntOrString.fromNumber(n)), fc.constantFrom('64Mi', '1').map((s) => k8s.Quantity.fromString(s)));
  if (conv === 'value') return fc.oneof(union, fc.constantFrom(undefined, 'x', null));
  if (conv === 'string-map') return fc.oneof(fc.dictionary(fc.constantFrom('app', '__proto__', '1', 'b'), fc.oneof(fc.string({ maxLength: 2 }), fc.constant(undefined)), { maxKeys: 3 }), fc.constantFrom(undefined, 'ab', 5));
  if (conv === 'date') return fc.oneof(fc.date({ min: new Date(0), max: new Date(4e12) }), fc.constantFrom(undefined, null, 'x'));
  if (conv === 'value-map') return fc.oneof(fc.dictionary(fc.constantFrom('cpu', 'memory', '__proto__', '1'), fc.oneof(union, fc.constantFrom(undefined, '64Mi')), { maxKeys: 3 }), fc.constant(undefined));
  if ('type' in conv) return depth > 2 ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: arbitraryOf(conv.type, depth + 1) }, { weight: 1, arbitrary: junk });
  if ('listOf' in conv) return depth > 2 ? fc.constant(undefined) : fc.oneof(fc.array(arbitraryOf(conv.listOf, depth + 1), { maxLength: 2 }), fc.constantFrom(undefined, 'x'));
  return fc.constant(undefined); // a type the L1 function itself converts: as it is
}

/** An arbitrary object of an L1 type: some of its fields, and a field it does not have. */
function arbitraryOf(type: L1Type, depth = 0): fc.Arbitrary<any> {
  const fields: Record<string, fc.Arbitrary<any>> = {};
  for (const [, l1, conv] of type) fields[l1] = arbitraryFor(conv, depth);
  return fc.record({ ...fields, unknownField: fc.constantFrom(undefined, 'dropped') }, { requiredKeys: [] });
}

describe('the L1 conversions', () => {
  test.each(L1_FUNCTIONS)('GIVEN %s THEN its fields are those the L1 function reads, in its order, under the JSON names it writes', (name, type) => {
    expect(typeof L1[name]).toBe('function');
    expect(type.map(([, l1]) => l1)).toEqual(fieldsRead(L1[name]));
    for (const [json, l1, conv] of type) {
      const sample = conv === 'as-is' ? 'x' : conv === 'list' ? ['x'] : conv === 'value' ? k8s.IntOrString.fromNumber(1)
        : conv === 'value-map' ? { a: k8s.Quantity.fromString('1') } : conv === 'string-map' ? { a: 'b' } : conv === 'date' ? new Date(0) : 'listOf' in conv || 'l1List' in conv ? [{}] : {};
      expect(Object.keys(L1[name]({ [l1]: sample }))).toEqual([json]);
    }
  });

  const USED = ['toJson_Container', 'toJson_EnvVar', 'toJson_VolumeMount', 'toJson_SecurityContext', 'toJson_PodSecurityContext', 'toJson_ResourceRequirements', 'toJson_Probe', 'toJson_Volume'];

  test.each(USED.map((name) => [name, L1_FUNCTIONS.find(([n]) => n === name)![1]] as [string, L1Type]))('GIVEN arbitrary input of %s WHEN converted THEN the same result, key order included, or the same error', (name, type) => {
    fc.assert(fc.property(arbitraryOf(type), (obj) => outcome(() => (fast as any)[name](obj)) === outcome(() => L1[name](obj))), { numRuns: 300 });
  });

  test.each(L1_FUNCTIONS)('GIVEN arbitrary input of %s WHEN it converts without error THEN the same result, key order included, read from the table and made from it alike', (name, type) => {
    const made = compiled(type);
    fc.assert(fc.property(arbitraryOf(type), (obj) => {
      const own = outcome(() => interpreted(type, obj));
      return own === outcome(() => made(obj)) && (own.startsWith('throws') || own === outcome(() => L1[name](obj)));
    }), { numRuns: 80 });
  });

  test(`GIVEN a type converted more than ${COMPILE_AFTER} times THEN from then on by the function made from its table, with the same results`, () => {
    const obj = { name: 'app', image: 'nginx:1.27.5', ports: [{ containerPort: 8080 }] };
    const results = Array.from({ length: COMPILE_AFTER + 2 }, () => outcome(() => toJsonOf(CONTAINER, obj)));
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toBe(outcome(() => L1.toJson_Container(obj)));
  });

  test('GIVEN null, a string, a number or undefined for a container WHEN converted THEN the L1 function\'s result or error', () => {
    for (const v of [null, 'x', undefined, 5, { ports: 'x' }]) expect(outcome(() => fast.toJson_Container(v))).toBe(outcome(() => L1.toJson_Container(v)));
    expect(outcome(() => fast.toJson_Container(null))).toContain("Cannot read properties of null (reading 'args')");
    expect(outcome(() => fast.toJson_Container({ ports: 'x' }))).toContain('obj.ports?.map is not a function');
  });

  test('negative control: GIVEN a table with two fields swapped THEN the field check tells it (the checks above can fail)', () => {
    const swapped = [CONTAINER[1], CONTAINER[0], ...CONTAINER.slice(2)];
    expect(swapped.map(([, l1]) => l1)).not.toEqual(fieldsRead(L1.toJson_Container));
    expect(outcome(() => toJsonOf(swapped, { args: ['a'], command: ['c'] }))).not.toBe(outcome(() => L1.toJson_Container({ args: ['a'], command: ['c'] })));
  });
});

/** A cdk8s-plus-27 workload of every kind the tables render, with what a pattern's pods carry; and an L1 ConfigMap and Service. */
function everyKind(): ApiObject[] {
  const chart = new Chart(Testing.app(), 'kinds');
  const containers = [{
    name: 'app', image: 'nginx:1.27.5', portNumber: 8080, envVariables: { A: kplus.EnvValue.fromValue('1') },
    readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }), securityContext: { user: 101, group: 101 },
    resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { limit: Size.mebibytes(64) } },
  }];
  const volume = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
  const config = new kplus.ConfigMap(chart, 'config', { data: { 'a.conf': 'x', 'b.conf': 'y' } });
  const mountAll = (w: kplus.AbstractPod) => {
    w.containers[0].mount('/tmp', volume);
    w.containers[0].mount('/etc/app', kplus.Volume.fromConfigMap(chart, `${w.node.id}-cfg`, config));
  };
  const workloads: kplus.AbstractPod[] = [
    new kplus.Deployment(chart, 'deploy', { containers, replicas: 2, metadata: { labels: { tier: 'web' }, annotations: { a: 'b' } } }),
    new kplus.Pod(chart, 'pod', { containers, restartPolicy: kplus.RestartPolicy.NEVER }),
    new kplus.StatefulSet(chart, 'sts', { containers, service: new kplus.Service(chart, 'sts-svc', { ports: [{ port: 80 }], clusterIP: 'None' }) }),
    new kplus.DaemonSet(chart, 'ds', { containers }),
    new kplus.Job(chart, 'job', { containers, backoffLimit: 2 }),
    new kplus.CronJob(chart, 'cron', { containers, schedule: Cron.daily() }),
  ];
  for (const w of workloads) mountAll(w);
  (workloads[0] as kplus.Deployment).exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  new P.KubeConfigMap(chart, 'l1-config', { data: { b: '1', a: '2', 10: 'ten' }, binaryData: { x: 'eA==' }, immutable: true });
  new P.KubeService(chart, 'l1-svc', { spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

describe('the L1 classes rendered from the tables (classToJsonOf)', () => {
  test('GIVEN every class the tables render THEN its `toJson` is the generated one the tables stand for (a cdk8s-plus-27 that generates another fails here: check the tables, then the text)', () => {
    for (const [cls] of CLASSES) expect(cls.prototype.toJson.toString()).toBe(generatedToJsonText(cls.name));
    expect(CLASSES.map(([cls]) => cls.name)).toEqual(['KubeDeployment', 'KubePod', 'KubeStatefulSet', 'KubeDaemonSet', 'KubeJob', 'KubeCronJob', 'KubeConfigMap', 'KubeService']);
  });

  test('GIVEN a cdk8s-plus-27 workload of every kind, with containers, probes, volumes and a Service, and L1 objects WHEN rendered from the tables in one build and by `toJson` in another THEN the same, key order included', () => {
    const viaTables = everyKind().map((o) => {
      const render = classToJsonOf(o);
      expect(render).toBeDefined();
      return `${o.node.path} ${outcome(() => withFastRendering(render!))}`;
    });
    const own = everyKind().map((o) => `${o.node.path} ${outcome(() => withFastRendering(() => o.toJson()))}`);
    expect(viaTables.length).toBe(11);
    expect(viaTables).toEqual(own);
    expect(viaTables.join('\n')).toContain('"sizeLimit":"64Mi"');
  });

  test.each(CLASSES.map(([cls, , table]) => [cls.name, cls, table] as [string, any, L1Type]))('GIVEN arbitrary props of %s WHEN rendered from the tables THEN the result or error of its `toJson`', (_name, cls, table) => {
    const chart = new Chart(Testing.app(), 'arbitrary');
    let i = 0;
    fc.assert(fc.property(arbitraryOf(table), (props) => {
      let obj: ApiObject;
      try {
        obj = new cls(chart, `o${i++}`, props);
      } catch {
        return true; // props the class itself refuses: nothing to render
      }
      return outcome(classToJsonOf(obj)!) === outcome(() => obj.toJson());
    }), { numRuns: 40 });
  });

  test('negative controls: GIVEN a subclass, an object with a `toJson` of its own, a class the tables do not render, or a method of another text THEN the object\'s own `toJson` renders it', () => {
    const chart = new Chart(Testing.app(), 'not-rendered');
    class Mine extends P.KubeDeployment {}
    expect(classToJsonOf(new Mine(chart, 'sub', {}))).toBeUndefined();
    const own = new P.KubePod(chart, 'own', {});
    own.toJson = () => ({ kind: 'Pod' });
    expect(classToJsonOf(own)).toBeUndefined();
    expect(classToJsonOf(new P.KubeSecret(chart, 'secret', {}))).toBeUndefined();
    // our own compiled copy of the module: the same class names, another text
    expect(classToJsonOf(new ownK8s.KubeDeployment(chart, 'copy', {}))).toBeUndefined();
    // a generated class whose method reads otherwise (another generator): not from the tables
    expect(tableRenderingOf(P.KubeJob.prototype)).toBeDefined();
    const original = P.KubeJob.prototype.toJson;
    P.KubeJob.prototype.toJson = function toJson(this: ApiObject) {
      return { ...original.call(this), edited: true };
    };
    try {
      expect(tableRenderingOf(P.KubeJob.prototype)).toBeUndefined();
    } finally {
      P.KubeJob.prototype.toJson = original;
    }
  });
});
