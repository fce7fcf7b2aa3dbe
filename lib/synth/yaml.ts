/**
 * A fast YAML writer that produces exactly the bytes of cdk8s's `Yaml.stringify` (the `yaml`
 * package with `{ keepUndefined: true, lineWidth: 0, version: '1.1' }`), which spends most of a
 * plain synth building and walking a node tree per document.
 *
 * It writes the block style that `yaml` writes for plain JSON data: maps and sequences
 * (sequences indented under their key, empty ones as `{}`/`[]`), keys and strings plain unless
 * the string would read back as something else or contains a YAML indicator (then quoted the way
 * `yaml` quotes it), multi-line strings as literal blocks with the same chomping and indentation
 * indicators, safe integers and booleans. A document with anything else (null, undefined,
 * floats, control characters, keys over 1024 characters, objects that are not plain, the same
 * object twice, which `yaml` writes as an anchor and alias...) is handed to `Yaml.stringify`
 * whole, so the output is identical in every case; test/synth-yaml.test.ts proves it with
 * generated documents built from every case `yaml` distinguishes.
 */
import * as path from 'path';
import { Yaml } from 'cdk8s';

/** The `yaml` package cdk8s itself loads (its own copy when it has one), and its version. */
const CDK8S_DIR = path.dirname(require.resolve('cdk8s'));
const YAML = require(require.resolve('yaml', { paths: [CDK8S_DIR] }));
const YAML_VERSION: string | undefined = (() => {
  try {
    return require(require.resolve('yaml/package.json', { paths: [CDK8S_DIR] })).version;
  } catch {
    return undefined; // a yaml that does not export its package.json: not one proven here
  }
})();

/** The `yaml` versions whose output this writer has been proven to reproduce byte for byte. */
export const PROVEN_YAML_VERSIONS: readonly string[] = ['2.9.1'];

/** Whether the fast path is on: only for a `yaml` version it was proven against. */
export const FAST_YAML = YAML_VERSION !== undefined && PROVEN_YAML_VERSIONS.includes(YAML_VERSION);

// The YAML 1.1 tags (bool, int, float, null, timestamp, ...) whose plain form a string must not
// take, exactly as `yaml` tests them before writing a string plain.
const STR = 'tag:yaml.org,2002:str';
const SCHEMA = new YAML.Document(null, { version: '1.1' }).schema;
const OTHER_TYPES: RegExp[] = [...SCHEMA.tags, ...(SCHEMA.compat ?? [])]
  .filter((t: any) => t.default && t.tag !== STR && t.test)
  .map((t: any) => t.test);
// Tags other than str that claim a JS string when `yaml` picks how to write it (the 1.1 merge
// key `<<`, written by the merge tag): such strings are left to `yaml`.
const CLAIMING: Array<(v: unknown) => boolean> = SCHEMA.tags
  .filter((t: any) => t.tag !== STR && typeof t.identify === 'function')
  .map((t: any) => t.identify);

// `yaml`'s own tests (src/stringify/stringifyString.ts).
// eslint-disable-next-line no-control-regex -- control characters are exactly what forces double quotes
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** Rendered single-line scalars by string (the same for keys and values); bounded. */
const SCALARS = new Map<string, string | null>();
const MAX_CACHED = 100_000;

/** A single-line string as `yaml` writes it (plain or quoted); null when only `yaml` may write it. */
function lineScalar(value: string): string | null {
  let s = SCALARS.get(value);
  if (s !== undefined) return s;
  if (FORCE_DOUBLE.test(value) || CLAIMING.some((identify) => identify(value))) s = null;
  else if (NOT_PLAIN.test(value)) s = quoted(value);
  else if (DOCUMENT_MARKER.test(value)) s = null;
  else if (OTHER_TYPES.some((re) => re.test(value))) s = quoted(value);
  else s = value;
  if (SCALARS.size >= MAX_CACHED) SCALARS.clear();
  SCALARS.set(value, s);
  return s;
}

/** `yaml`'s quotedString for a single line without control characters. */
function quoted(value: string): string {
  // single quotes only when the value has double quotes and no single ones
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  // double-quoted: JSON's escapes (\" \\ \t) are YAML's too
  return JSON.stringify(value);
}

/** `yaml`'s literal block scalar (lineWidth 0 never folds) for a multi-line value; null when `yaml` would quote it. */
function blockScalar(value: string, indent: string): string | null {
  if (FORCE_DOUBLE.test(value) || CLAIMING.some((identify) => identify(value)) || /\n[\t ]+$/.test(value)) return null;
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
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** Thrown inside the writer when a document needs `yaml` itself. */
const FALLBACK = Symbol('fallback');

class Writer {
  /** The document written so far. */
  public readonly out: string[] = [];
  /** Objects already written in this document (`yaml` would alias a second occurrence). */
  private readonly seen = new Set<object>();

  /** Appends a value at `indent` (the context indentation `yaml` gives it). */
  public value(v: unknown, indent: string): void {
    switch (typeof v) {
      case 'string': {
        const s = v.includes('\n') ? blockScalar(v, indent) : lineScalar(v);
        if (s === null) throw FALLBACK;
        this.out.push(s);
        return;
      }
      case 'number':
        if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw FALLBACK;
        this.out.push(String(v));
        return;
      case 'boolean':
        this.out.push(v ? 'true' : 'false');
        return;
      case 'object':
        if (v === null || this.seen.has(v)) throw FALLBACK;
        this.seen.add(v);
        if (Array.isArray(v)) {
          if (Object.getPrototypeOf(v) !== Array.prototype) throw FALLBACK;
          this.seq(v, indent);
        } else {
          const proto = Object.getPrototypeOf(v);
          if ((proto !== Object.prototype && proto !== null) || typeof (v as any).toJSON === 'function') throw FALLBACK;
          this.map(v as Record<string, unknown>, indent);
        }
        return;
      default:
        throw FALLBACK;
    }
  }

  private map(obj: Record<string, unknown>, indent: string): void {
    const keys = Object.keys(obj);
    if (keys.length === 0) {
      this.out.push('{}');
      return;
    }
    const inner = indent + '  ';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = obj[k];
      if (v === undefined || v === null) throw FALLBACK; // kept as null, or "? key" when all are
      const key = k.includes('\n') ? null : lineScalar(k);
      if (key === null || key.length > 1024) throw FALLBACK;
      // a non-empty collection starts on the next line; scalars and {} / [] follow the colon
      this.out.push((i === 0 ? key : `\n${indent}${key}`) + (isNonEmptyCollection(v) ? `:\n${inner}` : ': '));
      this.value(v, inner);
    }
  }

  private seq(arr: unknown[], indent: string): void {
    if (arr.length === 0) {
      this.out.push('[]');
      return;
    }
    const inner = indent + '  ';
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (v === undefined) throw FALLBACK; // holes and undefined become null
      this.out.push(i === 0 ? '- ' : `\n${indent}- `);
      this.value(v, inner);
    }
  }
}

function isNonEmptyCollection(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  for (const _ in v) return true;
  return false;
}

/**
 * One document written by the fast path, or undefined when it holds something only `yaml` may
 * write (whatever the `yaml` version).
 */
export function fastDocument(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object') return undefined;
  try {
    const w = new Writer();
    w.value(doc, '');
    w.out.push('\n');
    return w.out.join('');
  } catch (e) {
    if (e !== FALLBACK) throw e;
    return undefined;
  }
}

/** One document as `Yaml.stringify(doc)` writes it. */
export function stringifyDocument(doc: unknown): string {
  return (FAST_YAML ? fastDocument(doc) : undefined) ?? Yaml.stringify(doc);
}

/** Documents as `Yaml.stringify(...docs)` writes them: each document, separated by `---`. */
export function stringifyDocuments(docs: readonly unknown[]): string {
  return docs.map((d) => (d === undefined ? '\n' : stringifyDocument(d))).join('---\n');
}
