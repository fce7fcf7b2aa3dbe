/**
 * The njs module of an {@link HttpCompatAdapter}: the JSON body rules of every URL rule as data,
 * and the functions nginx calls (`js_set` for the request body and content type,
 * `js_header_filter` and `js_body_filter` for the response). Written for njs 0.7.9 (Debian 12's
 * libnginx-mod-http-js) and later (the official nginx images ship 0.8/0.9): `var`, plain
 * functions, no optional chaining, no `??`.
 */

/** A JSON body rule as the njs module reads it. */
export interface NjsJsonRule {
  /** `move`, `drop` or `default`. */
  readonly op: 'move' | 'drop' | 'default';
  /** The field, as segments. */
  readonly path: readonly string[];
  /** Where a moved field goes. */
  readonly to?: readonly string[];
  /** The default value. */
  readonly value?: unknown;
}

/** What the njs module knows of one URL rule (keyed by the rule's index in `$adapter_rule`). */
export interface NjsRule {
  /** Rules on the request body. */
  readonly req: readonly NjsJsonRule[];
  /** Rules on 2xx JSON response bodies. */
  readonly res: readonly NjsJsonRule[];
  /** The legacy content type, if any. */
  readonly legacy?: string;
}

/** The functions nginx calls, exported by the module (the name each `js_*` directive uses). */
export const NJS_FUNCTIONS = {
  requestBody: 'requestBody',
  requestContentType: 'requestContentType',
  responseHeaders: 'responseHeaders',
  responseBody: 'responseBody',
} as const;

const RUNTIME = `
function ruleOf(r) {
  var i = r.variables.adapter_rule;
  return (i !== undefined && i !== '' && RULES.hasOwnProperty(i)) ? RULES[i] : undefined;
}

function mediaType(ct) {
  return ct ? String(ct).split(';')[0].trim().toLowerCase() : '';
}

function isJson(ct) {
  var t = mediaType(ct);
  return t === 'application/json' || /^application\\/[a-z0-9.+-]*\\+json$/.test(t);
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/* The object holding the last segment of path, created on the way when create is true. */
function parentOf(o, path, create) {
  var cur = o;
  for (var i = 0; i < path.length - 1; i++) {
    var k = path[i];
    if (!Object.prototype.hasOwnProperty.call(cur, k)) {
      if (!create) return undefined;
      cur[k] = {};
    }
    cur = cur[k];
    if (!isObject(cur)) return undefined;
  }
  return cur;
}

function applyOne(o, rule) {
  var p = parentOf(o, rule.path, rule.op === 'default');
  var last = rule.path[rule.path.length - 1];
  if (p === undefined) return;
  var has = Object.prototype.hasOwnProperty.call(p, last);
  if (rule.op === 'drop') {
    if (has) delete p[last];
  } else if (rule.op === 'default') {
    if (!has) p[last] = JSON.parse(JSON.stringify(rule.value));
  } else if (has) {
    var v = p[last];
    var q = parentOf(o, rule.to, true);
    if (q === undefined) return;
    delete p[last];
    q[rule.to[rule.to.length - 1]] = v;
  }
}

/* A JSON object (or a list of them) with the rules applied; any other text unchanged. */
function mapText(text, rules) {
  var o;
  try {
    o = JSON.parse(text);
  } catch (e) {
    return text;
  }
  var items = Array.isArray(o) ? o : [o];
  var changed = false;
  for (var i = 0; i < items.length; i++) {
    if (!isObject(items[i])) continue;
    for (var j = 0; j < rules.length; j++) applyOne(items[i], rules[j]);
    changed = true;
  }
  return changed ? JSON.stringify(o) : text;
}

/* js_set $adapter_request_body: the request body with the rule's request rules applied. */
function requestBody(r) {
  var text = r.requestText;
  if (text === undefined || text === null) return '';
  var rule = ruleOf(r);
  if (!rule || rule.req.length === 0) return text;
  var ct = r.headersIn['Content-Type'];
  if (!(isJson(ct) || (rule.legacy && mediaType(ct) === rule.legacy))) return text;
  return mapText(text, rule.req);
}

/* js_set $adapter_request_content_type: application/json for the legacy type,
   else as sent. */
function requestContentType(r) {
  var ct = r.headersIn['Content-Type'];
  if (ct === undefined) return '';
  var rule = ruleOf(r);
  if (rule && rule.legacy && mediaType(ct) === rule.legacy) {
    return String(ct).replace(/^[^;]*/, 'application/json');
  }
  return ct;
}

/* js_header_filter: marks 2xx JSON responses for the body filter;
   maps the content type back. */
function responseHeaders(r) {
  var rule = ruleOf(r);
  if (!rule || r.status < 200 || r.status > 299) return;
  var ct = r.headersOut['Content-Type'];
  if (!isJson(ct)) return;
  if (rule.res.length > 0) {
    r.variables.adapter_response_mapped = '1';
    delete r.headersOut['Content-Length'];
  }
  if (rule.legacy && mediaType(ct) === 'application/json') {
    r.headersOut['Content-Type'] = rule.legacy;
  }
}

var chunks = [];
var size = 0;
var passing = false;

/* js_body_filter: buffers a marked response up to LIMIT bytes, then sends it mapped;
   a larger one passes unchanged. */
function responseBody(r, data, flags) {
  if (r.variables.adapter_response_mapped !== '1' || passing) {
    r.sendBuffer(data, flags);
    return;
  }
  chunks.push(data);
  size += data.length;
  if (size > LIMIT) {
    passing = true;
    r.sendBuffer(Buffer.concat(chunks), flags);
    chunks = [];
    return;
  }
  if (flags.last) {
    var rule = ruleOf(r);
    r.sendBuffer(mapText(Buffer.concat(chunks).toString(), rule.res), flags);
    chunks = [];
  }
}

export default {
  requestBody: requestBody,
  requestContentType: requestContentType,
  responseHeaders: responseHeaders,
  responseBody: responseBody,
};
`;

/** The rules as a JavaScript literal, one body operation per line (readable, and short lines). */
function formatRules(rules: Readonly<Record<string, NjsRule>>): string {
  const keys = Object.keys(rules);
  if (keys.length === 0) return '{}';
  const rule = (r: NjsRule) => Object.entries(r).map(([field, value]) => (Array.isArray(value) && value.length > 0
    ? `    ${JSON.stringify(field)}: [\n${value.map((op) => `      ${JSON.stringify(op)}`).join(',\n')}\n    ]`
    : `    ${JSON.stringify(field)}: ${JSON.stringify(value)}`)).join(',\n');
  return `{\n${keys.map((k) => `  ${JSON.stringify(k)}: {\n${rule(rules[k])}\n  }`).join(',\n')}\n}`;
}

/** Renders the njs module: the rules as data, the body limit, and the runtime. */
export function renderNjsModule(rules: Readonly<Record<string, NjsRule>>, limitBytes: number): string {
  return [
    '// Generated by cdk8s-pod-patterns HttpCompatAdapter from its props:',
    '// change the props, not this file.',
    '// JSON body rules per URL rule (the index nginx sets in $adapter_rule).',
    `var RULES = ${formatRules(rules)};`,
    '// Largest body (bytes) the adapter buffers to map; larger responses pass unchanged.',
    `var LIMIT = ${limitBytes};`,
    RUNTIME,
  ].join('\n');
}
