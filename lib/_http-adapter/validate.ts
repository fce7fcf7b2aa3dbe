/**
 * Validation of an {@link HttpCompatAdapter}'s rules, before anything is rendered: every rule is
 * well-formed, can match (no earlier rule shadows it), rewrites to a path the app serves (when
 * `appPaths` is declared), and header rules do not fight over one header. Typed callers and
 * untyped ones (plain objects from JavaScript, Python dicts) get the same clear problems.
 */
import { Problems, Rule } from '../_pod/rules';
import { NjsJsonRule, NjsRule } from './njs';
import { ResolvedHeaderRule, ResolvedUrlRule } from './nginx';
import { HeaderDirection, HeaderOperation, HeaderRule, HttpMethod, JsonOperation, JsonRule, UrlAction, UrlMatch, UrlRule } from './rules';

const oneOf = (list: readonly string[]) => `one of ${list.map((x) => JSON.stringify(x)).join(', ')}`;

/** A path as an nginx `location` and a `Location` header can carry it unquoted. */
export const URL_PATH_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^\/[A-Za-z0-9\-._~/%:@!&*+,=]*$/.test(v) && !v.includes('//'),
  expected: 'an HTTP path starting with "/", made of letters, digits and "-._~/%:@!&*+,=" (no "//", spaces, query, quotes, "$" or ";"), e.g. "/v1/users"',
};

/** A prefix rule's path: a path, not "/" and without a trailing "/". */
const PREFIX_PATH_RULE: Rule = {
  test: (v: unknown) => URL_PATH_RULE.test(v) && (v as string).length > 1 && !(v as string).endsWith('/'),
  expected: `${URL_PATH_RULE.expected.replace(', e.g. "/v1/users"', '')}, other than "/" and without a trailing "/" (a prefix matches whole segments; use unmatched for everything else), e.g. "/v1/users"`,
};

/** A regex rule's pattern. */
const REGEX_RULE: Rule = {
  test: (v: unknown) => {
    if (typeof v !== 'string' || !v.startsWith('^/') || /[\s"']/.test(v) || v.includes('\\\\')) return false;
    try {
      new RegExp(v);
      return true;
    } catch {
      return false;
    }
  },
  expected: 'a regular expression anchored at the path start ("^/"), without spaces, quotes or "\\\\", e.g. "^/v1/orders/([0-9]+)$"',
};

/** A regex rule's replacement: a path with `$1`..`$9`. */
const REPLACEMENT_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^\/([A-Za-z0-9\-._~/%:@!&*+,=]|\$[1-9])*$/.test(v),
  expected: 'a path starting with "/" made of letters, digits, "-._~/%:@!&*+,=" and the captures "$1" to "$9" (no query: the one sent is kept)',
};

/** An HTTP header name nginx can carry in its configuration. */
export const HEADER_NAME_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(v),
  expected: 'a header name: a letter, then letters, digits or "-" (at most 128), e.g. "X-Api-Version"',
};

const HEADER_VALUE_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v) && !/["\\$]/.test(v) && v.trim() === v && v.length > 0,
  expected: 'a non-empty header value of printable ASCII characters without surrounding spaces, quotes, "\\" or "$"',
};

/** Headers the adapter itself sets or that HTTP/1.1 proxying owns. */
const MANAGED_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'content-type', 'accept-encoding', 'x-forwarded-for', 'allow'];

const MEDIA_TYPE_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^[a-z0-9][a-z0-9!#&^_.+-]*\/[a-z0-9][a-z0-9!#&^_.+-]*$/.test(v) && v !== 'application/json',
  expected: 'a lowercase media type without parameters, other than "application/json", e.g. "application/vnd.acme.v1+json"',
};

const JSON_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const FORBIDDEN_SEGMENTS = ['__proto__', 'prototype', 'constructor'];
const JSON_PATH_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && v.split('.').every((s) => JSON_SEGMENT.test(s) && !FORBIDDEN_SEGMENTS.includes(s)),
  expected: 'field names joined by "." (letters, digits, "_" or "-", at most 64 each; not "__proto__", "prototype" or "constructor"), e.g. "customer.name"',
};

/** Whether `path` is `base` or below it, segment-wise. */
export function isUnder(path: string, base: string): boolean {
  return base === '/' || path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/** Whether a (possibly invalid) URL rule matches a path. */
function matchesPath(rule: unknown, path: string): boolean {
  if (!(rule instanceof UrlRule) || typeof rule.from !== 'string') return false;
  if (rule.match === UrlMatch.EXACT) return rule.from === path;
  if (rule.match === UrlMatch.PREFIX) return isUnder(path, rule.from);
  try {
    return REGEX_RULE.test(rule.from) && new RegExp(rule.from).test(path);
  } catch {
    return false;
  }
}

/** The number of capture groups of a regular expression. */
function groupCount(pattern: string): number {
  return new RegExp(`${pattern}|`).exec('')!.length - 1;
}

/** Validates the JSON rules of one direction of one URL rule. */
function checkJsonRules(problems: Problems, at: string, rules: unknown): NjsJsonRule[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) {
    problems.add(at, rules, 'a list of JsonRule (JsonRule.rename, JsonRule.move, JsonRule.drop or JsonRule.setDefault)');
    return [];
  }
  const out: NjsJsonRule[] = [];
  rules.forEach((j, i) => {
    const jat = `${at}[${i}]`;
    if (!(j instanceof JsonRule)) {
      problems.add(jat, j, 'a JsonRule (JsonRule.rename, JsonRule.move, JsonRule.drop or JsonRule.setDefault)');
      return;
    }
    if (!problems.check(`${jat}.path`, j.path, JSON_PATH_RULE)) return;
    const path = j.path.split('.');
    if (j.operation === JsonOperation.MOVE) {
      if (!problems.check(`${jat}.to`, j.to, JSON_PATH_RULE)) return;
      if (j.to === j.path || isUnder(j.to!.replace(/\./g, '/'), j.path.replace(/\./g, '/'))) {
        problems.add(`${jat}.to`, j.to, `a field other than ${JSON.stringify(j.path)} and outside it`);
        return;
      }
      out.push({ op: 'move', path, to: j.to!.split('.') });
    } else if (j.operation === JsonOperation.DROP) {
      out.push({ op: 'drop', path });
    } else {
      let text: string | undefined;
      try {
        text = JSON.stringify(j.value);
      } catch {
        text = undefined;
      }
      if (text === undefined || j.value === undefined || (typeof j.value === 'number' && !Number.isFinite(j.value))) {
        problems.add(`${jat}.value`, typeof j.value === 'number' ? String(j.value) : j.value, 'a JSON value: a string, finite number, boolean, null, list or object');
        return;
      }
      out.push({ op: 'default', path, value: JSON.parse(text) });
    }
  });
  return out;
}

/** The result of {@link checkUrlRules}. */
export interface CheckedUrlRules {
  readonly rules: ResolvedUrlRule[];
  readonly njs: Record<string, NjsRule>;
}

/** A short description of a rule, for messages about two rules. */
const describe = (r: UrlRule, i: number) => `rules[${i}] (${r.match} ${JSON.stringify(r.from)})`;

/** Validates the URL rules (`rules`) against each other and against the app's declared paths. */
export function checkUrlRules(problems: Problems, rules: unknown, appPaths: readonly string[] | undefined): CheckedUrlRules {
  const out: ResolvedUrlRule[] = [];
  const njs: Record<string, NjsRule> = {};
  if (!Array.isArray(rules)) {
    problems.add('rules', rules, 'a list of UrlRule (UrlRule.exact, UrlRule.prefix or UrlRule.regex)');
    return { rules: out, njs };
  }
  const earlier: Array<{ r: UrlRule; i: number }> = [];
  rules.forEach((r, i) => {
    const at = `rules[${i}]`;
    if (!(r instanceof UrlRule)) {
      problems.add(at, r, 'a UrlRule (UrlRule.exact, UrlRule.prefix or UrlRule.regex)');
      return;
    }
    const o = r.options ?? {};
    let ok = true;
    let groups = 0;
    if (r.match === UrlMatch.EXACT) {
      ok = problems.check(`${at}.from`, r.from, URL_PATH_RULE) && ok;
      ok = problems.check(`${at}.to`, r.to, URL_PATH_RULE) && ok;
    } else if (r.match === UrlMatch.PREFIX) {
      ok = problems.check(`${at}.from`, r.from, PREFIX_PATH_RULE) && ok;
      ok = problems.check(`${at}.to`, r.to, PREFIX_PATH_RULE) && ok;
    } else {
      ok = problems.check(`${at}.from`, r.from, REGEX_RULE) && ok;
      if (ok) groups = groupCount(r.from);
      if (problems.check(`${at}.to`, r.to, REPLACEMENT_RULE) && ok) {
        const refs = [...r.to.matchAll(/\$([1-9])/g)].map((m) => Number(m[1]));
        const over = refs.find((n) => n > groups);
        if (over !== undefined) problems.add(`${at}.to`, r.to, `captures the pattern has ($1 to $${groups}; it has ${groups} group${groups === 1 ? '' : 's'}): "$${over}" is empty`);
      }
    }
    const action = o.action ?? UrlAction.REWRITE;
    if (!Object.values(UrlAction).includes(action)) problems.add(`${at}.options.action`, action, oneOf(Object.values(UrlAction)));
    let methods: HttpMethod[] | undefined;
    if (o.methods !== undefined) {
      const all = Object.values(HttpMethod) as string[];
      if (!Array.isArray(o.methods) || o.methods.length === 0) {
        problems.add(`${at}.options.methods`, o.methods, `a non-empty list of ${oneOf(all)} (an empty list matches no request)`);
      } else {
        o.methods.forEach((m, k) => {
          if (!all.includes(m)) problems.add(`${at}.options.methods[${k}]`, m, oneOf(all));
          else if (o.methods!.indexOf(m) !== k) problems.add(`${at}.options.methods[${k}]`, m, 'a method not listed twice');
        });
        methods = [...o.methods];
      }
    }
    const req = checkJsonRules(problems, `${at}.options.requestBody`, o.requestBody);
    const res = checkJsonRules(problems, `${at}.options.responseBody`, o.responseBody);
    if (o.legacyContentType !== undefined) problems.check(`${at}.options.legacyContentType`, o.legacyContentType, MEDIA_TYPE_RULE);
    if (action !== UrlAction.REWRITE) {
      for (const key of ['requestBody', 'responseBody', 'legacyContentType'] as const) {
        if (o[key] !== undefined) problems.add(`${at}.options.${key}`, Array.isArray(o[key]) ? `${(o[key] as unknown[]).length} rules` : o[key], `unset unless action is "rewrite" (a redirected client sends its next request to the new URL itself)`);
      }
    }
    if (!ok) return;

    // Shadowing: can an earlier rule take every request this one would?
    for (const e of earlier) {
      const same = e.r.match === r.match && e.r.from === r.from;
      const shadowedPrefix = r.match === UrlMatch.PREFIX && e.r.match === UrlMatch.PREFIX && isUnder(r.from, e.r.from);
      if (same || shadowedPrefix) {
        problems.add(`${at}.from`, r.from, `a rule that can match: ${describe(e.r, e.i)} comes first and takes every path this one matches${shadowedPrefix && !same ? '; put the longer prefix first' : ''}`);
        ok = false;
        break;
      }
    }
    // A redirect to a URL it matches again loops.
    const loops = action !== UrlAction.REWRITE && ((r.match === UrlMatch.EXACT && r.to === r.from) || (r.match === UrlMatch.PREFIX && isUnder(r.to, r.from)));
    if (loops) problems.add(`${at}.to`, r.to, `a path the rule does not match itself (redirecting ${JSON.stringify(r.from)} there makes the client loop)`);
    if (!loops && appPaths !== undefined && Array.isArray(appPaths)) {
      const target = r.match === UrlMatch.REGEX ? r.to.split('$')[0] : r.to;
      const served = appPaths.some((p) => typeof p === 'string' && (isUnder(target, p) || (r.match === UrlMatch.REGEX && p.startsWith(target))));
      const list = appPaths.map((p) => JSON.stringify(p)).join(', ');
      if (action === UrlAction.REWRITE && !served) problems.add(`${at}.to`, r.to, `a path the app serves (appPaths: ${list})`);
      // a redirected client asks the adapter for the target next: the app or another rule must answer it
      if (action !== UrlAction.REWRITE && !served && r.match !== UrlMatch.REGEX && !rules.some((o, k) => k !== i && matchesPath(o, target))) {
        problems.add(`${at}.to`, r.to, `a path the app serves (appPaths: ${list}) or another rule matches: the redirected client asks for it next`);
      }
    }
    earlier.push({ r, i });
    if (!ok || loops) return;
    out.push({
      match: r.match,
      from: r.from,
      to: r.to,
      action,
      methods,
      mapsRequestBody: req.length > 0,
      mapsResponseBody: res.length > 0,
      legacyContentType: o.legacyContentType,
    });
    if (req.length > 0 || res.length > 0 || o.legacyContentType !== undefined) {
      njs[String(i)] = o.legacyContentType !== undefined ? { req, res, legacy: o.legacyContentType } : { req, res };
    }
  });
  return { rules: out, njs };
}

/** Validates the header rules: names, values, and one rule per header and direction. */
export function checkHeaderRules(problems: Problems, rules: unknown): ResolvedHeaderRule[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) {
    problems.add('headers', rules, 'a list of HeaderRule (HeaderRule.rename, HeaderRule.set or HeaderRule.remove)');
    return [];
  }
  const out: ResolvedHeaderRule[] = [];
  const taken = new Map<string, number>();
  rules.forEach((h, i) => {
    const at = `headers[${i}]`;
    if (!(h instanceof HeaderRule)) {
      problems.add(at, h, 'a HeaderRule (HeaderRule.rename, HeaderRule.set or HeaderRule.remove)');
      return;
    }
    if (!Object.values(HeaderDirection).includes(h.direction)) {
      problems.add(`${at}.direction`, h.direction, oneOf(Object.values(HeaderDirection)));
      return;
    }
    const names = h.operation === HeaderOperation.RENAME ? [['name', h.name], ['value', h.value]] as const : [['name', h.name]] as const;
    let ok = true;
    for (const [prop, n] of names) {
      if (!problems.check(`${at}.${prop}`, n, HEADER_NAME_RULE)) {
        ok = false;
        continue;
      }
      const key = `${h.direction}:${n!.toLowerCase()}`;
      if (MANAGED_HEADERS.includes(n!.toLowerCase())) {
        problems.add(`${at}.${prop}`, n, `a header the adapter does not manage (not ${MANAGED_HEADERS.map((x) => JSON.stringify(x)).join(', ')}; content types are mapped with legacyContentType)`);
        ok = false;
      } else if (taken.has(key)) {
        problems.add(`${at}.${prop}`, n, `a ${h.direction} header no other rule changes (headers[${taken.get(key)}] does)`);
        ok = false;
      } else taken.set(key, i);
    }
    if (h.operation === HeaderOperation.SET && !problems.check(`${at}.value`, h.value, HEADER_VALUE_RULE)) ok = false;
    if (ok) out.push({ direction: h.direction, operation: h.operation, name: h.name, value: h.value });
  });
  return out;
}

/** Validates `appPaths`. */
export function checkAppPaths(problems: Problems, appPaths: unknown): void {
  if (appPaths === undefined) return;
  if (!Array.isArray(appPaths) || appPaths.length === 0) {
    problems.add('appPaths', appPaths, 'a non-empty list of the path prefixes the app serves, e.g. ["/v2"]');
    return;
  }
  appPaths.forEach((p, i) => problems.check(`appPaths[${i}]`, p, URL_PATH_RULE));
}
