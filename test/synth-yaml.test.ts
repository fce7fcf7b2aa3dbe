import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { buildExampleApp } from '../lib/charts';
import { renderApp } from '../lib/synth/collect';
import { FAST_YAML, fastDocument, stringifyDocument, stringifyDocuments } from '../lib/synth/yaml';

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

/** Generated cases per property (YAML_FUZZ_RUNS=100000 for a deep run; 100,000 each passed when this was written). */
const RUNS = Number(process.env.YAML_FUZZ_RUNS ?? 600);

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

describe('the fast YAML writer', () => {
  test('is on for the yaml version cdk8s loads', () => {
    // GIVEN the pinned dependencies THEN the fast path is active (else synth silently slows down)
    expect(FAST_YAML).toBe(true);
  });

  test('writes every generated document exactly as cdk8s Yaml.stringify does', () => {
    let fast = 0;
    let total = 0;
    fc.assert(
      fc.property(doc, (d) => {
        total++;
        const mine = fastDocument(d);
        if (mine !== undefined) {
          fast++;
          expect(mine).toBe(Yaml.stringify(d));
        }
        expect(stringifyDocument(d)).toBe(Yaml.stringify(d));
      }),
      { numRuns: RUNS, seed: 42 },
    );
    // THEN the fast path really ran on a large share of them, not only the fallback
    expect(fast / total).toBeGreaterThan(0.2);
  });

  test('writes plain-string documents of every generated string exactly as cdk8s does', () => {
    let fast = 0;
    fc.assert(
      fc.property(str, str, (k, v) => {
        const d = { metadata: { name: 'x', annotations: { [k]: v } }, spec: { args: [v, k], nested: [{ [k]: [v] }] } };
        const mine = fastDocument(d);
        if (mine !== undefined) fast++;
        expect(mine ?? stringifyDocument(d)).toBe(Yaml.stringify(d));
      }),
      { numRuns: RUNS, seed: 7 },
    );
    expect(fast / RUNS).toBeGreaterThan(0.6);
  });

  test('falls back to yaml for a shared object, which yaml writes as an anchor and an alias', () => {
    // GIVEN one object at two places
    const shared = { drop: ['ALL'] };
    const d = { a: shared, b: shared };
    // THEN the fast path declines and the output is yaml's, anchors included
    expect(fastDocument(d)).toBeUndefined();
    expect(stringifyDocument(d)).toBe(Yaml.stringify(d));
    expect(stringifyDocument(d)).toContain('&a1');
  });

  test('writes several documents with the separators cdk8s writes, undefined documents included', () => {
    const docs = [{ a: 1 }, undefined, { b: 'c\nd' }, { e: null }, []];
    expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
    expect(stringifyDocuments([])).toBe(Yaml.stringify());
  });

  test('writes the example app\'s manifests exactly as cdk8s does, all through the fast path', () => {
    // GIVEN the example app's rendered manifests
    const manifests = renderApp(buildExampleApp()).flatMap((c) => c.objects.map((o) => o.manifest));
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) {
      // THEN each one takes the fast path and matches
      expect(fastDocument(m)).toBe(Yaml.stringify(m));
    }
    expect(stringifyDocuments(manifests)).toBe(Yaml.stringify(...manifests));
  });
});
