/**
 * The nginx configuration of an {@link HttpCompatAdapter}: one `server` on the port clients use,
 * one `location` per URL rule (in the rules' order, exact rules first), a catch-all for the rest,
 * and the app as the only upstream, on loopback. Every header rule is repeated in every location
 * (nginx does not merge `proxy_set_header` / `add_header` of a location with the server's).
 */
import { HeaderDirection, HeaderOperation, HttpMethod, UnmatchedRequests, UrlAction, UrlMatch } from './rules';
import { NJS_FUNCTIONS } from './njs';

/** Where the njs module of the official nginx images and of Debian's libnginx-mod-http-js is. */
export const NJS_MODULE_PATH = '/usr/lib/nginx/modules/ngx_http_js_module.so';

/** A URL rule, validated. */
export interface ResolvedUrlRule {
  readonly match: UrlMatch;
  readonly from: string;
  readonly to: string;
  readonly action: UrlAction;
  readonly methods?: readonly HttpMethod[];
  readonly mapsRequestBody: boolean;
  readonly mapsResponseBody: boolean;
  readonly legacyContentType?: string;
}

/** A header rule, validated. */
export interface ResolvedHeaderRule {
  readonly direction: HeaderDirection;
  readonly operation: HeaderOperation;
  readonly name: string;
  readonly value?: string;
}

/** What {@link renderNginxConfig} needs. */
export interface NginxConfigOptions {
  /** The port clients use (the adapter listens on every address of the pod). */
  readonly port: number;
  /** The app's loopback port. */
  readonly appPort: number;
  readonly urlRules: readonly ResolvedUrlRule[];
  readonly headerRules: readonly ResolvedHeaderRule[];
  readonly unmatched: UnmatchedRequests;
  /** Directory of the ConfigMap (njs module included). */
  readonly configDir: string;
  /** File name of the njs module. */
  readonly njsFile: string;
  /** Writable directory (an emptyDir) for the pid file and nginx's temp paths. */
  readonly tmpDir: string;
  /** Largest request body (bytes) a body-mapping rule buffers; larger ones get 413. */
  readonly maxBodyBytes: number;
}

/** `X-Old-Name` as the name of nginx's variable for it (`http_x_old_name`). */
function headerVar(prefix: string, name: string): string {
  return `$${prefix}${name.toLowerCase().replace(/-/g, '_')}`;
}

/** A value in double quotes (validation keeps out `"`, `\`, `$` and control characters). */
const q = (s: string) => `"${s}"`;

/** The directives of the header rules and the proxying every location shares. */
function proxyBlock(o: NginxConfigOptions, extraRequest: string[], extraResponse: string[]): string[] {
  const lines = [
    'proxy_set_header Host $host;',
    'proxy_set_header Connection "";',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    ...extraRequest,
  ];
  for (const h of o.headerRules) {
    if (h.direction === HeaderDirection.REQUEST) {
      if (h.operation === HeaderOperation.RENAME) lines.push(`proxy_set_header ${h.value} ${headerVar('http_', h.name)};`, `proxy_set_header ${h.name} "";`);
      else if (h.operation === HeaderOperation.SET) lines.push(`proxy_set_header ${h.name} ${q(h.value!)};`);
      else lines.push(`proxy_set_header ${h.name} "";`);
    } else {
      lines.push(`proxy_hide_header ${h.name};`);
      if (h.operation === HeaderOperation.RENAME) lines.push(`add_header ${h.value} ${headerVar('upstream_http_', h.name)} always;`);
      else if (h.operation === HeaderOperation.SET) lines.push(`add_header ${h.name} ${q(h.value!)} always;`);
    }
  }
  lines.push(...extraResponse, 'proxy_pass http://app;');
  return lines;
}

/** The location line of a rule, and the target with the rule's captures. */
function locationOf(r: ResolvedUrlRule): { head: string; regex?: string; target: string } {
  switch (r.match) {
    case UrlMatch.EXACT:
      return { head: `location = ${r.from}`, target: r.to };
    case UrlMatch.PREFIX: {
      const regex = `^${r.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/.*)?$`;
      return { head: `location ~ ${q(regex)}`, regex, target: `${r.to}$1` };
    }
    default:
      return { head: `location ~ ${q(r.from)}`, regex: r.from, target: r.to };
  }
}

/** The location block of one URL rule. */
function ruleLocation(o: NginxConfigOptions, r: ResolvedUrlRule, index: number): string[] {
  const { head, regex, target } = locationOf(r);
  const body: string[] = [`# rules[${index}]: ${r.match} ${r.from} -> ${r.to} (${r.action})`];
  const maps = r.action === UrlAction.REWRITE && (r.mapsRequestBody || r.mapsResponseBody || r.legacyContentType !== undefined);
  // first: the filters read it on every answer of the location, 405 included
  if (maps) body.push(`set $adapter_rule ${index};`);
  if (r.methods) {
    body.push(`if ($request_method !~ ^(${r.methods.join('|')})$) {`, '    return 405;', '}', `add_header Allow ${q(r.methods.join(', '))} always;`);
  }
  if (r.action !== UrlAction.REWRITE) {
    body.push(`return ${r.action === UrlAction.REDIRECT_301 ? 301 : 308} ${target}$is_args$args;`);
    return [`${head} {`, ...body.map((l) => `    ${l}`), '}'];
  }
  body.push(regex === undefined ? `rewrite ^ ${target} break;` : `rewrite ${q(regex)} ${target} break;`);
  const req: string[] = [];
  const res: string[] = [];
  if (r.mapsRequestBody) {
    // the whole body in memory (never in a file), so that njs can read and rewrite it
    body.push(`client_max_body_size ${o.maxBodyBytes};`, `client_body_buffer_size ${o.maxBodyBytes};`, 'proxy_request_buffering on;');
    req.push(`proxy_set_body $adapter_request_body;`);
  }
  if (r.legacyContentType !== undefined) req.push('proxy_set_header Content-Type $adapter_request_content_type;');
  if (r.mapsResponseBody || r.legacyContentType !== undefined) {
    // identity bodies from the app: njs maps text, not gzip
    req.push('proxy_set_header Accept-Encoding "";');
    res.push(`js_header_filter adapter.${NJS_FUNCTIONS.responseHeaders};`);
  }
  if (r.mapsResponseBody) res.push(`js_body_filter adapter.${NJS_FUNCTIONS.responseBody} buffer_type=buffer;`);
  body.push(...proxyBlock(o, req, res));
  return [`${head} {`, ...body.map((l) => `    ${l}`), '}'];
}

/** Renders the complete nginx.conf (`nginx -c`). */
export function renderNginxConfig(o: NginxConfigOptions): string {
  const t = o.tmpDir;
  const order = o.urlRules.map((r, i) => ({ r, i }));
  const exact = order.filter((x) => x.r.match === UrlMatch.EXACT);
  const rest = order.filter((x) => x.r.match !== UrlMatch.EXACT);
  const locations = [...exact, ...rest].flatMap(({ r, i }) => ruleLocation(o, r, i));
  const catchAll = o.unmatched === UnmatchedRequests.NOT_FOUND
    ? ['location / {', '    # no rule matched: unknown to the adapter', '    return 404;', '}']
    : ['location / {', '    # no rule matched: passed to the app unchanged (streamed)', ...proxyBlock(o, [], []).map((l) => `    ${l}`), '}'];
  const server = [
    `listen ${o.port};`,
    // the rule index the njs filters read, set again by each mapping location (`set`, not js_var:
    // njs 0.7.9 keeps one js_var value for all locations); empty for answers before the location's
    // rewrite phase (413)
    'set $adapter_rule "";',
    // relative Location headers: the client's own host and port stay (Service, Ingress, port-forward)
    'absolute_redirect off;',
    'proxy_http_version 1.1;',
    // bodies of unmapped requests stream to the app, of any size, as before the adapter
    'client_max_body_size 0;',
    'proxy_request_buffering off;',
    'proxy_max_temp_file_size 0;',
    ...locations,
    ...catchAll,
  ];
  return [
    '# Generated by cdk8s-pod-patterns HttpCompatAdapter from its props: change the props, not this file.',
    `load_module ${NJS_MODULE_PATH};`,
    'daemon off;',
    'worker_processes 1;',
    `pid ${t}/nginx.pid;`,
    'error_log stderr warn;',
    'events {',
    '    worker_connections 1024;',
    '}',
    'http {',
    ...[
      'access_log /dev/stdout;',
      'server_tokens off;',
      `client_body_temp_path ${t}/client_temp;`,
      `proxy_temp_path ${t}/proxy_temp;`,
      `fastcgi_temp_path ${t}/fastcgi_temp;`,
      `uwsgi_temp_path ${t}/uwsgi_temp;`,
      `scgi_temp_path ${t}/scgi_temp;`,
      `js_path ${o.configDir};`,
      `js_import adapter from ${o.njsFile};`,
      `js_set $adapter_request_body adapter.${NJS_FUNCTIONS.requestBody};`,
      `js_set $adapter_request_content_type adapter.${NJS_FUNCTIONS.requestContentType};`,
      'js_var $adapter_response_mapped;',
      'upstream app {',
      `    server 127.0.0.1:${o.appPort};`,
      '    keepalive 16;',
      '}',
      'server {',
      ...server.map((l) => `    ${l}`),
      '}',
    ].map((l) => `    ${l}`),
    '}',
    '',
  ].join('\n');
}
