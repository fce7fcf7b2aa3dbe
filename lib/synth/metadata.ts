/**
 * Every object's metadata checked as the kube-apiserver checks it before it stores the object
 * (k8s.io/apimachinery/pkg/api/validation ObjectMeta, and the per-kind name rules of
 * k8s.io/kubernetes/pkg/apis/.../validation), for the user's own objects too: a name the API
 * server would refuse fails synth, naming the construct path, the field and the rule.
 *
 * - names: DNS-1123 subdomain for most kinds; DNS-1035 label for Services; DNS-1123 label for
 *   Namespaces; path segment names for RBAC kinds; CronJobs at most 52 characters (the Job names
 *   the controller makes append 11); Jobs at most 63 (the Job's name is a label value of its pods);
 *   `generateName` within its limit (the API server appends 5 characters);
 * - the namespace: a DNS-1123 label;
 * - labels (keys and values) and annotation keys, and the annotations' total size (256 KiB), on
 *   the object and on pod templates; selector labels;
 * - ConfigMap and Secret data keys (`[-._a-zA-Z0-9]+`, at most 253, not "." or "..", not both in
 *   data and binaryData) and their total size (1 MiB).
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set
 */
import { RULES, show } from '../_pod/rules';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** The annotations' total size limit (key and value bytes), as the API server counts it. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;
/** The data size limit of a ConfigMap or Secret. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

interface NameRule {
  readonly test: (name: string) => boolean;
  readonly expected: string;
}

const SUBDOMAIN: NameRule = {
  test: (n) => n.length <= 253 && DNS1123_SUBDOMAIN.test(n),
  expected: 'a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit',
};
const DNS_LABEL: NameRule = {
  test: (n) => n.length <= 63 && DNS1123_LABEL.test(n),
  expected: 'a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
};
const DNS1035: NameRule = {
  test: (n) => n.length <= 63 && DNS1035_LABEL.test(n),
  expected: 'a DNS-1035 label: 1-63 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit',
};
const PATH_SEGMENT: NameRule = {
  test: (n) => n.length > 0 && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('%'),
  expected: 'a path segment name: not "." or "..", without "/" or "%"',
};
const limited = (rule: NameRule, max: number, why: string): NameRule => ({
  test: (n) => rule.test(n) && n.length <= max,
  expected: `${rule.expected}, and at most ${max} characters (${why})`,
});

/** The name rule of a kind, as the API server validates it. */
function nameRule(kind: string): NameRule {
  switch (kind) {
    case 'Service': return DNS1035;
    case 'Namespace': return DNS_LABEL;
    case 'CronJob': return limited(SUBDOMAIN, 52, 'the CronJob controller appends 11 characters to name its Jobs');
    case 'Job': return limited(SUBDOMAIN, 63, 'the Job\'s name is the value of its pods\' job-name label');
    case 'Role': case 'ClusterRole': case 'RoleBinding': case 'ClusterRoleBinding': return PATH_SEGMENT;
    default: return SUBDOMAIN;
  }
}

function checkLabels(labels: unknown, field: string, out: string[]): void {
  if (labels === undefined || labels === null || typeof labels !== 'object') return; // the schema reports a wrong type
  // keys by index (in checkAnnotations too): for-of and destructuring allocate per entry until a function is optimized
  const keys = Object.keys(labels);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = (labels as Record<string, unknown>)[k];
    if (!RULES.labelKey.test(k)) out.push(`${field}: received ${show(k)}; expected ${RULES.labelKey.expected}`);
    if (typeof v === 'string' && !RULES.labelValue.test(v)) out.push(`${field}[${JSON.stringify(k)}]: received ${show(v)}; expected ${RULES.labelValue.expected}`);
  }
}

function checkAnnotations(annotations: unknown, field: string, out: string[]): void {
  if (annotations === undefined || annotations === null || typeof annotations !== 'object') return;
  let bound = 0; // 3 bytes per UTF-16 unit at most: the exact UTF-8 size is counted only past the limit
  const keys = Object.keys(annotations);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = (annotations as Record<string, unknown>)[k];
    // annotation keys follow the label key rule (a qualified name with an optional prefix)
    if (!RULES.labelKey.test(k)) out.push(`${field}: received ${show(k)}; expected an annotation key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`);
    bound += 3 * (k.length + (typeof v === 'string' ? v.length : 0));
  }
  if (bound <= MAX_ANNOTATIONS_BYTES) return;
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  if (total > MAX_ANNOTATIONS_BYTES) out.push(`${field}: received ${total} bytes of keys and values; expected at most ${MAX_ANNOTATIONS_BYTES} (256 KiB), the API server's limit for all annotations of an object`);
}

/** The pod templates of a manifest, with their field paths. */
function templatesOf(m: any): Array<{ at: string; metadata: any }> {
  const out: Array<{ at: string; metadata: any }> = [];
  if (m?.spec?.template?.metadata) out.push({ at: 'spec.template.metadata', metadata: m.spec.template.metadata });
  if (m?.spec?.jobTemplate?.metadata) out.push({ at: 'spec.jobTemplate.metadata', metadata: m.spec.jobTemplate.metadata });
  if (m?.spec?.jobTemplate?.spec?.template?.metadata) out.push({ at: 'spec.jobTemplate.spec.template.metadata', metadata: m.spec.jobTemplate.spec.template.metadata });
  return out;
}

function checkDataKeys(m: any, out: string[]): void {
  const seen = new Map<string, string>();
  // the UTF-8 size of a string: bounded (3 bytes per UTF-16 unit) until the bound passes the limit
  let exact = false;
  const size = (v: string): number => (exact ? Buffer.byteLength(v) : 3 * v.length);
  let total = 0;
  for (const field of m.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData']) {
    const data = m[field];
    if (data === undefined || data === null || typeof data !== 'object') continue;
    for (const [k, v] of Object.entries(data)) {
      if (!(k.length <= 253 && CONFIG_KEY.test(k) && k !== '.' && k !== '..' && !k.startsWith('..'))) {
        out.push(`${field}: received ${show(k)}; expected a ${m.kind} key: at most 253 letters, digits, "-", "_" or ".", not "." or ".." and not starting with ".."`);
      }
      const other = seen.get(k);
      if (other !== undefined && !(m.kind === 'Secret')) out.push(`${field}[${JSON.stringify(k)}]: received a key also in ${other}; expected each key in only one of data and binaryData`);
      seen.set(k, field);
      if (typeof v === 'string') total += size(k) + (field === 'data' && m.kind === 'Secret' ? Math.floor((v.length * 3) / 4) : field === 'binaryData' ? Math.floor((v.length * 3) / 4) : size(v));
    }
  }
  if (!exact && total > MAX_CONFIG_BYTES) {
    // over the limit at 3 bytes per UTF-16 unit: counted again, exactly
    exact = true;
    total = 0;
    for (const field of m.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData']) {
      const data = m[field];
      if (data === undefined || data === null || typeof data !== 'object') continue;
      for (const [k, v] of Object.entries(data)) {
        if (typeof v === 'string') total += size(k) + (field === 'data' && m.kind === 'Secret' ? Math.floor((v.length * 3) / 4) : field === 'binaryData' ? Math.floor((v.length * 3) / 4) : size(v));
      }
    }
  }
  if (total > MAX_CONFIG_BYTES) out.push(`data: received ${total} bytes; expected at most ${MAX_CONFIG_BYTES} (1 MiB), the API server's limit for a ${m.kind}`);
}

/**
 * The metadata problems of one rendered manifest, each `<field>: received <value>; expected
 * <rule>`. `generated` says the name came from the construct path (cdk8s's generated names); a
 * function is asked only when the name is wrong (working it out hashes the path).
 */
export function checkMetadata(m: any, generated: boolean | (() => boolean)): string[] {
  const out: string[] = [];
  const md = m?.metadata;
  if (md === null || typeof md !== 'object') return out; // the schema reports it
  const kind = String(m.kind);
  const rule = nameRule(kind);
  if (typeof md.name === 'string') {
    if (!rule.test(md.name)) {
      const hint = (typeof generated === 'function' ? generated() : generated) ? '; the name is generated from the construct path: give the chart and constructs ids of lowercase letters, digits and "-" (or set metadata.name)' : '';
      out.push(`metadata.name: received ${show(md.name)}; expected ${rule.expected} (the API server's rule for a ${kind}'s name)${hint}`);
    }
  } else if (typeof md.generateName === 'string') {
    // the API server appends 5 random characters; the result must pass the name rule
    if (!rule.test(`${md.generateName}abcde`)) out.push(`metadata.generateName: received ${show(md.generateName)}; expected a prefix that, with the 5 characters the API server appends, is ${rule.expected}`);
  }
  if (typeof md.namespace === 'string' && !DNS_LABEL.test(md.namespace)) out.push(`metadata.namespace: received ${show(md.namespace)}; expected ${DNS_LABEL.expected}`);
  checkLabels(md.labels, 'metadata.labels', out);
  checkAnnotations(md.annotations, 'metadata.annotations', out);
  for (const t of templatesOf(m)) {
    checkLabels(t.metadata.labels, `${t.at}.labels`, out);
    checkAnnotations(t.metadata.annotations, `${t.at}.annotations`, out);
  }
  const selector = m?.spec?.selector;
  if (selector && typeof selector === 'object') {
    checkLabels(kind === 'Service' ? selector : selector.matchLabels, kind === 'Service' ? 'spec.selector' : 'spec.selector.matchLabels', out);
  }
  if (kind === 'ConfigMap' || kind === 'Secret') checkDataKeys(m, out);
  return out;
}
