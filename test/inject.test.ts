/**
 * The injection step's own data handling (lib/_pod/inject.ts): part data as Kubernetes JSON, and
 * renderings whose objects stay fast to read.
 */
import * as fc from 'fast-check';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { cleanSorted, containerJson, injectPart } from '../lib/_pod/inject';

/** What cleanSorted stands for: undefined values and empty lists dropped (clean), then keys sorted (sortKeys), each a copy. */
function reference(value: any): any {
  const clean = (v: any): any => {
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined && !(Array.isArray(x) && x.length === 0)) out[k] = clean(x);
      return out;
    }
    return v;
  };
  const sortKeys = (v: any): any => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
      return out;
    }
    return v;
  };
  return sortKeys(clean(value));
}

/** Keys in order, and values, as one string (undefined shown, unlike JSON). */
const shape = (v: any): string => JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x));

const tree = fc.letrec((tie) => ({
  value: fc.oneof({ maxDepth: 4 }, fc.constantFrom(undefined, null, 0, 'a', true), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'name', 'env', '10', '2'), tie('value'), { maxKeys: 5, noNullPrototype: true }),
})).value;

describe('cleanSorted', () => {
  test('GIVEN any tree of JSON data WHEN cleaned and sorted THEN it equals the reference (clean, then sortKeys), key order included', () => {
    fc.assert(fc.property(tree, (v) => shape(cleanSorted(v)) === shape(reference(v))));
  });

  test('GIVEN a tree already clean and sorted THEN it is returned as it is; GIVEN one with an empty list deep inside THEN only the path to it is new', () => {
    const done = { a: [1, { b: 2 }], c: { d: 'x' } };
    expect(cleanSorted(done)).toBe(done);
    const deep = { a: { b: { c: [] as any[], d: 1 } }, e: { f: 2 } };
    const out = cleanSorted(deep);
    expect(out).toEqual({ a: { b: { d: 1 } }, e: { f: 2 } });
    expect(out).not.toBe(deep);
    expect(out.e).toBe(deep.e);
  });

  test('negative control: GIVEN keys out of order or an undefined value THEN the result differs from the input (the fast path above can be told apart)', () => {
    expect(shape(cleanSorted({ b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
    expect(shape(cleanSorted({ a: undefined, b: 1 }))).toBe('{"b":1}');
  });

  test('GIVEN a container spec with empty lists and a preStop sleep WHEN written THEN the lists are left out and the sleep joins the lifecycle, keys sorted', () => {
    const json = containerJson({ name: 'c', image: 'busybox:1.36.1', env: [], ports: [], lifecycle: { postStart: { exec: { command: ['true'] } } }, preStopSleepSeconds: 5, restartPolicy: 'Always' });
    expect(shape(json)).toBe(shape({ image: 'busybox:1.36.1', lifecycle: { postStart: { exec: { command: ['true'] } }, preStop: { sleep: { seconds: 5 } } }, name: 'c', restartPolicy: 'Always' }));
  });
});

describe('renderings of injected parts', () => {
  test('GIVEN a part that adds keys out of order and removes the security context WHEN rendered THEN every object it touched has its keys in order and the removed ones gone', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: 'nginx:1.27.5', portNumber: 8080 }] });
    const obj = ApiObject.of(web);
    injectPart(obj, {
      owner: 'test/part',
      pod: { shareProcessNamespace: true, securityContext: {} },
      containerEdits: [{ name: 'app', securityContext: {}, env: [{ name: 'A', value: '1' }] }],
      annotations: { 'z.example/b': '1', 'a.example/a': '2' },
    });
    const template = obj.toJson().spec.template;
    const spec = template.spec;
    expect(spec.securityContext).toBeUndefined();
    expect(spec.containers[0].securityContext).toBeUndefined();
    expect(spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    for (const o of [spec, spec.containers[0], template.metadata, template.metadata.annotations]) {
      expect(Object.keys(o)).toEqual(Object.keys(o).sort());
    }
  });
});
