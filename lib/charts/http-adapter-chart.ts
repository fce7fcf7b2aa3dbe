import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { recommendedLabels } from '../_pod/labels';
import { hardenContainer } from '../harden';
import { HeaderDirection, HeaderRule, HttpCompatAdapter, HttpMethod, JsonRule, UrlAction, UrlRule } from '../http-adapter';
import { NGINX_UNPRIVILEGED_ID } from './hardened-chart';
import { IMAGES } from './images';

/** The port the v1 clients use (the Service's targetPort, the app's port before v2). */
export const SHOP_CLIENT_PORT = 8080;
/** The loopback port the v2 app moved to. */
export const SHOP_APP_PORT = 9080;
/** The v1 clients' content type. */
export const SHOP_LEGACY_TYPE = 'application/vnd.shop.v1+json';
/** File name of the v2 app's server block in its ConfigMap (mounted over conf.d). */
export const SHOP_API_CONF = 'shop-api-v2.conf';

/**
 * The v2 API of the example, as an nginx server block on 127.0.0.1:9080 only (a stand-in for a
 * real v2 service: people, orders, a health check; nothing of v1).
 */
export function shopApiV2ServerBlock(): string {
  const json = (body: unknown) => `default_type application/json; return 200 '${JSON.stringify(body)}';`;
  return [
    '# The shop API, v2 only, on loopback: the http-adapter in the same pod serves the v1 clients.',
    'server {',
    `    listen 127.0.0.1:${SHOP_APP_PORT};`,
    `    location = /v2/health { ${json({ status: 'ok' })} }`,
    `    location = /v2/people/1 { ${json({ id: 1, username: 'ann', address: { street: 'Main St', city: 'Oslo' }, internal: 'x' })} }`,
    `    location ~ ^/v2/orders/[0-9]+$ { ${json({ id: 7, lines: [] })} }`,
    `    location / { default_type application/json; return 404 '${JSON.stringify({ error: 'not found' })}'; }`,
    '}',
    '',
  ].join('\n');
}

/**
 * The HTTP compatibility adapter as a user writes it: the shop API moved to v2 (new paths, renamed
 * and nested fields, application/json), its v1 clients did not. The v2 app now listens on
 * 127.0.0.1:9080; the adapter takes over 8080, the port the Service already targets, and serves
 * v1 from v2: `/v1/users/*` rewritten to `/v2/people/*` with the bodies reshaped both ways and the
 * legacy content type, `/v1/status` to `/v2/health`, `/v1/orders/<id>` (GET only) by regex, the
 * old profile URLs redirected (308), the API key header renamed, and a deprecation header on every answer.
 * The app's readiness probe goes through the adapter (the kubelet cannot reach loopback).
 */
export class HttpAdapterChart extends Chart {
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly adapter: HttpCompatAdapter;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const labels = recommendedLabels(this, { name: 'shop-api', component: 'api' });

    const apiConfig = new kplus.ConfigMap(this, 'api-config', {
      metadata: { name: 'shop-api-v2', labels },
      data: { [SHOP_API_CONF]: shopApiV2ServerBlock() },
    });
    this.deployment = new kplus.Deployment(this, 'api', {
      metadata: { name: 'shop-api', labels },
      replicas: 2,
      containers: [{
        name: 'api',
        image: IMAGES.nginxUnprivileged,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        // through the adapter: a path it passes through unchanged, on the port clients use
        readiness: kplus.Probe.fromHttpGet('/v2/health', { port: SHOP_CLIENT_PORT }),
        resources: {
          cpu: { request: kplus.Cpu.millis(50) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      }],
    });
    const api = this.deployment.containers[0];
    // the whole conf.d: the image's default.conf (a site on 8080, the adapter's port) is left out
    api.mount('/etc/nginx/conf.d', kplus.Volume.fromConfigMap(this, 'api-config-volume', apiConfig, { name: 'api-config' }), { readOnly: true });
    api.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'api-tmp', 'api-tmp', { sizeLimit: Size.mebibytes(16) }));
    hardenContainer(this.deployment, 'api', { runAsUser: NGINX_UNPRIVILEGED_ID, runAsGroup: NGINX_UNPRIVILEGED_ID });

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: 'shop-api', labels },
      selector: this.deployment,
      ports: [{ name: 'http', port: 80, targetPort: SHOP_CLIENT_PORT }],
    });

    this.adapter = new HttpCompatAdapter(this, 'v1-compat', {
      workload: this.deployment,
      appContainerName: 'api',
      service: this.service,
      port: SHOP_CLIENT_PORT,
      appPort: SHOP_APP_PORT,
      appPaths: ['/v2'],
      rules: [
        UrlRule.prefix('/v1/users', '/v2/people', {
          legacyContentType: SHOP_LEGACY_TYPE,
          requestBody: [JsonRule.rename('userName', 'username'), JsonRule.move('street', 'address.street')],
          responseBody: [JsonRule.rename('username', 'userName'), JsonRule.move('address.street', 'street'), JsonRule.drop('internal')],
        }),
        UrlRule.exact('/v1/status', '/v2/health'),
        UrlRule.regex('^/v1/orders/([0-9]+)$', '/v2/orders/$1', { methods: [HttpMethod.GET, HttpMethod.HEAD] }),
        UrlRule.prefix('/v1/profiles', '/v2/people', { action: UrlAction.REDIRECT_308 }),
      ],
      headers: [
        HeaderRule.rename(HeaderDirection.REQUEST, 'X-Api-Key', 'X-Auth-Key'),
        HeaderRule.set(HeaderDirection.RESPONSE, 'X-Api-Deprecated', 'v1 is served by an adapter; move to /v2'),
      ],
    });
  }
}
