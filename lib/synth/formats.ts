/**
 * The formats of the Kubernetes schemas (int32, int64, byte, date-time, ...), as ajv format
 * definitions. A module of its own because the precompiled validators (lib/synth/validator-cache.ts)
 * `require` it: ajv's standalone code refers to each format by the module that exports it.
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -9223372036854775808; // -2^63, exact as a double
const INT64_LIMIT = 9223372036854775808; // 2^63: int64 values are below it
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 60 && offsetOk;
}

/** What each known format means, for error messages. */
export const FORMAT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'int32': `a 32-bit integer (${INT32_MIN} to ${INT32_MAX})`,
  'int64': 'a 64-bit integer (-2^63 to 2^63-1)',
  'double': 'a finite number',
  'float': 'a finite number',
  'byte': 'base64-encoded data',
  'date-time': 'an RFC 3339 date-time such as "2024-01-31T12:00:00Z"',
  'date': 'an RFC 3339 date such as "2024-01-31"',
};

/** An ajv format definition (the shape `ajv.addFormat` takes). */
export type FormatDefinition = true | { readonly type: 'number' | 'string'; readonly validate: (x: any) => boolean };

/**
 * The known formats. A format the schemas use that is not here (a newer schema) is accepted
 * rather than breaking validation: {@link formatOf} gives `true` for it.
 */
export const FORMATS: Readonly<Record<string, FormatDefinition>> = {
  'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX },
  'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT64_MIN && n < INT64_LIMIT },
  'double': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  'float': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  // Go's base64 decoder (what the API server uses for []byte) skips line breaks.
  'byte': { type: 'string', validate: (s: string) => BASE64.test(s.replace(/[\r\n]/g, '')) },
  'date-time': { type: 'string', validate: isDateTime },
  'date': { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isDateTime(`${s}T00:00:00Z`) },
};

/** The definition of a format by name: a known one, or `true` (accept) for one this module does not know. */
export function formatOf(name: string): FormatDefinition {
  return Object.hasOwn(FORMATS, name) ? FORMATS[name] : true;
}
