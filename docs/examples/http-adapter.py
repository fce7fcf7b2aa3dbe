import cdk8s_plus_27 as kplus
from cdk8s import ApiObjectMetadata, Chart
from cdk8s_pod_patterns import (
    HeaderDirection, HeaderRule, HttpCompatAdapter, JsonRule, Patterns, UrlRule,
)
from constructs import Construct


class OrdersChart(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        api = kplus.Deployment(
            self, "orders-api",
            metadata=ApiObjectMetadata(name="orders-api"),
            containers=[kplus.ContainerProps(
                name="api", image="example.com/shop/orders:2.0.0",
                readiness=kplus.Probe.from_http_get("/v2/health", port=8080),
            )],
        )
        Patterns.harden_container(api, "api")
        HttpCompatAdapter(
            self, "v1",
            workload=api,
            port=8080,  # the port the v1 clients and the Service use
            app_port=9080,  # where the v2 app listens, on 127.0.0.1
            app_paths=["/v2"],
            rules=[
                UrlRule.prefix(
                    "/v1/orders", "/v2/orders",
                    request_body=[JsonRule.rename("orderNo", "id")],
                    response_body=[
                        JsonRule.rename("id", "orderNo"),
                        JsonRule.set_default("currency", "EUR"),
                    ],
                ),
            ],
            headers=[HeaderRule.rename(HeaderDirection.REQUEST, "X-Api-Key", "X-Auth-Key")],
        )
