/**
 * The validation rule table: every rule a prop or a rendered pod is checked against, with the
 * words a user sees when it fails. Constructs and pod-wide checks call `check()` with a rule from
 * this table; nothing else in the library writes its own validation message.
 */
import type { Duration, Size } from 'cdk8s';
import { PortProtocol } from './port-protocol';

/** One validation rule: a predicate and a description of what would be valid. */
export interface Rule<T = unknown> {
  /** Returns true when the value is valid. */
  readonly test: (value: T) => boolean;
  /** What a valid value looks like, as shown after "expected". */
  readonly expected: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** A Kubernetes resource quantity (binary SI, decimal SI or decimal exponent suffixes). */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
/** An image reference: [registry[:port]/]path[:tag][@digest]. */
const IMAGE_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

const isInt = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Splits an image reference into name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  return { name: colon > slash ? rest.slice(0, colon) : rest, tag, digest };
}

const BINARY_SUFFIX_BITS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * Parses a Kubernetes quantity into a number of base units (cores or bytes); undefined if invalid.
 * The amount is rounded once, correctly (the decimal text is read by `Number` with the suffix as
 * its exponent; binary suffixes scale exactly), so one amount written differently ("972m",
 * "0.972", "972000000n"; "1Gi", "1024Mi", "0.5Gi") always gives the same number and a larger
 * amount never gives a smaller one: comparing requests with limits has no rounding surprises.
 */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (QUANTITIES.has(q)) return QUANTITIES.get(q);
  const n = parseQuantityText(q);
  if (QUANTITIES.size >= MAX_QUANTITIES) QUANTITIES.clear();
  QUANTITIES.set(q, n);
  return n;
}

/** Quantities parsed so far (a few distinct texts each read for many containers); bounded. */
const QUANTITIES = new Map<string, number | undefined>();
const MAX_QUANTITIES = 10_000;

function parseQuantityText(q: string): number | undefined {
  if (!QUANTITY.test(q)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(q)!;
  const suffix = m[2];
  if (suffix in BINARY_SUFFIX_BITS) return Number(m[1]) * 2 ** BINARY_SUFFIX_BITS[suffix];
  const exponent = suffix in DECIMAL_SUFFIX_EXPONENT ? DECIMAL_SUFFIX_EXPONENT[suffix] : Number(suffix.slice(1));
  return Number(`${m[1]}e${exponent}`);
}

/** The largest emptyDir size limit a rule accepts: 1Ti, in MiB. */
const MAX_SIZE_LIMIT_MIB = 1024 * 1024;

/**
 * An emptyDir size limit (a positive whole number of mebibytes or gibibytes up to 1Ti, such as
 * "64Mi" or "1Gi") in bytes; undefined for anything else. The one parser of this format:
 * `RULES.sizeLimit` accepts what it parses.
 */
export function sizeLimitBytes(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^[1-9]\d{0,7}(Mi|Gi)$/.test(v)) return undefined;
  const bytes = parseQuantity(v)!;
  return bytes <= MAX_SIZE_LIMIT_MIB * 2 ** 20 ? bytes : undefined;
}

/** The rule table. Keys are stable; messages are part of the documented error table (docs/errors.md). */
export const RULES = {
  dnsLabel: {
    test: (v: unknown) => typeof v === 'string' && v.length <= 63 && DNS1123_LABEL.test(v),
    expected: 'a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
  } as Rule,
  dnsSubdomain: {
    test: (v: unknown) => typeof v === 'string' && v.length <= 253 && DNS1123_SUBDOMAIN.test(v),
    expected: 'a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit',
  } as Rule,
  portName: {
    test: (v: unknown) => typeof v === 'string' && v.length <= 15 && IANA_SVC_NAME.test(v),
    expected: 'an IANA service name: 1-15 lowercase letters, digits or "-", with at least one letter, no "--", not starting or ending with "-"',
  } as Rule,
  port: {
    test: (v: unknown) => isInt(v, 1, 65535),
    expected: 'an integer port number from 1 to 65535',
  } as Rule,
  protocol: {
    test: (v: unknown) => (Object.values(PortProtocol) as unknown[]).includes(v),
    expected: `one of ${Object.values(PortProtocol).map((p) => JSON.stringify(p)).join(', ')}`,
  } as Rule,
  absolutePath: {
    test: (v: unknown) => typeof v === 'string' && v.startsWith('/') && !v.split('/').includes('..') && !v.includes(':'),
    expected: 'an absolute path starting with "/", without ".." segments or ":"',
  } as Rule,
  image: {
    test: (v: unknown) => typeof v === 'string' && v.length > 0 && IMAGE_REF.test(v),
    expected: 'an image reference such as "nginx:1.27.5" or "registry.example.com/team/app@sha256:<digest>"',
  } as Rule,
  pinnedImage: {
    test: (v: unknown) => {
      if (typeof v !== 'string') return false;
      const { tag, digest } = parseImage(v);
      return digest !== undefined || (tag !== undefined && tag !== 'latest');
    },
    expected: 'a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")',
  } as Rule,
  quantity: {
    test: (v: unknown) => (typeof v === 'string' || typeof v === 'number') && parseQuantity(v) !== undefined && parseQuantity(v)! >= 0,
    expected: 'a non-negative Kubernetes quantity such as "100m", "0.5", "64Mi" or "1Gi"',
  } as Rule,
  sizeLimit: {
    test: (v: unknown) => sizeLimitBytes(v) !== undefined,
    expected: 'a positive whole number of mebibytes or gibibytes up to 1Ti, such as "64Mi" or "1Gi"',
  } as Rule,
  envName: {
    test: (v: unknown) => typeof v === 'string' && ENV_VAR_NAME.test(v),
    expected: 'a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit',
  } as Rule,
  labelKey: {
    test: (v: unknown) => {
      if (typeof v !== 'string') return false;
      const slash = v.lastIndexOf('/');
      const prefix = slash >= 0 ? v.slice(0, slash) : undefined;
      const name = slash >= 0 ? v.slice(slash + 1) : v;
      if (prefix !== undefined && !(prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix))) return false;
      return name.length <= 63 && LABEL_NAME.test(name);
    },
    expected: 'a label key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  } as Rule,
  labelValue: {
    test: (v: unknown) => typeof v === 'string' && (v === '' || (v.length <= 63 && LABEL_NAME.test(v))),
    expected: 'a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  } as Rule,
  nonEmptyList: {
    test: (v: unknown) => Array.isArray(v) && v.length > 0,
    expected: 'a non-empty list',
  } as Rule,
  nonEmptyString: {
    test: (v: unknown) => typeof v === 'string' && v.trim().length > 0,
    expected: 'a non-empty string',
  } as Rule,
  nonNegativeInt: {
    test: (v: unknown) => isInt(v, 0, 2 ** 31 - 1),
    expected: 'a non-negative integer',
  } as Rule,
  userId: {
    test: (v: unknown) => isInt(v, 0, 2 ** 31 - 1),
    expected: 'a numeric user or group id from 0 to 2147483647',
  } as Rule,
  capability: {
    test: (v: unknown) => typeof v === 'string' && /^[A-Z][A-Z_]*$/.test(v) && !v.startsWith('CAP_'),
    expected: 'a Linux capability name without the "CAP_" prefix, in upper case (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")',
  } as Rule,
  knownCapability: {
    test: (v: unknown) => typeof v === 'string' && (v === 'ALL' || LINUX_CAPABILITIES.includes(v)),
    expected: 'a Linux capability (capabilities(7)): "ALL" or one of "AUDIT_CONTROL", "AUDIT_READ", ..., "WAKE_ALARM" (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")',
  } as Rule,
  notRoot: {
    test: (v: unknown) => typeof v === 'string' && normalizePath(v) !== '/',
    expected: 'a directory other than "/" (a volume mounted over "/" would hide the container\'s whole filesystem)',
  } as Rule,
} as const;

export type RuleId = keyof typeof RULES;

/** An array or an object literal (from any realm), not a class instance. */
function isPlainData(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Renders a received value for an error message, as it was received: NaN and Infinity as
 * themselves (JSON would say null), functions, symbols and class instances by what they are.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (value !== null && typeof value === 'object' && !isPlainData(value)) return `a ${Object.getPrototypeOf(value).constructor?.name ?? 'object'}`;
  const marks: string[] = [];
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_k, v) => {
      if ((typeof v === 'number' && !Number.isFinite(v)) || v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
        marks.push(show(v));
        return `\u0000${marks.length - 1}\u0000`;
      }
      if (v !== null && typeof v === 'object' && v !== value && !isPlainData(v)) {
        marks.push(`a ${Object.getPrototypeOf(v).constructor?.name ?? 'object'}`);
        return `\u0000${marks.length - 1}\u0000`;
      }
      return v;
    });
  } catch {
    return 'an object that contains itself';
  }
  return (text ?? String(value)).replace(/"\\u0000(\d+)\\u0000"/g, (_m, i) => marks[Number(i)]);
}

/** A path as the kernel resolves it for a mount: "//" and "/./" collapsed, no trailing "/" (`/data/./html//` is `/data/html`). */
export function normalizePath(p: string): string {
  let n = NORMALIZED.get(p);
  if (n === undefined) {
    n = `/${p.split('/').filter((s) => s !== '' && s !== '.').join('/')}`;
    if (NORMALIZED.size >= MAX_NORMALIZED) NORMALIZED.clear();
    NORMALIZED.set(p, n);
  }
  return n;
}

/** Paths normalized so far (the same few mount paths in every pod); bounded. */
const NORMALIZED = new Map<string, string>();
const MAX_NORMALIZED = 10_000;

/** The Linux capabilities (capabilities(7), Linux 6.x), as Kubernetes names them (without CAP_). */
export const LINUX_CAPABILITIES: readonly string[] = [
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN', 'DAC_OVERRIDE',
  'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN',
  'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE',
  'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'SYSLOG', 'WAKE_ALARM',
];

/**
 * The runtime type a prop must have, for callers without a type checker (JavaScript, config
 * files): checked once per construct, before any other check, so a wrong type is a props error
 * (path, prop, value as received, expected) and never a TypeError from inside the library.
 */
export type PropType =
  | 'string' | 'number' | 'boolean' | 'any' | 'json'
  | { readonly list: PropType }
  | { readonly map: PropType }
  | { readonly shape: PropShape }
  | { readonly oneOf: readonly unknown[] }
  | { readonly anyOf: readonly PropType[] }
  | {
    /** What an instance is, in words ("a UrlRule (UrlRule.exact, ...)"). */
    readonly instance: string;
    /** Whether a value is one. */
    readonly test: (v: unknown) => boolean;
    /** The same in the plural, for lists of them (default: `instance` without its article, plus "s"). */
    readonly plural?: string;
    /** The types of the instance's fields, checked once `test` passes (what a factory stored from an untyped caller). */
    readonly fields?: PropShape;
  };
/** Props by name; `required` ones must be present; `'*'` gives the type of every prop not named. */
export type PropShape = Readonly<Record<string, PropType | { readonly required: PropType }>>;

/** Marks a prop as required in a {@link PropShape}. */
export function required(t: PropType): { readonly required: PropType } {
  return { required: t };
}

function withKeys(shape: PropShape): string {
  const keys = Object.entries(shape).filter(([k]) => k !== '*').filter(([, spec]) => typeof spec === 'object' && 'required' in spec).map(([k]) => k);
  return keys.length > 0 ? ` with ${keys.join(', ')}` : '';
}

/** A prop type in the plural, for lists and maps of it. */
function plural(t: PropType): string {
  if (t === 'any') return 'values';
  if (t === 'json') return 'JSON values';
  if (t === 'number') return 'finite numbers';
  if (typeof t === 'string') return `${t}s`;
  if ('list' in t) return `lists of ${plural(t.list)}`;
  if ('map' in t) return `maps of ${plural(t.map)}`;
  if ('shape' in t) return `objects${withKeys(t.shape)}`;
  if ('anyOf' in t) return t.anyOf.map(plural).join(' or ');
  if ('oneOf' in t) return `values among ${t.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  return t.plural ?? `${t.instance.replace(/^an? /, '')}s`;
}

/** What a prop type accepts, in words. */
export function describeType(t: PropType): string {
  if (t === 'any') return 'any value';
  if (t === 'json') return 'JSON data (strings, finite numbers, booleans, null, lists and plain objects of them)';
  if (t === 'number') return 'a finite number';
  if (t === 'boolean') return 'a boolean (true or false)';
  if (typeof t === 'string') return `a ${t}`;
  if ('list' in t) return `a list of ${plural(t.list)}`;
  if ('map' in t) return `a map of ${plural(t.map)}`;
  if ('shape' in t) return `an object${withKeys(t.shape)}`;
  if ('oneOf' in t) return `one of ${t.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('anyOf' in t) return t.anyOf.map(describeType).join(' or ');
  return t.instance;
}

function isJson(v: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || !isPlainData(v)) return false;
  // an object without a prototype cannot be rendered by cdk8s (sanitizeValue reads its constructor's name)
  if (!Array.isArray(v) && Object.getPrototypeOf(v) === null) return false;
  return Object.values(v).every((x) => isJson(x, depth + 1));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether `v` has type `t` (deeply); records one problem per wrong value under `prop`. */
export function checkType(problems: Problems, prop: string, v: unknown, t: PropType): boolean {
  const fail = (): boolean => {
    problems.add(prop, v, describeType(t));
    return false;
  };
  if (t === 'any') return true;
  if (t === 'json') return isJson(v) || fail();
  if (t === 'string') return typeof v === 'string' || fail();
  if (t === 'number') return (typeof v === 'number' && Number.isFinite(v)) || fail();
  if (t === 'boolean') return typeof v === 'boolean' || fail();
  if ('list' in t) {
    if (!Array.isArray(v)) return fail();
    // a list of words none of which is one (`[1]`, `[null]`) is named as a whole; else the wrong item
    if (typeof t.list === 'string' && v.length > 0 && v.every((x) => !checkType(new Problems(), prop, x, t.list))) return fail();
    let ok = true;
    for (let i = 0; i < v.length; i++) ok = checkType(problems, `${prop}[${i}]`, v[i], t.list) && ok;
    return ok;
  }
  if ('map' in t) {
    if (!isPlainObject(v)) return fail();
    let ok = true;
    for (const [k, x] of Object.entries(v)) ok = checkType(problems, `${prop}[${JSON.stringify(k)}]`, x, t.map) && ok;
    return ok;
  }
  if ('shape' in t) return isPlainObject(v) ? checkShape(problems, prop, v, t.shape) : fail();
  if ('oneOf' in t) return t.oneOf.includes(v) || fail();
  if ('anyOf' in t) {
    for (const option of t.anyOf) {
      if (checkType(new Problems(), prop, v, option)) return true;
    }
    // a value of the right kind for one option: report that option's own problems
    const near = t.anyOf.find((o) => typeof o === 'object' && 'shape' in o && isPlainObject(v));
    if (near) return checkType(problems, prop, v, near);
    return fail();
  }
  if (!t.test(v)) return fail();
  return t.fields === undefined || checkShape(problems, prop, v as Record<string, unknown>, t.fields);
}

/** A shape's fields, in order, as checkShape walks them (shapes are constants: read once each). */
interface ShapeField {
  readonly name: string;
  readonly type: PropType;
  readonly isRequired: boolean;
}
const SHAPE_FIELDS = new WeakMap<PropShape, readonly ShapeField[]>();

function fieldsOf(shape: PropShape): readonly ShapeField[] {
  let fields = SHAPE_FIELDS.get(shape);
  if (fields === undefined) {
    fields = Object.entries(shape).filter(([name]) => name !== '*').map(([name, spec]) => {
      const isRequired = typeof spec === 'object' && 'required' in spec;
      return { name, type: isRequired ? (spec as { required: PropType }).required : (spec as PropType), isRequired };
    });
    SHAPE_FIELDS.set(shape, fields);
  }
  return fields;
}

/** Checks each prop of `shape` in `props` (props not in the shape are not checked here). */
export function checkShape(problems: Problems, prefix: string, props: Record<string, unknown>, shape: PropShape): boolean {
  let ok = true;
  const rest = shape['*'] as PropType | undefined;
  if (rest !== undefined) {
    for (const [name, v] of Object.entries(props)) {
      if (!(name in shape) && v !== undefined) ok = checkType(problems, prefix ? `${prefix}.${name}` : name, v, rest) && ok;
    }
  }
  const fields = fieldsOf(shape);
  for (let i = 0; i < fields.length; i++) {
    const { name, type: t, isRequired } = fields[i];
    const v = props[name];
    if (v === undefined) {
      if (isRequired) {
        problems.add(prefix ? `${prefix}.${name}` : name, undefined, `${describeType(t)} (required)`);
        ok = false;
      }
      continue;
    }
    ok = checkType(problems, prefix ? `${prefix}.${name}` : name, v, t) && ok;
  }
  return ok;
}

/**
 * Checks the runtime types of a construct's props before anything else reads them; throws a
 * {@link PropsError} naming `path` and every prop of the wrong type.
 */
export function assertPropTypes(path: string, props: unknown, shape: PropShape, optional = false): void {
  const problems = new Problems();
  if (props === undefined && optional) return;
  if (!isPlainObject(props)) problems.add('props', props, describeType({ shape }));
  else checkShape(problems, '', props, shape);
  problems.throwIfAny(path);
}

/**
 * Whether a value is a cdk8s Size: duck-typed on the method the library reads, so that a Size of
 * another copy of cdk8s (or a jsii proxy), which is no `instanceof` this one's, is accepted too.
 */
export function isSize(value: unknown): value is Size {
  return typeof (value as { toKibibytes?: unknown } | null | undefined)?.toKibibytes === 'function';
}

/**
 * Whether a value is a cdk8s Duration: duck-typed on the methods the library reads, so that a
 * Duration of another copy of cdk8s (or a jsii proxy) is accepted too.
 */
export function isDuration(value: unknown): value is Duration {
  const d = value as { toMilliseconds?: unknown; toSeconds?: unknown } | null | undefined;
  return typeof d?.toMilliseconds === 'function' && typeof d?.toSeconds === 'function';
}

/** Formats one problem: the prop, the value received and what would be valid. */
export function problem(prop: string, value: unknown, expected: string): string {
  return `${prop}: received ${show(value)}; expected ${expected}`;
}

/**
 * Collects the problems of one construct's props, so that all of them are reported together.
 */
/** What replaces a removed prop, given the value an untyped caller still passed. */
export type RemovedProps = Readonly<Record<string, (value: unknown) => string>>;

/**
 * Records a problem for each removed prop present in `props` (untyped callers only: typed ones
 * cannot pass them), its expected text built by `expected` from what replaces it.
 */
export function checkRemovedProps(problems: Problems, props: object, removed: RemovedProps, expected: (instead: string) => string): void {
  const keys = Object.keys(removed);
  for (let i = 0; i < keys.length; i++) {
    const prop = keys[i];
    const v = (props as Record<string, unknown>)[prop];
    if (v !== undefined) problems.add(prop, v, expected(removed[prop](v)));
  }
}

export class Problems {
  private readonly list: string[] = [];

  /** Checks a value against a rule; records a problem when it fails. Returns whether it passed. */
  public check(prop: string, value: unknown, rule: Rule<any>): boolean {
    if (rule.test(value)) return true;
    this.list.push(problem(prop, value, rule.expected));
    return false;
  }

  /** Records a problem that no single rule describes (combinations of props). */
  public add(prop: string, value: unknown, expected: string): void {
    this.list.push(problem(prop, value, expected));
  }

  /** The problems recorded so far. */
  public get messages(): readonly string[] {
    return this.list;
  }

  /** Throws a {@link PropsError} naming the construct path when any problem was recorded. */
  public throwIfAny(path: string): void {
    if (this.list.length > 0) throw new PropsError(path, this.list);
  }
}

/**
 * Thrown by a construct whose props are invalid: names the construct path and every bad prop.
 * TypeScript only (jsii cannot subclass `Error`); in every language, `Patterns.isPropsError(message)`
 * tells this error from a synth error by its message.
 */
class PropsErrorClass extends Error {
  /**
   * @param constructPath The path of the construct whose props are invalid (e.g. `chart/pod`).
   * @param problems One line per bad prop: `<prop>: received <value>; expected <what is valid>`.
   */
  constructor(public readonly constructPath: string, public readonly problems: string[]) {
    super(`[${constructPath}] invalid props:\n  ${problems.join('\n  ')}`);
    this.name = 'PropsError';
  }
}

/**
 * The class of the errors a construct throws for invalid props (see the class above). Exported as a
 * value and a type rather than as a class declaration: jsii cannot express a subclass of `Error`.
 */
export const PropsError = PropsErrorClass;
/** An error a construct throws for invalid props. */
export type PropsError = PropsErrorClass;
