import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { buildExampleApp } from '../lib/charts';
import { renderApp } from '../lib/synth/collect';
import { readsAsOtherThanString, readsAsOtherThanStringByForms, SCHEMA_TEST_SOURCES, stringifyDocument, stringifyDocuments, YamlValueError } from '../lib/synth/yaml';
import { propertyRuns } from './util/depth';

// Characters and whole strings that each take a different branch of `yaml`'s string writer:
// indicators, quotes, whitespace around newlines, control characters, YAML 1.1 booleans, ints
// (binary, octal, hex, sexagesimal), floats, nulls, timestamps, merge keys, document markers.
const CHARS = [
  'a', 'b', 'Z', '0', '1', '9', '_', '.', '/', '=', '+', '~', '$', '(', ')',
  '-', '?', ':', ' ', '\t', '\n', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ',', '[', ']', '{', '}', '\\',
  'é', '\u00a0', '\u2028', '😀',
];
/** Characters that make `yaml` write double quotes with escapes (left to `yaml` by the fast path). */
const CONTROL = ['\x00', '\x07', '\x1b', '\x7f', '\r', '\u0085', '\ud800'];
const WORDS = [
  '', ' ', 'true', 'True', 'TRUE', 'false', 'yes', 'Yes', 'no', 'NO', 'on', 'Off', 'y', 'Y', 'n', 'N',
  'null', 'Null', '~', '0', '-1', '+1', '007', '0o17', '0b101', '0x1F', '1_000', '1:20', '190:20:30', '-1:00',
  '.5', '1.', '1e3', '1.5e-3', '.inf', '-.Inf', '.nan', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10', '<<', '=', '---', '--- a', '...', '... b', '%YAML', '- ', '-', '? ', '?', ':',
  'a: b', 'a:b', 'a #b', 'a# b', 'trailing ', 'trailing:', ' leading', '\tx', 'x\t', 'it\'s', 'say "hi"', 'both \' "',
  'IfNotPresent', 'nginx:1.27.5', '/usr/share/nginx/html', '64Mi', '100m', 'RuntimeDefault', 'echo a > /b',
  'a\nb', 'a\n', 'a\n\n', '\n', '\n\n', '\na', '\n\na', ' \na', 'a \nb', 'a\n b', 'a\n\t', 'a\n ', '  two\nlines',
  '---\nx', 'x\n---\ny', 'x\n...', '#!/bin/sh\nset -e\necho hi\n', 'k: v\nk2: v2\n',
];

/** Generated cases per property: 60 in npm test, 600 in the deep run (test/util/depth.ts); YAML_FUZZ_RUNS=100000 for a long run (100,000 each passed when this was written). */
const RUNS = Number(process.env.YAML_FUZZ_RUNS ?? propertyRuns(60, 600));

const str = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS, ...CONTROL), maxLength: 4 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => a + b) },
);
const key = fc.oneof(
  { weight: 8, arbitrary: str },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1020), 'x'.repeat(1022), 'x'.repeat(1025), '"'.repeat(1023)) },
);
const scalar = fc.oneof(
  { weight: 20, arbitrary: str },
  { weight: 6, arbitrary: fc.integer({ min: -100000, max: 100000 }) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1.5, -2.25, 1e21, 2 ** 53, 2 ** 60, NaN, Infinity, -Infinity, true, false, null, undefined) },
);

/** JSON-like documents of every shape cdk8s could hand to Yaml.stringify. */
const { doc } = fc.letrec<{ value: unknown; doc: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 4 }) },
  ),
  doc: fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 6 }) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: scalar },
  ),
}));

/** Every string in a value, keys included. */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); stringsOf(x, out); }
  return out;
}
function numbersOf(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbersOf(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) numbersOf(x, out);
  return out;
}

/**
 * Where cdk8s's Yaml.stringify is wrong, by name: each is a reason the synth's writer writes other
 * bytes (the round trip in test/yaml-roundtrip/ proves ours read back, and shows cdk8s's do not).
 */
const CDK8S_WRONG: Record<string, (d: unknown) => boolean> = {
  // `0o17`, `0XE`, `0B1`, `1.e_5`, `yEs`, `+.5`...: plain in cdk8s (YAML 1.1 strings), numbers or booleans to go-yaml or YAML 1.2
  'a string another reader takes for a number or a boolean is quoted': (d) => stringsOf(d).some((s) => readsAsOtherThanString(s) && Yaml.stringify({ v: s }) === `v: ${s}\n`),
  // DEL..U+009F, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF: raw in cdk8s; not allowed raw, or a line break to YAML 1.1
  'characters YAML forbids raw or YAML 1.1 breaks lines at are escaped': (d) => stringsOf(d).some((s) => /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/.test(s)),
  // cdk8s writes a multi-line double-quoted scalar over several lines, or a literal block that loses a tab or spaces
  // eslint-disable-next-line no-control-regex -- control characters are what is tested
  'a multi-line value that a literal block would not keep is one double-quoted line': (d) => stringsOf(d).some((s) => s.includes('\n') && (/[\x00-\x08\x0b-\x1f]/.test(s) || /(^|\n)\t/.test(s) || /(^|\n)[\t ]+(\n|$)/.test(s))),
  // 1e21 and 5e-7 have no decimal point (a string to YAML 1.1), -0 is written -0 (JSON has 0)
  'floats have a decimal point, -0 is 0': (d) => numbersOf(d).some((n) => !Number.isSafeInteger(n) || Object.is(n, -0)),
  // `? key` keys over 1024 characters, `<<` (a merge key to YAML 1.1), a document marker at the start of a line
  'long keys, merge keys and document markers are written so that they read back': (d) => stringsOf(d).some((s) => s.length > 1000 || s === '<<' || /^(%|---|\.\.\.)/m.test(s)),
};

describe('the synth\'s YAML writer against cdk8s\'s Yaml.stringify', () => {
  test('GIVEN generated documents THEN the bytes are cdk8s\'s wherever cdk8s is right; every difference has a name', () => {
    let same = 0;
    const named = new Map<string, number>();
    fc.assert(
      fc.property(doc, (d) => {
        if (numbersOf(d).some((n) => !Number.isFinite(n)) || stringsOf(d).some((x) => /\p{Surrogate}/u.test(x))) {
          // NaN, Infinity and lone surrogates: cdk8s writes what no reader gets back; ours is an error
          named.set('errors', (named.get('errors') ?? 0) + 1);
          expect(() => stringifyDocument(d)).toThrow(YamlValueError);
          return;
        }
        const wrong = Object.entries(CDK8S_WRONG).filter(([, applies]) => applies(d)).map(([name]) => name);
        if (wrong.length === 0) {
          expect(stringifyDocument(d)).toBe(Yaml.stringify(d));
          same++;
        } else for (const w of wrong) named.set(w, (named.get(w) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: 42 },
    );
    // THEN the comparison really ran on most documents, and each named difference occurred
    expect(same / RUNS).toBeGreaterThan(0.3);
    expect([...named.keys()].sort()).toEqual([...Object.keys(CDK8S_WRONG), 'errors'].sort());
  });

  test('GIVEN Kubernetes-shaped documents of every generated string THEN the bytes are cdk8s\'s wherever cdk8s is right', () => {
    let same = 0;
    fc.assert(
      fc.property(str, str, (k, v) => {
        const d = { metadata: { name: 'x', annotations: { [k]: v } }, spec: { args: [v, k], nested: [{ [k]: [v] }] } };
        if (Object.values(CDK8S_WRONG).some((applies) => applies(d)) || /\p{Surrogate}/u.test(k + v)) return;
        same++;
        expect(stringifyDocument(d)).toBe(Yaml.stringify(d));
      }),
      { numRuns: RUNS, seed: 7 },
    );
    expect(same / RUNS).toBeGreaterThan(0.5);
  });

  test.each([
    ['0o17', 'v: "0o17"\n', 'v: 0o17\n'],
    ['0XE', 'v: "0XE"\n', 'v: 0XE\n'],
    ['0B1', 'v: "0B1"\n', 'v: 0B1\n'],
    ['1.e_5', 'v: "1.e_5"\n', 'v: 1.e_5\n'],
    ['yEs', 'v: "yEs"\n', 'v: yEs\n'],
    ['nuLL', 'v: "nuLL"\n', 'v: nuLL\n'],
    ['-0o17', 'v: "-0o17"\n', 'v: -0o17\n'],
    ['0X1f', 'v: "0X1f"\n', 'v: 0X1f\n'],
    ['a\u2028b', 'v: "a\\Lb"\n', 'v: a\u2028b\n'],
    ['a\u0085b', 'v: "a\\Nb"\n', 'v: "a\u0085b"\n'],
    ['\u007f', 'v: "\\x7f"\n', 'v: "\u007f"\n'],
    ['\tx\ny', 'v: "\\tx\\ny"\n', 'v: |-\n  \tx\n  y\n'],
    ['a\n  \nb', 'v: "a\\n \\ \\nb"\n', 'v: |-\n  a\n    \n  b\n'],
  ])('GIVEN the string %j THEN ours is %j where cdk8s writes %j', (s, ours, cdk8s) => {
    expect(stringifyDocument({ v: s })).toBe(ours);
    expect(Yaml.stringify({ v: s })).toBe(cdk8s);
  });

  test('GIVEN floats and -0 THEN each has a decimal point (YAML 1.1 reads 5e-7 as a string) and -0 is 0', () => {
    expect(stringifyDocument({ a: 5e-7, b: 1e21, c: -0, d: 1.5 })).toBe('a: 5.0e-7\nb: 1.0e+21\nc: 0\nd: 1.5\n');
    expect(Yaml.stringify({ a: 5e-7, b: 1e21, c: -0, d: 1.5 })).toBe('a: 5e-7\nb: 1e+21\nc: -0\nd: 1.5\n');
  });

  test('fails when a value cannot be read back: NaN, Infinity, a lone surrogate, a cycle (the path names the field)', () => {
    expect(() => stringifyDocument({ spec: { replicas: NaN } })).toThrow('.spec.replicas: received NaN; expected a finite number (JSON, which Kubernetes stores, has no NaN)');
    expect(() => stringifyDocument({ spec: { x: [1, -Infinity] } })).toThrow('.spec.x[1]: received -Infinity; expected a finite number');
    expect(() => stringifyDocument({ metadata: { labels: { 'a-b': 'x\udc00' } } })).toThrow('.metadata.labels["a-b"]: received a string with a lone UTF-16 surrogate (\\udc00 at index 1)');
    const cyclic: any = { a: {} };
    cyclic.a.b = cyclic;
    expect(() => stringifyDocument(cyclic)).toThrow('.a.b: received an object that contains itself');
  });

  test('GIVEN one object at two places THEN it is written twice (no anchors and aliases, which some readers reject)', () => {
    const shared = { drop: ['ALL'] };
    expect(stringifyDocument({ a: shared, b: shared })).toBe('a:\n  drop:\n    - ALL\nb:\n  drop:\n    - ALL\n');
  });

  test('writes several documents with the separators cdk8s writes, undefined documents included', () => {
    const docs = [{ a: 1 }, undefined, { b: 'c\nd' }, { e: null }, []];
    expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
    expect(stringifyDocuments([])).toBe(Yaml.stringify());
  });

  test('writes the example app\'s manifests exactly as cdk8s does (no string there is one cdk8s gets wrong)', () => {
    const manifests = renderApp(buildExampleApp()).flatMap((c) => c.objects.map((o) => o.manifest));
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) expect(stringifyDocument(m)).toBe(Yaml.stringify(m));
    expect(stringifyDocuments(manifests)).toBe(Yaml.stringify(...manifests));
  });
});

describe('the YAML 1.1 and 1.2 scalar tests the writer carries', () => {
  test('GIVEN the installed yaml package THEN the tests written out in lib/synth/yaml.ts are exactly its tag tests (every tag but str, both schemas, in order)', () => {
    // GIVEN the tests of every default tag but str of the yaml package's YAML 1.1 and 1.2 schemas
    // (what lib/synth/yaml.ts derived from the package at load time before it carried them)
    const YAML = require('yaml');
    const STR = 'tag:yaml.org,2002:str';
    const fromPackage = ['1.1', '1.2'].flatMap((version) => {
      const schema = new YAML.Document(null, { version }).schema;
      return [...schema.tags, ...(schema.compat ?? [])].filter((t: any) => t.default && t.tag !== STR && t.test).map((t: any) => t.test as RegExp);
    });
    // THEN the writer's copies are the same regular expressions, without flags, in the same order
    expect(fromPackage.every((r) => r.flags === '')).toBe(true);
    expect(SCHEMA_TEST_SOURCES).toEqual(fromPackage.map((r) => r.source));
  });

  test('GIVEN a synth module registry THEN writing YAML does not load the yaml package', () => {
    // GIVEN a fresh module registry
    jest.isolateModules(() => {
      const loaded = () => Object.keys(require.cache).some((f) => /[\\/]node_modules[\\/]yaml[\\/]/.test(f) && !/[\\/]cdk8s[\\/]node_modules[\\/]/.test(f));
      const before = loaded();
      // WHEN the writer is loaded and writes a document
      const { stringifyDocument: write } = require('../lib/synth/yaml');
      expect(write({ a: 'yes', b: '0x1F' })).toBe('a: "yes"\nb: "0x1F"\n');
      // THEN no module of the top-level yaml package was loaded for it
      expect(loaded()).toBe(before);
    });
  });
});

describe('the shortcut for strings that start with a letter', () => {
  test('GIVEN generated strings that start with a letter THEN readsAsOtherThanString says what testing every form says', () => {
    // the letters that start a form (e, E: YAML 1.1's e5) and the words, then anything
    const head = fc.constantFrom('a', 'b', 'e', 'E', 'n', 'N', 'o', 'O', 't', 'T', 'y', 'Y', 'f', 'F', 'i', 'I', 'x', 'X', 'Z');
    const tail = fc.string({ unit: fc.constantFrom(...CHARS.filter((c) => c !== '\n'), 'e', 'E', '5', '+', 'rue', 'ull', 'es', 'ff', 'nf'), maxLength: 6 });
    const letterFirst = fc.oneof(fc.tuple(head, tail).map(([h, t]) => h + t), fc.constantFrom(...WORDS.filter((w) => /^[A-Za-z]/.test(w))));
    // a predicate, not an expect per case: fast-check reports the (shrunk) string where they differ
    fc.assert(fc.property(letterFirst, (s) => readsAsOtherThanString(s) === readsAsOtherThanStringByForms(s)), { numRuns: RUNS * 5, seed: 11 });
  });

  test('still quotes the letter-first strings that read as something else', () => {
    for (const s of ['e5', 'E+10', 'yes', 'Off', 'NULL', 'y', 'True']) expect({ s, quoted: readsAsOtherThanString(s) }).toEqual({ s, quoted: true });
    for (const s of ['nginx', 'IfNotPresent', 'e', 'eth0', 'nan', 'inf']) expect({ s, quoted: readsAsOtherThanString(s) }).toEqual({ s, quoted: readsAsOtherThanStringByForms(s) });
  });
});
