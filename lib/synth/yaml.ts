/**
 * The YAML writer of the synth: YAML that every reader Kubernetes tooling uses reads back as the
 * object that was written — `sigs.k8s.io/yaml` (go-yaml, used by kubectl, Argo CD and Flux), a
 * YAML 1.1 reader and a YAML 1.2 core reader (the `yaml` package).
 *
 * Where cdk8s's `Yaml.stringify` (the `yaml` package with `{ keepUndefined: true, lineWidth: 0,
 * version: '1.1' }`) is right, the bytes are its bytes: block style, sequences indented under
 * their key, plain scalars unless quoting is needed, the same quotes, literal blocks with the
 * same chomping and indentation indicators. Where it is wrong, this writer differs, on purpose
 * (each difference is a test in test/synth-yaml.test.ts, the round trip is
 * test/yaml-roundtrip/, `npm run test:yaml-roundtrip`):
 *
 * - strings another reader takes as something else are quoted: YAML 1.2 and Go integers
 *   (`0o17`, `0XE`, `0B1`, `+0x_1`), floats Go reads (`1.e_5`, `1e5`, `+.5`, `-Inf`, `nan`),
 *   the YAML 1.1 booleans `y`/`n`/`yes`/`no`/`on`/`off`/`true`/`false` in every case, null
 *   words in every case, sexagesimal numbers (`1:20`), dates, `<<` and `=`;
 * - characters YAML does not allow raw, or that a YAML 1.1 reader takes as a line break
 *   (U+0085, U+2028, U+2029), are escaped in double quotes (cdk8s writes DEL..U+009F, U+2028 and
 *   U+2029 raw), as are U+FEFF and the non-characters U+FFFE, U+FFFF;
 * - a multi-line value goes into a literal block only when the block reads back exactly: with a
 *   line that starts with a tab, a line of only spaces or tabs, a carriage return or a character
 *   that needs an escape, it is a double-quoted one-line string with `\n` escapes instead;
 * - floats carry a decimal point (`5.0e-7`, not `5e-7`, which a YAML 1.1 reader takes as a
 *   string); `-0` is written `0`; an object seen twice is written twice (no anchors and aliases);
 * - what no reader can get back is an error, not silently changed output: a lone UTF-16
 *   surrogate (UTF-8 cannot hold it), NaN and ±Infinity (JSON, which Kubernetes stores, cannot),
 *   functions, symbols and cycles.
 */

/** A value the writer cannot write so that it reads back as it is; `path` is a JSON path in the document. */
export class YamlValueError extends Error {
  public constructor(public readonly path: string, public readonly problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'YamlValueError';
  }
}

// `yaml`'s own tests (src/stringify/stringifyString.ts), which keep cdk8s's bytes where they are right.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** Words that some YAML 1.1 or 1.2 reader resolves to a boolean, a null or a special key (compared lower-cased). */
const WORDS = new Set([
  '', '~', 'null', 'true', 'false', 'y', 'n', 'yes', 'no', 'on', 'off', '<<', '=',
  '.inf', '+.inf', '-.inf', '.nan', '+.nan', '-.nan',
]);
// Numbers, as Go's strconv (which go-yaml calls after removing every "_"), YAML 1.1 and YAML 1.2 read them.
const INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const HEX_FLOAT = /^[-+]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^([-+]\.?|\.)(inf|infinity|nan)$/i;
// YAML 1.1's and 1.2's own forms, as the `yaml` package's schemas resolve them (`0b_`, `+.`, `e0`
// in YAML 1.1, ...): the tests of every tag but str of both schemas, in the order the schemas list
// them. Written out so that a synth does not load the `yaml` package (~12 ms); test/synth-yaml.test.ts
// checks that they are exactly the installed package's (SCHEMA_TEST_SOURCES).
/** The sources of {@link SCHEMA_TESTS}: `yaml`'s YAML 1.1 tag tests, then its YAML 1.2 (core) ones. */
export const SCHEMA_TEST_SOURCES: readonly string[] = [
  '^(?:~|[Nn]ull|NULL)?$',
  '^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$',
  '^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$',
  '^[-+]?0b[0-1_]+$',
  '^[-+]?0[0-7_]+$',
  '^[-+]?[0-9][0-9_]*$',
  '^[-+]?0x[0-9a-fA-F_]+$',
  '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
  '^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$',
  '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$',
  '^<<$',
  '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$',
  '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$',
  '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$',
  '^(?:~|[Nn]ull|NULL)?$',
  '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$',
  '^0o[0-7]+$',
  '^[-+]?[0-9]+$',
  '^0x[0-9a-fA-F]+$',
  '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$',
];
const SCHEMA_TESTS: RegExp[] = SCHEMA_TEST_SOURCES.map((s) => new RegExp(s));
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;
const DATE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

/**
 * A first character that starts none of the forms below but the words: a letter, but `e` and `E`
 * (YAML 1.1 reads `e5` as a float). Most strings of a manifest start so (names, images, kinds).
 */
const LETTER_START = /^[A-DF-Za-df-z]/;

/** Whether a YAML 1.1 or 1.2 reader (or go-yaml) could read the plain scalar `s` as anything but the string `s`. */
export function readsAsOtherThanString(s: string): boolean {
  if (WORDS.has(s.toLowerCase())) return true;
  if (LETTER_START.test(s)) return false;
  return readsAsOtherThanStringByForms(s);
}

/** {@link readsAsOtherThanString} without the shortcut for a first letter: every form tested. */
export function readsAsOtherThanStringByForms(s: string): boolean {
  if (WORDS.has(s.toLowerCase())) return true;
  const t = s.replace(/_/g, '');
  return INT.test(t) || FLOAT.test(t) || SCHEMA_TESTS.some((re) => re.test(s)) || HEX_FLOAT.test(t) || SPECIAL_FLOAT.test(t) || SEXAGESIMAL.test(s) || DATE.test(s);
}

/** Whether the code point may stand raw in any scalar (YAML's printable set, less what YAML 1.1 takes as a line break). */
function isSafe(cp: number): boolean {
  if (cp >= 0x20 && cp <= 0x7e) return true;
  if (cp < 0xa0) return false; // C0 and C1 controls, DEL, U+0085 (NEL)
  if (cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp === 0xfffe || cp === 0xffff) return false;
  return true;
}

/** Throws for a lone surrogate; returns whether `s` has a character that must be escaped (tab and newline aside). */
function needsEscape(s: string, at: string): boolean {
  let escape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      throw new YamlValueError(at, `received a string with a lone UTF-16 surrogate (\\u${c.toString(16)} at index ${i}); expected well-formed Unicode (UTF-8, which the file is, cannot hold it)`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new YamlValueError(at, `received a string with a lone UTF-16 surrogate (\\u${c.toString(16)} at index ${i}); expected well-formed Unicode (UTF-8, which the file is, cannot hold it)`);
    if (c === 0x09 || c === 0x0a) continue;
    if (!isSafe(c)) escape = true;
  }
  return escape;
}

const NAMED_ESCAPES: Record<number, string> = {
  0x00: '\\0', 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e',
  0x22: '\\"', 0x5c: '\\\\', 0x85: '\\N', 0x2028: '\\L', 0x2029: '\\P',
};

/** A double-quoted scalar on one line: every character outside the safe set escaped (as `yaml` names them). */
function doubleQuoted(s: string): string {
  let out = '"';
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    i += ch.length;
    const named = NAMED_ESCAPES[cp];
    if (named !== undefined) out += named;
    else if (cp === 0x20 && s[i] === '\n') out += '\\ '; // as `yaml` escapes a space before a line break
    else if (isSafe(cp)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** Rendered single-line scalars by string (the same for keys and values); bounded. */
const SCALARS = new Map<string, string>();
const MAX_CACHED = 100_000;

/** A string without line breaks, plain when every reader reads it back as this string, else quoted. */
function lineScalar(value: string, at: string): string {
  const cached = SCALARS.get(value);
  if (cached !== undefined) return cached;
  let s: string;
  if (needsEscape(value, at) || value.includes('\n')) s = doubleQuoted(value);
  else if (NOT_PLAIN.test(value) || DOCUMENT_MARKER.test(value) || readsAsOtherThanString(value)) s = quoted(value);
  else s = value;
  if (SCALARS.size >= MAX_CACHED) SCALARS.clear();
  SCALARS.set(value, s);
  return s;
}

/** `yaml`'s choice of quotes for a single line without characters to escape. */
function quoted(value: string): string {
  // single quotes only when the value has double quotes and no single ones
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return doubleQuoted(value);
}

/** Whether a literal block reads back exactly as `value` (else it is written double-quoted). */
function blockReadsBack(value: string): boolean {
  if (/\n[\t ]+$/.test(value)) return false;
  for (const line of value.split('\n')) {
    if (line.startsWith('\t')) return false;
    if (line.length > 0 && /^[\t ]+$/.test(line)) return false;
  }
  return true;
}

/** `yaml`'s literal block scalar (lineWidth 0 never folds) for a multi-line value that reads back as it is. */
function blockScalar(value: string, indent: string): string {
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) chomp = '+';
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  // the indentation indicator counts from the parent's indentation (the document's is -1)
  const header = (startWithSpace ? (indent ? '2' : '1') : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** A number as every reader reads it back (JSON's number), or an error for what JSON cannot hold. */
function numberScalar(v: number, at: string): string {
  if (!Number.isFinite(v)) throw new YamlValueError(at, `received ${v}; expected a finite number (JSON, which Kubernetes stores, has no ${v})`);
  if (Object.is(v, -0)) return '0';
  const s = String(v);
  if (Number.isInteger(v) && !s.includes('e')) return s;
  // a float with a decimal point, which YAML 1.1 needs to read it as a float
  const [mantissa, exponent] = s.split('e');
  return exponent === undefined ? s : `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent}`;
}

function childPath(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

/** Where the writer is in the document: the keys and indexes from the root, made into a JSON path only for an error. */
class Where {
  private readonly keys: Array<string | number> = [];

  public enter(key: string | number): void {
    this.keys.push(key);
  }

  public leave(): void {
    this.keys.pop();
  }

  /** The JSON path of the value being written (`''` for the document itself). */
  public get path(): string {
    let at = '';
    for (const k of this.keys) at = childPath(at, k);
    return at;
  }
}

/** A string without line breaks, plain when every reader reads it back as this string, else quoted (errors at `where`). */
function lineScalarAt(value: string, where: Where): string {
  const cached = SCALARS.get(value);
  return cached !== undefined ? cached : lineScalar(value, where.path);
}

class Writer {
  /** The document written so far. */
  public readonly out: string[] = [];
  /** The objects being written (a cycle could not end), outermost first. */
  private readonly open: object[] = [];
  private readonly where = new Where();

  /** Appends a value at `indent` (the context indentation `yaml` gives it). */
  public value(v: unknown, indent: string): void {
    switch (typeof v) {
      case 'string':
        this.out.push(v.includes('\n') && !needsEscape(v, this.where.path) && blockReadsBack(v) ? blockScalar(v, indent) : lineScalarAt(v, this.where));
        return;
      case 'number':
        this.out.push(Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) < 1e21 ? String(v) : numberScalar(v, this.where.path));
        return;
      case 'bigint':
        this.out.push(String(v));
        return;
      case 'boolean':
        this.out.push(v ? 'true' : 'false');
        return;
      case 'undefined':
        this.out.push('null'); // as cdk8s writes it (keepUndefined)
        return;
      case 'object': {
        if (v === null) {
          this.out.push('null');
          return;
        }
        if (typeof (v as any).toJSON === 'function') {
          this.value((v as any).toJSON(), indent);
          return;
        }
        if (this.open.includes(v)) throw new YamlValueError(this.where.path, 'received an object that contains itself; expected a tree (a Kubernetes object is JSON)');
        this.open.push(v);
        if (Array.isArray(v)) this.seq(v, indent);
        else this.map(v as Record<string, unknown>, indent);
        this.open.pop();
        return;
      }
      default:
        throw new YamlValueError(this.where.path, `received a ${typeof v}; expected JSON data (string, number, boolean, null, list, map)`);
    }
  }

  private map(obj: Record<string, unknown>, indent: string): void {
    const keys = Object.keys(obj);
    if (keys.length === 0) {
      this.out.push('{}');
      return;
    }
    const inner = indent + '  ';
    const where = this.where;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = obj[k];
      where.enter(k);
      const key = lineScalarAt(k, where);
      const lead = i === 0 ? '' : `\n${indent}`;
      // a non-empty collection starts on the next line; scalars and {} / [] follow the colon
      const colon = isNonEmptyCollection(v) ? `:\n${inner}` : ': ';
      // YAML limits implicit keys to 1024 characters: a longer one is an explicit "? key"
      this.out.push(key.length > 1024 ? `${lead}? ${key}\n${indent}${colon}` : `${lead}${key}${colon}`);
      this.value(v, inner);
      where.leave();
    }
  }

  private seq(arr: unknown[], indent: string): void {
    if (arr.length === 0) {
      this.out.push('[]');
      return;
    }
    const inner = indent + '  ';
    const where = this.where;
    for (let i = 0; i < arr.length; i++) {
      this.out.push(i === 0 ? '- ' : `\n${indent}- `);
      where.enter(i);
      this.value(arr[i], inner);
      where.leave();
    }
  }
}

function isNonEmptyCollection(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (typeof (v as any).toJSON === 'function') return isNonEmptyCollection((v as any).toJSON());
  if (Array.isArray(v)) return v.length > 0;
  for (const _ in v) return true;
  return false;
}

/** One document; throws a {@link YamlValueError} for a value no reader could get back. */
export function stringifyDocument(doc: unknown): string {
  if (doc === undefined) return '\n'; // an empty document, as cdk8s writes it
  const w = new Writer();
  w.value(doc, '');
  w.out.push('\n');
  return w.out.join('');
}

/** Documents separated by `---`, as `Yaml.stringify(...docs)` separates them (an undefined document is an empty line). */
export function stringifyDocuments(docs: readonly unknown[]): string {
  return docs.map(stringifyDocument).join('---\n');
}
