/**
 * The L1 conversions the injection step makes without the generated functions' cost
 * (lib/_pod/l1-json.ts): the same fields, in the same order, converted the same way, with the
 * same results and errors as the Kubernetes 1.27 L1 `toJson_*` functions the library runs.
 */
import * as fc from 'fast-check';
import { k8s as plusK8s } from 'cdk8s-plus-27';
import * as k8s from '../lib/_k8s';
import * as fast from '../lib/_pod/l1-json';
import { CONTAINER, L1_FUNCTIONS, L1Type, toJsonOf } from '../lib/_pod/l1-json';
import { outcome } from './util/outcome';
import { propertyRuns } from './util/depth';

/** The L1 module the library runs (lib/_k8s.ts is cdk8s-plus-27's), every function of it. */
const L1 = plusK8s as any;

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
        : conv === 'value-map' ? { a: k8s.Quantity.fromString('1') } : 'listOf' in conv || 'l1List' in conv ? [{}] : {};
      expect(Object.keys(L1[name]({ [l1]: sample }))).toEqual([json]);
    }
  });

  const USED = ['toJson_Container', 'toJson_EnvVar', 'toJson_VolumeMount', 'toJson_SecurityContext', 'toJson_PodSecurityContext', 'toJson_ResourceRequirements', 'toJson_Probe'];

  test.each(USED.map((name) => [name, L1_FUNCTIONS.find(([n]) => n === name)![1]] as [string, L1Type]))('GIVEN arbitrary input of %s WHEN converted THEN the same result, key order included, or the same error', (name, type) => {
    fc.assert(fc.property(arbitraryOf(type), (obj) => outcome(() => (fast as any)[name](obj)) === outcome(() => L1[name](obj))), { numRuns: propertyRuns(40, 300) });
  });

  test.each(L1_FUNCTIONS)('GIVEN arbitrary input of %s WHEN it converts without error THEN the same result, key order included', (name, type) => {
    fc.assert(fc.property(arbitraryOf(type), (obj) => {
      const own = outcome(() => toJsonOf(type, obj));
      return own.startsWith('throws') || own === outcome(() => L1[name](obj));
    }), { numRuns: propertyRuns(20, 200) });
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
