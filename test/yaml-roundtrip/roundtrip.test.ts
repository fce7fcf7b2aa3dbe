/**
 * Round trip of the synth's YAML writer (lib/synth/yaml.ts): fuzzed documents are written, read
 * back by sigs.k8s.io/yaml (test/yamlcheck: the reader of kubectl, Argo CD and Flux; all documents
 * through one Go process), by the `yaml` package as YAML 1.2 and as YAML 1.1, and each reading
 * must equal the written object. Negative control: the same harness finds cdk8s's Yaml.stringify
 * wrong (`0o17` read as 15, ...).
 *
 * YAML_ROUNDTRIP_DOCS sets the number of documents (default 6,000: over 100,000 strings).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { stringifyDocument, stringifyDocuments, YamlValueError } from '../../lib/synth/yaml';

const hasLoneSurrogate = (s: string): boolean => /\p{Surrogate}/u.test(s);
const YAMLCHECK = path.resolve(__dirname, '../../build/yamlcheck');
const DOCS = Number(process.env.YAML_ROUNDTRIP_DOCS ?? 6_000);

// every YAML indicator, whitespace, line breaks of YAML 1.1 and 1.2, controls, non-characters, BOM, unicode
const INDICATORS = ['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '\\', '<', '=', '~', '.', '+', '_'];
const SPACE = [' ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u3000'];
const CONTROLS = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\x7f', '\x80', '\x85', '\x9f', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\u200b'];
const LETTERS = ['a', 'b', 'e', 'E', 'x', 'X', 'o', 'O', 'y', 'n', 'Z', '0', '1', '7', '9', 'é', 'ß', '中', '😀', '\u{1F1E6}\u{1F1E8}', '\u{10FFFF}'];
const LONE = ['\ud800', '\udfff'];
const WORDS = [
  '', ' ', '  ', 'true', 'True', 'TRUE', 'tRuE', 'false', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'nO',
  'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'oFf', 'null', 'Null', 'NULL', 'nUll', '~', '<<', '=',
  '0', '-0', '+0', '00', '007', '08', '0o17', '0O17', '0o8', '0x1F', '0XE', '0xg', '0b101', '0B1', '0b2', '-0b1', '+0x_1', '1_000', '_1', '1__',
  '1.', '.5', '+.5', '-.5', '1.e_5', '1e5', '1E+5', '1.5e-3', '1e', 'e5', '0x1p3', '0x1.8p1', '1_0.5',
  '.inf', '.Inf', '.INF', '+.inf', '-.inf', '-Inf', '+inf', 'inf', 'Infinity', '-infinity', '.nan', '.NaN', 'nan', 'NaN', '+nan',
  '1:20', '190:20:30', '190:20:30.15', '-1:00', '1:2:3', '12:61', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10',
  '2001-1-2', '2001-12-14T21:59:43Z', '---', '...', '--- a', '... b', '%YAML 1.2', '- ', '- a', '? a', ': a', 'a: b', 'a:b', 'a #b', 'a# b', '#x',
  'nginx:1.27.5', '/usr/share/nginx/html', '64Mi', '100m', '0.5', '1.27', 'v1', 'IfNotPresent', '*.example.com', '&a', '!tag', '@x', '`x`',
];

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LETTERS) },
  { weight: 4, arbitrary: fc.constantFrom(...INDICATORS) },
  { weight: 3, arbitrary: fc.constantFrom(...SPACE) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTROLS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((s) => !hasLoneSurrogate(s)) },
);
const str = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 4, arbitrary: fc.string({ unit, maxLength: 10 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...WORDS, ...SPACE), fc.constantFrom(...WORDS), fc.constantFrom('', ...SPACE, '\n\n', ' \n', '\t\n', '\n ')).map(([a, b, c]) => a + b + c) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit, maxLength: 4 })), { minLength: 2, maxLength: 5 }).map((parts) => parts.join('\n')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !hasLoneSurrogate(s)) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1030), `${'é'.repeat(600)}:`) },
);
const scalar = fc.oneof(
  { weight: 12, arbitrary: str },
  { weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -2.25, 1e21, 5e-7, 1.5e300, -0, 2 ** 53 - 1, true, false, null) },
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(str, tie('value'), { maxKeys: 4 }) },
  ),
}));
/** A Kubernetes-shaped document carrying fuzzed strings where Kubernetes has strings. */
const lone = fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...LONE).map((s) => `a${s}b`) });
const doc = fc.tuple(fc.dictionary(str, str, { maxKeys: 4 }), fc.dictionary(str, str, { maxKeys: 4 }), fc.array(str, { maxLength: 4 }), value, lone)
  .map(([labels, annotations, args, extra, l]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels, annotations }, data: { args, extra, ...(l === undefined ? {} : { lone: l }) } }));

/** Every string in a value, keys included. */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); stringsOf(x, out); }
  return out;
}

/** Reads each document with sigs.k8s.io/yaml in one Go process; returns its JSON or its error. */
function readWithGo(docs: readonly string[]): Array<{ json?: unknown; error?: string }> {
  const r = spawnSync(YAMLCHECK, [], { input: docs.map((d) => JSON.stringify(d)).join('\n') + '\n', maxBuffer: 1 << 30, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`yamlcheck failed (build it: bash scripts/build-yamlcheck.sh): ${r.stderr ?? r.error}`);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(docs.length);
  return lines.map((l) => JSON.parse(l));
}

/** The object as JSON holds it (what Kubernetes stores: -0 is 0, and so on), keys sorted (Go's JSON sorts them). */
function asJson(v: unknown): unknown {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as any)[k])]));
    return x;
  };
  return sort(JSON.parse(JSON.stringify(v)));
}

interface Difference { reader: string; written: string; read: string }

/** Writes each document with `write` and reads it back with every reader; returns the differences. */
function roundTrip(objects: readonly unknown[], write: (o: unknown) => string): Difference[] {
  const texts = objects.map(write);
  const go = readWithGo(texts);
  const diffs: Difference[] = [];
  objects.forEach((o, i) => {
    const want = JSON.stringify(asJson(o));
    const readers: Array<[string, () => unknown]> = [
      ['sigs.k8s.io/yaml', () => { if (go[i].error) throw new Error(go[i].error); return go[i].json; }],
      ['yaml 1.2', () => YAML.parse(texts[i], { version: '1.2', uniqueKeys: false })],
      ['yaml 1.1', () => YAML.parse(texts[i], { version: '1.1', uniqueKeys: false })],
    ];
    for (const [reader, read] of readers) {
      let got: string;
      try {
        got = JSON.stringify(asJson(read()));
      } catch (e) {
        got = `error: ${(e as Error).message}`;
      }
      if (got !== want) diffs.push({ reader, written: texts[i], read: got });
    }
  });
  return diffs;
}

describe('YAML round trip through sigs.k8s.io/yaml and yaml', () => {
  const samples = fc.sample(doc, { numRuns: DOCS, seed: 20261201 });
  const writable = samples.filter((d) => !stringsOf(d).some(hasLoneSurrogate));

  test(`GIVEN ${DOCS} fuzzed documents WHEN written by the synth's writer THEN every reader reads back exactly the object written (0 differences, over 100,000 strings)`, () => {
    const strings = writable.flatMap((d) => stringsOf(d));
    const diffs = roundTrip(writable, stringifyDocument);
    const distinct = new Set(strings);

    console.log(`yaml round trip: ${writable.length} documents, ${strings.length} strings (${distinct.size} distinct), ${diffs.length} differences`);
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(strings.length).toBeGreaterThanOrEqual(DOCS >= 6_000 ? 100_000 : 0);
    // the fuzz reached what it is meant to reach
    const reached = (re: RegExp): boolean => strings.some((s) => re.test(s));
    // eslint-disable-next-line no-control-regex -- control characters are what is tested
    for (const re of [/^0o17$/, /^0XE$/, /^0B1$/, /^1\.e_5$/, /^yEs$/, /\u2028/, /\u0085/, /\r/, /\t/, / $/, /\n$/, /\n\t/, /^~$/, /^1:20$/, /\x00/, /\ufeff/, /[\u{10000}-\u{10FFFF}]/u]) {
      expect([re.source, reached(re)]).toEqual([re.source, true]);
    }
  }, 300_000);

  test('GIVEN the documents written five to a file THEN only the separators start a line with a document marker (kubectl splits files on such lines), and yaml reads each document back', () => {
    for (let i = 0; i + 5 <= Math.min(writable.length, 5000); i += 5) {
      const docs = writable.slice(i, i + 5);
      const text = stringifyDocuments(docs);
      // k8s.io/apimachinery's YAMLReader: a line starting with "---" then only spaces or a comment ends a document
      const markers = text.split('\n').filter((l) => /^(---|\.\.\.)([ \t]*(#.*)?)$/.test(l)).length;
      expect(markers).toBe(4);
      expect(YAML.parseAllDocuments(text).map((d) => JSON.stringify(asJson(d.toJS())))).toEqual(docs.map((d) => JSON.stringify(asJson(d))));
    }
  }, 300_000);

  test('GIVEN documents with a lone surrogate WHEN written THEN the writer refuses each, naming the field (UTF-8 cannot hold it)', () => {
    const bad = samples.filter((d) => stringsOf(d).some(hasLoneSurrogate));
    expect(bad.length).toBeGreaterThan(10);
    for (const d of bad) expect(() => stringifyDocument(d)).toThrow(YamlValueError);
    expect(() => stringifyDocument({ metadata: { annotations: { a: 'x\ud800' } } })).toThrow('.metadata.annotations.a: received a string with a lone UTF-16 surrogate (\\ud800 at index 1); expected well-formed Unicode');
  });

  test('negative control: the same harness finds cdk8s\'s Yaml.stringify wrong, 0o17 among them', () => {
    const diffs = roundTrip(writable.slice(0, 3000), (o) => Yaml.stringify(o));

    console.log(`negative control: cdk8s Yaml.stringify, 3000 documents, ${diffs.length} differences`);
    expect(diffs.length).toBeGreaterThan(50);
    const one = roundTrip([{ v: '0o17' }], (o) => Yaml.stringify(o));
    expect(one).toEqual([
      { reader: 'sigs.k8s.io/yaml', written: 'v: 0o17\n', read: '{"v":15}' },
      { reader: 'yaml 1.2', written: 'v: 0o17\n', read: '{"v":15}' },
    ]);
    // and ours reads back
    expect(roundTrip([{ v: '0o17' }], stringifyDocument)).toEqual([]);
  }, 300_000);
});
