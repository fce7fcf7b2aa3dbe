import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  hardenContainer, HeaderDirection, HeaderRule, HttpCompatAdapter, JsonRule, UrlRule,
} from '../../lib';

/**
 * An orders API moved to v2 (listening on 127.0.0.1:9080 now); its v1 clients keep calling
 * port 8080, where the adapter serves /v1/orders from /v2/orders with `orderNo` renamed `id`.
 */
export class OrdersChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const api = new kplus.Deployment(this, 'orders-api', {
      metadata: { name: 'orders-api' },
      containers: [{
        name: 'api', image: 'example.com/shop/orders:2.0.0',
        readiness: kplus.Probe.fromHttpGet('/v2/health', { port: 8080 }),
      }],
    });
    hardenContainer(api, 'api');
    new HttpCompatAdapter(this, 'v1', {
      workload: api,
      port: 8080, // the port the v1 clients and the Service use
      appPort: 9080, // where the v2 app listens, on 127.0.0.1
      appPaths: ['/v2'],
      rules: [
        UrlRule.prefix('/v1/orders', '/v2/orders', {
          requestBody: [JsonRule.rename('orderNo', 'id')],
          responseBody: [JsonRule.rename('id', 'orderNo'), JsonRule.setDefault('currency', 'EUR')],
        }),
      ],
      headers: [HeaderRule.rename(HeaderDirection.REQUEST, 'X-Api-Key', 'X-Auth-Key')],
    });
  }
}
