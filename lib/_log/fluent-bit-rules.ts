/** The rules of a Fluent Bit agent's own options (the shared table has none that fit). */
import { RULES } from '../_pod/rules';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const NAMED_GROUP = /\(\?<([^=!>][^>]*)>/g;

/** The rules of the agent's own props (the shared table has none that fit). */
export const FLUENT_BIT_RULES = {
  host: {
    test: (v: unknown) => typeof v === 'string' && (/^[\d.]+$/.test(v) ? IPV4.test(v) : RULES.dnsSubdomain.test(v)),
    expected: 'a DNS name (a DNS-1123 subdomain such as "fluentd.logging.svc.cluster.local") or an IPv4 address',
  },
  tagPrefix: {
    test: (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(v),
    expected: '1-32 letters, digits, "_" or "-"',
  },
  esIndex: {
    test: (v: unknown) => typeof v === 'string' && v.length <= 255 && /^[a-z0-9][a-z0-9._-]*$/.test(v),
    expected: 'an Elasticsearch index name: at most 255 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  },
  fieldName: {
    test: (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_]+$/.test(v),
    expected: 'a field name of letters, digits or "_"',
  },
  singleLine: {
    test: (v: unknown) => typeof v === 'string' && v.trim().length > 0 && !/[\r\n]/.test(v),
    expected: 'a non-empty value on one line',
  },
} as const;

/** The names of a regular expression's named groups, in order. */
export function namedGroups(regex: string): string[] {
  return [...regex.matchAll(NAMED_GROUP)].map((m) => m[1]);
}

