/**
 * cdk8s's rendering made with less work per value (lib/_pod/cdk8s-render.ts): every rendering,
 * and every error, the same as cdk8s's own code gives.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, Duration, Include, IResolver, Lazy, ResolutionContext, Size, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import * as k8s from '../imports/k8s';
import { buildExampleApp } from '../lib/charts';
import { hardenContainer, LogSidecar } from '../lib';
import { MIRRORED, mirroredSource, mirrorsLoadedCdk8s, withFastRendering } from '../lib/_pod/cdk8s-render';
import { outcome } from './util/outcome';

/** The object's rendering by the fast code (checked to be in place). */
const fastly = (obj: ApiObject) => outcome(() => withFastRendering(() => {
  expect(ApiObject.prototype.toJson.name).toBe('renderObject');
  return obj.toJson();
}));

/** The object's rendering by the fast code, and by cdk8s's own code. */
function bothWays(obj: ApiObject): [string, string] {
  const fast = fastly(obj);
  return [fast, outcome(() => obj.toJson())];
}

const objectsOf = (scope: IConstruct) => scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));

/**
 * Every object of an app built twice, rendered once each: by the fast code in one build, by
 * cdk8s's in the other (a cdk8s-plus workload with `spread` adds its spread on every rendering:
 * a second rendering of one object differs from its first).
 */
function eachObjectBothWays(build: () => IConstruct): Array<[string, string]> {
  const fast = objectsOf(build()).map((o) => `${o.node.path} ${fastly(o)}`);
  const own = objectsOf(build()).map((o) => `${o.node.path} ${outcome(() => o.toJson())}`);
  expect(fast).toHaveLength(own.length);
  return fast.map((f, i) => [f, own[i]]);
}

describe('the mirror of cdk8s', () => {
  test('GIVEN the installed cdk8s THEN the functions the fast rendering mirrors are those it was written from (update MIRRORED only after checking cdk8s-render.ts against them)', () => {
    expect(createHash('sha256').update(mirroredSource()!).digest('hex')).toBe(MIRRORED);
    expect(mirrorsLoadedCdk8s()).toBe(true);
  });

  test('GIVEN the example app WHEN every object is rendered both ways THEN the renderings are the same, key order included', () => {
    const pairs = eachObjectBothWays(() => buildExampleApp(Testing.app()));
    expect(pairs.length).toBeGreaterThan(30);
    for (const [fast, own] of pairs) expect(fast).toBe(own);
  });

  test('GIVEN workloads of cdk8s-plus 27 and 33 (one spread), an L1 object, an Include and a helper WHEN rendered both ways THEN the same', () => {
    const pairs = eachObjectBothWays(richApp);
    expect(pairs.length).toBe(7);
    for (const [fast, own] of pairs) expect(fast).toBe(own);
  });

  function richApp(): App {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    for (const [id, P] of [['p27', kplus], ['p33', kplus33]] as const) {
      const d = new (P as any).Deployment(chart, id, {
        containers: [{ name: 'app', image: 'nginx:1.27.5', portNumber: 8080, resources: { cpu: { request: (P as any).Cpu.millis(50) }, memory: { limit: Size.mebibytes(64) } }, readiness: (P as any).Probe.fromHttpGet('/', { port: 8080 }) }],
        spread: true,
      });
      d.podMetadata.addAnnotation('example.com/a', 'b');
      new (P as any).Service(chart, `${id}-svc`, { selector: d, ports: [{ port: 80, targetPort: 8080 }] });
    }
    new k8s.KubeConfigMap(chart, 'l1', { data: { b: '1', a: '2', 10: 'ten', 2: 'two' }, metadata: { labels: {}, annotations: { x: 'y' } } });
    new Include(chart, 'inc', { url: path.join(__dirname, 'fixtures', 'workloads', 'deployment.yaml') });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: 'nginx:1.27.5', portNumber: 8080 }] });
    hardenContainer(web, 'app', { runAsUser: 101, runAsGroup: 101 });
    new LogSidecar(chart, 'logs', { workload: web, appContainerName: 'app', logDirectory: '/var/log/app', logFiles: ['a.log'] });
    return app;
  }

  test('negative control: GIVEN renderings that differ only in key order THEN the comparison tells them apart', () => {
    const obj = new ApiObject(Testing.chart(), 'o', { apiVersion: 'v1', kind: 'X', spec: { b: 1, a: 2 } } as any);
    const sorted = outcome(() => obj.toJson());
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const [fast, own] = bothWays(obj);
      expect(fast).toBe(own);
      expect(own).not.toBe(sorted);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});

describe('every kind of value, both ways', () => {
  /** An object whose props hold `spec`. */
  const objectWith = (spec: any, chart: Chart = Testing.chart()) => new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'X', spec } as any);

  class Resolvable {
    public constructor(private readonly v: any) {}
    public resolve() {
      return this.v;
    }
  }
  class Thing {
    public readonly x = 1;
  }
  class Other {
    public readonly y = 2;
  }

  const CASES: Array<[string, () => any]> = [
    ['nulls, undefined, empty lists and objects', () => ({ a: null, b: undefined, c: [], d: {}, e: [null, undefined, 1], f: 0, g: '', h: false })],
    ['Lazy values, nested and producing Lazy values', () => ({ a: Lazy.any({ produce: () => Lazy.any({ produce: () => ({ z: 1, y: [Lazy.any({ produce: () => 'deep' })] }) }) }) })],
    ['objects with resolve()', () => ({ a: new Resolvable({ b: new Resolvable(3) }), c: new Resolvable(null) })],
    ['number-or-string unions (IntOrString, Quantity)', () => ({ port: k8s.IntOrString.fromNumber(80), name: k8s.IntOrString.fromString('http'), q: k8s.Quantity.fromString('64Mi'), limits: { cpu: k8s.Quantity.fromNumber(1) } })],
    ['integer-like keys and keys out of order', () => ({ 10: 'a', 2: 'b', z: 1, a: { y: 1, b: 2 } })],
    ['a function and a symbol', () => ({ f: () => 1, s: Symbol.for('x') })],
    ['a sparse list', () => ({ l: [1, , 3] })], // eslint-disable-line no-sparse-arrays
    ['an object of a class', () => ({ a: 1, d: Duration.seconds(5) })],
    ['two objects of classes (the first in key order is named)', () => ({ z: new Thing(), a: { m: new Other() } })],
    ['an object of a class produced by a Lazy', () => ({ a: Lazy.any({ produce: () => new Thing() }) })],
    ['an object without a prototype', () => ({ a: Object.assign(Object.create(null), { k: 1 }) })],
    ['a Lazy that throws', () => ({ a: Lazy.any({ produce: () => { throw new Error('boom'); } }) })],
    ['"__proto__" keys of their own, in order and out of order', () => ({ a: JSON.parse('{"__proto__": {"x": 1}, "b": 2}'), z: JSON.parse('{"z": 1, "__proto__": 3, "a": null}') })],
  ];

  test.each(CASES)('GIVEN %s WHEN rendered both ways THEN the same result or the same error', (_name, spec) => {
    const [fast, own] = bothWays(objectWith(spec()));
    expect(fast).toBe(own);
  });

  test('GIVEN Lazy producers WHEN rendered both ways THEN they run in the same order', () => {
    const order = (render: (o: ApiObject) => any) => {
      const seen: string[] = [];
      const lazy = (n: string) => Lazy.any({ produce: () => (seen.push(n), n) });
      render(objectWith({ z: lazy('z'), a: [lazy('a0'), { c: lazy('c'), b: lazy('b') }] }));
      return seen;
    };
    const own = order((o) => o.toJson());
    expect(own).toEqual(['z', 'a0', 'c', 'b']);
    expect(order((o) => withFastRendering(() => o.toJson()))).toEqual(own);
  });

  test.each([
    ['String.prototype.resolve', String.prototype, 'resolve', function (this: string) { return { wrapped: String(this) }; }],
    ['Boolean.prototype.resolve', Boolean.prototype, 'resolve', function (this: boolean) { return { wrapped: String(this) }; }],
    ['Number.prototype.value (a number read as a number-or-string union)', Number.prototype, 'value', 'seven'],
  ])('GIVEN %s patched in WHEN rendered both ways THEN the same (strings, numbers and booleans go through every resolver step)', (_name, proto, key, value) => {
    const spec = () => ({ s: 'a', n: 7, b: true, l: ['x', 2] });
    const plain = bothWays(objectWith(spec()))[1];
    Object.defineProperty(proto, key, { value, configurable: true, writable: true });
    try {
      const [fast, own] = bothWays(objectWith(spec()));
      expect(own).not.toBe(plain); // the patch changes cdk8s's own rendering: the case can fail
      expect(fast).toBe(own);
    } finally {
      delete (proto as any)[key];
    }
  });

  test('GIVEN metadata with empty labels, annotations and finalizers WHEN rendered both ways THEN the empty ones are left out alike', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'X', metadata: { labels: {}, annotations: { a: 'b' }, finalizers: [] } });
    const [fast, own] = bothWays(obj);
    expect(fast).toBe(own);
    expect(outcome(() => withFastRendering(() => new ApiObjectMetadataDefinition({ apiObject: obj }).toJson()))).toBe(outcome(() => new ApiObjectMetadataDefinition({ apiObject: obj }).toJson()));
  });

  test('GIVEN an app with a resolver of its own WHEN rendered in the fast mode THEN cdk8s\'s own code renders it (the resolver applies)', () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (typeof context.value === 'string' && context.value !== context.value.toUpperCase()) context.replaceValue(context.value.toUpperCase());
      }
    }
    const obj = objectWith({ a: 'x' }, new Chart(new App({ resolvers: [new Upper()] }), 'c'));
    const [fast, own] = bothWays(obj);
    expect(fast).toBe(own);
    expect(own).toContain('"a":"X"');
  });

  test('GIVEN the fast mode WHEN it ends, also by an error THEN cdk8s\'s own functions are back', () => {
    const own = [ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson];
    expect(() => withFastRendering(() => withFastRendering(() => { throw new Error('x'); }))).toThrow('x');
    expect([ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson]).toEqual(own);
  });
});
