/**
 * The validation rule table: every rule a prop or a rendered pod is checked against, with the
 * words a user sees when it fails. Constructs and pod-wide checks call `check()` with a rule from
 * this table; nothing else in the library writes its own validation message.
 */

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
  if (!QUANTITY.test(q)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(q)!;
  const suffix = m[2];
  if (suffix in BINARY_SUFFIX_BITS) return Number(m[1]) * 2 ** BINARY_SUFFIX_BITS[suffix];
  const exponent = suffix in DECIMAL_SUFFIX_EXPONENT ? DECIMAL_SUFFIX_EXPONENT[suffix] : Number(suffix.slice(1));
  return Number(`${m[1]}e${exponent}`);
}

/** The largest emptyDir size limit a rule accepts: 1Ti, in MiB. */
const MAX_SIZE_LIMIT_MIB = 1024 * 1024;

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
    test: (v: unknown) => v === 'TCP' || v === 'UDP' || v === 'SCTP',
    expected: 'one of "TCP", "UDP", "SCTP"',
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
    test: (v: unknown) => {
      const m = typeof v === 'string' ? /^([1-9]\d{0,7})(Mi|Gi)$/.exec(v) : null;
      return m !== null && Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1) <= MAX_SIZE_LIMIT_MIB;
    },
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
} as const;

export type RuleId = keyof typeof RULES;

/** Renders a received value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** Formats one problem: the prop, the value received and what would be valid. */
export function problem(prop: string, value: unknown, expected: string): string {
  return `${prop}: received ${show(value)}; expected ${expected}`;
}

/**
 * Collects the problems of one construct's props, so that all of them are reported together.
 */
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
