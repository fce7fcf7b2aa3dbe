import * as kplus27 from 'cdk8s-plus-27';
import * as ours from '../imports/k8s';
import * as runtime from '../lib/_k8s';

// lib/_k8s.ts: the library is typed with imports/k8s.ts but runs cdk8s-plus-27's own copy of the
// same generated module (loaded by every app anyway). That holds only while the two are the same
// code: these tests fail when an upgrade of cdk8s-plus-27 or a new `npm run import` makes them differ.

/** A function's source without whitespace, parentheses, commas or semicolons: SWC (ours) and tsc (cdk8s-plus-27's) print the same code differently only in those. */
const normalized = (f: unknown) => String(f).replace(/[\s(),;]/g, '');
const plusK8s = kplus27.k8s as unknown as Record<string, unknown>;
const oursK8s = ours as unknown as Record<string, unknown>;

describe('the Kubernetes L1 module the library runs (lib/_k8s.ts)', () => {
  test('GIVEN imports/k8s.ts and cdk8s-plus-27\'s k8s module THEN they export the same names', () => {
    expect(Object.keys(plusK8s).sort()).toEqual(Object.keys(oursK8s).filter((k) => k !== '__esModule').sort());
  });

  test('GIVEN every toJson_ function of the two THEN each is the same code', () => {
    const names = Object.keys(oursK8s).filter((k) => k.startsWith('toJson_'));
    expect(names.length).toBeGreaterThan(400);
    const differ = names.filter((k) => normalized(oursK8s[k]) !== normalized(plusK8s[k]));
    expect(differ).toEqual([]);
  });

  test('GIVEN the comparison THEN it tells a changed function from the original (negative control)', () => {
    const changed = normalized(ours.toJson_Probe).replace("'periodSeconds'", "'periodSecond'");
    expect(changed).not.toBe(normalized(plusK8s.toJson_Probe));
    expect(normalized(ours.toJson_Probe)).not.toBe(normalized(plusK8s.toJson_Container));
  });

  test('GIVEN lib/_k8s THEN what it exports is cdk8s-plus-27\'s, and Quantity and IntOrString render as ours do', () => {
    // the namespace as a plain record: Object.entries(runtime) would have the type checker infer
    // the union of every export's type (this one line: 0.4 s of tsgo's 1.1 s of checking)
    for (const [k, v] of Object.entries(runtime as Record<string, unknown>)) expect([k, v]).toEqual([k, plusK8s[k]]);
    expect(runtime.toJson_Probe).toBe(kplus27.k8s.toJson_Probe);
    expect(runtime.Quantity.fromString('64Mi').value).toBe(ours.Quantity.fromString('64Mi').value);
    expect(runtime.Quantity.fromNumber(2).value).toBe(ours.Quantity.fromNumber(2).value);
    expect(runtime.IntOrString.fromNumber(8080).value).toBe(ours.IntOrString.fromNumber(8080).value);
    expect(runtime.IntOrString.fromString('http').value).toBe('http');
    const probe = { tcpSocket: { port: runtime.IntOrString.fromNumber(80) }, periodSeconds: 1 };
    expect(runtime.toJson_Probe(probe)).toEqual(ours.toJson_Probe(probe));
  });
});
