import cdk8s_plus_27 as kplus
from cdk8s import ApiObjectMetadata, Chart, Duration
from cdk8s_pod_patterns import HaproxyMode, Patterns, ProxyAmbassador, ProxyBackend
from constructs import Construct


class WorkerChart(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        worker = kplus.Deployment(
            self, "worker",
            metadata=ApiObjectMetadata(name="worker"),
            containers=[kplus.ContainerProps(
                name="worker",
                image="redis:7.4.1-alpine",
                command=[
                    "sh", "-c",
                    'while sleep 5; do redis-cli -u "redis://$REDIS_ADDR" INCR ticks; done',
                ],
            )],
        )
        # the image's redis user
        Patterns.harden_container(worker, "worker", run_as_user=999, run_as_group=999)
        ProxyAmbassador(
            self, "redis",
            workload=worker,
            # HAProxy in TCP mode, its default 5 s connect timeout spelled out
            backend=ProxyBackend.haproxy(mode=HaproxyMode.TCP, connect_timeout=Duration.seconds(5)),
            listen_port=6379,
            env_var="REDIS_ADDR",  # the worker gets REDIS_ADDR=127.0.0.1:6379
            upstreams=["redis.cache.svc.cluster.local:6379"],
        )
