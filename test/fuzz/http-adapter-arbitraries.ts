/**
 * Random HttpCompatAdapter rule sets, shared by the unit property test (test/fuzz) and the one
 * that runs `nginx -t` on the result (test/integration): paths from a few segments (so rules
 * collide, shadow each other and redirect into themselves often), every rule shape and option,
 * JSON rules on short dotted paths, header rules on a few names (so they clash).
 */
import fc from 'fast-check';
import { HeaderDirection, HeaderRule, HttpMethod, JsonRule, UrlAction, UrlRule } from '../../lib';

const seg = fc.constantFrom('v1', 'v2', 'users', 'a', 'items', 'x-y', 'z.1');
/** A path of one to three segments. */
export const urlPath = fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`);
const field = fc.array(fc.constantFrom('id', 'name', 'user', 'a', 'b'), { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));

/** A JSON body rule of any kind. */
export const jsonRule: fc.Arbitrary<JsonRule> = fc.oneof(
  fc.tuple(field, fc.constantFrom('n1', 'n2')).map(([p, n]) => JsonRule.rename(p, n)),
  fc.tuple(field, field).map(([p, t]) => JsonRule.move(p, t)),
  field.map((p) => JsonRule.drop(p)),
  fc.tuple(field, fc.jsonValue({ maxDepth: 2 })).map(([p, v]) => JsonRule.setDefault(p, v)),
);

const methods = fc.option(fc.subarray(Object.values(HttpMethod), { minLength: 1 }), { nil: undefined });
const bodyRules = fc.option(fc.array(jsonRule, { maxLength: 3 }), { nil: undefined });
const rewrite = fc.record({
  action: fc.constant(UrlAction.REWRITE),
  methods,
  requestBody: bodyRules,
  responseBody: bodyRules,
  legacyContentType: fc.option(fc.constantFrom('application/vnd.a+json', 'text/x-legacy'), { nil: undefined }),
}, { requiredKeys: ['action'] });
const redirect = fc.record({ action: fc.constantFrom(UrlAction.REDIRECT_301, UrlAction.REDIRECT_308), methods }, { requiredKeys: ['action'] });
/** Rule options: mostly rewrites with body rules; sometimes (one in eight) body rules on a redirect, which is rejected. */
const options = fc.oneof(
  { weight: 5, arbitrary: rewrite },
  { weight: 2, arbitrary: redirect },
  { weight: 1, arbitrary: fc.tuple(redirect, bodyRules).map(([r, b]) => ({ ...r, responseBody: b })) },
);

/** A URL rule of any shape (exact, prefix, regex with zero to two captures). */
export const urlRule: fc.Arbitrary<UrlRule> = fc.oneof(
  fc.tuple(urlPath, urlPath, options).map(([f, t, o]) => UrlRule.exact(f, t, o)),
  fc.tuple(urlPath, urlPath, options).map(([f, t, o]) => UrlRule.prefix(f, t, o)),
  fc.tuple(urlPath, fc.constantFrom('', '([0-9]+)', '([a-z]+)/(.*)'), fc.constantFrom('/v2/$1', '/v2/x', '/v2/$1/$2'), options)
    .map(([f, g, t, o]) => UrlRule.regex(`^${f.replace(/\./g, '\\.')}${g ? `/${g}` : ''}$`, t, o)),
);

/** A header rule on a few names, both ways. */
export const headerRule: fc.Arbitrary<HeaderRule> = fc.oneof(
  fc.tuple(fc.constantFrom(HeaderDirection.REQUEST, HeaderDirection.RESPONSE), fc.constantFrom('X-A', 'X-B'), fc.constantFrom('X-C', 'X-D'))
    .map(([d, a, b]) => HeaderRule.rename(d, a, b)),
  fc.tuple(fc.constantFrom(HeaderDirection.REQUEST, HeaderDirection.RESPONSE), fc.constantFrom('X-E', 'X-A'), fc.constantFrom('1', 'a b', 'x=y'))
    .map(([d, n, v]) => HeaderRule.set(d, n, v)),
  fc.tuple(fc.constantFrom(HeaderDirection.REQUEST, HeaderDirection.RESPONSE), fc.constantFrom('X-F', 'X-B')).map(([d, n]) => HeaderRule.remove(d, n)),
);

/** Rules and headers together. */
export const ruleSet = fc.record({ rules: fc.array(urlRule, { maxLength: 4 }), headers: fc.array(headerRule, { maxLength: 3 }) });
