import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as lib from '../lib';
import { ErrorKind, LogSidecar, Patterns, PropsError, SynthError } from '../lib';
import { CLASS_CONSTANTS } from '../lib/_class-constants';

/** The TypeScript exports jsii cannot export as types: constants (UPPER_CASE) and functions (camelCase), and the error classes. */
const constants = Object.entries(lib).filter(([name, v]) => v !== undefined && /^[A-Z][A-Z0-9_]*$/.test(name));
const functions = Object.keys(lib).filter((name) => /^[a-z]/.test(name) && typeof (lib as any)[name] === 'function');

describe('Patterns: the functions and constants for every language', () => {
  test('GIVEN every constant the TypeScript API exports THEN its construct\'s class (CLASS_CONSTANTS) or else Patterns has a static member of the same value', () => {
    const missing: string[] = [];
    for (const [name, value] of constants) {
      const [owner, member] = CLASS_CONSTANTS[name] ?? ['Patterns', name];
      const cls = (lib as any)[owner];
      if (cls === undefined || !(member in cls)) missing.push(`${name} (${owner}.${member})`);
      else expect({ name, value: cls[member] }).toEqual({ name, value });
      // one member per constant: one on its construct's class is not repeated on Patterns
      if (CLASS_CONSTANTS[name]) expect({ name, onPatterns: name in Patterns }).toEqual({ name, onPatterns: false });
    }
    expect(missing).toEqual([]);
    expect(constants.length).toBeGreaterThan(60);
    expect(Object.keys(CLASS_CONSTANTS).filter((name) => !(name in lib))).toEqual([]);
  });

  test('GIVEN the construct classes THEN they carry their own constants (DebugSidecar.DEFAULT_IMAGE, PodSecurityNamespace.MODES, ...)', () => {
    expect(lib.DebugSidecar.DEFAULT_IMAGE).toBe(lib.DEFAULT_DEBUG_IMAGE);
    expect(lib.PodSecurityNamespace.MODES).toEqual([lib.PodSecurityMode.ENFORCE, lib.PodSecurityMode.AUDIT, lib.PodSecurityMode.WARN]);
    expect(lib.HttpCompatAdapter.IMAGE).toBe(lib.HTTP_ADAPTER_IMAGE);
    expect(lib.Adapter.DEFAULT_NAME).toBe(lib.DEFAULT_ADAPTER_NAME);
  });

  test('GIVEN every function the TypeScript API exports THEN Patterns has a static method of that name', () => {
    expect(functions.filter((f) => typeof (Patterns as any)[f] !== 'function')).toEqual([]);
    expect(typeof Patterns.isPropsError).toBe('function'); // for PropsError
    expect(typeof Patterns.isSynthError).toBe('function'); // for SynthError
    expect(functions).toEqual(expect.arrayContaining(['runSynth', 'hardenContainer', 'setKubernetesVersion', 'synth', 'recommendedLabels']));
  });

  test('GIVEN a workload WHEN hardened through Patterns THEN the result is what hardenContainer writes', () => {
    const build = (harden: typeof lib.hardenContainer) => {
      const chart = Testing.chart();
      const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: 'nginx:1.27.5' }] });
      harden(web, 'nginx', { runAsUser: 101 });
      return Testing.synth(chart);
    };
    expect(build(Patterns.hardenContainer)).toEqual(build(lib.hardenContainer));
  });
});

describe('Patterns.errorKind: telling a props error from a synth error by its message, as other languages must', () => {
  const propsError = (): Error => {
    const chart = new Chart(new App(), 'bad');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: 'nginx:1.27.5' }] });
    try {
      new LogSidecar(chart, 'logs', { workload: web, appContainerName: 'nginx', logDirectory: 'var/log', logFiles: ['a.log'] });
    } catch (e) {
      return e as Error;
    }
    throw new Error('no error');
  };

  test('GIVEN a PropsError, or its message, or its message after a jsii runtime prefix THEN it is a props error and not a synth error', () => {
    const e = propsError();
    expect(e).toBeInstanceOf(PropsError);
    for (const given of [e, e.message, `JSIIError: ${e.message}`, `Error: ${e.message}\n    at x`]) {
      expect(Patterns.errorKind(given)).toBe(ErrorKind.PROPS);
      expect(Patterns.isPropsError(given)).toBe(true);
      expect(Patterns.isSynthError(given)).toBe(false);
    }
  });

  test('GIVEN a props error as the Java and Go jsii runtimes carry it (the message, then the JavaScript stack) THEN errorText is the message alone', () => {
    const e = propsError();
    const carried = `${e.message}\nPropsError: ${e.message}\n    at Problems.throwIfAny (lib/_pod/rules.js:181:19)\n    at new LogSidecar (lib/log-sidecar.js:205:18)`;
    expect(Patterns.errorText(carried)).toBe(e.message);
    expect(Patterns.errorText(`RuntimeError: ${e.message}`)).toBe(e.message);
    expect(Patterns.errorText(e)).toBe(e.message);
    expect(e.message.split('\n').length).toBeGreaterThan(1); // the header and at least one problem
    expect(Patterns.errorText('boom\n    at x')).toBe('boom\n    at x'); // any other error: unchanged
  });

  test('GIVEN a SynthError THEN it is a synth error', () => {
    const e = new SynthError(['[app/chart] two charts would both write a.k8s.yaml']);
    expect(Patterns.errorKind(e)).toBe(ErrorKind.SYNTH);
    expect(Patterns.errorKind(e.message)).toBe(ErrorKind.SYNTH);
    expect(Patterns.isPropsError(e.message)).toBe(false);
  });

  test('GIVEN any other error, a non-string or a message that only mentions invalid props THEN it is neither', () => {
    for (const given of [new Error('boom'), 'invalid props: x', 'the [a] invalid props: list', 42, undefined, null, {}]) {
      expect(Patterns.errorKind(given)).toBe(ErrorKind.OTHER);
    }
  });
});
