import cdk8s_plus_27 as kplus
from cdk8s import ApiObjectMetadata, Chart, Size
from cdk8s_pod_patterns import Adapter, Patterns
from constructs import Construct


class CacheChart(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        redis = kplus.Deployment(
            self, "cache",
            metadata=ApiObjectMetadata(name="cache"),
            containers=[kplus.ContainerProps(
                name="redis",
                image="redis:7.4.1-alpine",
                ports=[kplus.ContainerPort(number=6379, name="redis")],
            )],
        )
        data = kplus.Volume.from_empty_dir(self, "data", "data", size_limit=Size.mebibytes(256))
        redis.containers[0].mount("/data", data)
        # the image's redis user
        Patterns.harden_container(redis, "redis", run_as_user=999, run_as_group=999)
        Adapter.redis_exporter(self, "metrics", workload=redis)
