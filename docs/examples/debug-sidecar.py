import cdk8s_plus_27 as kplus
from cdk8s import ApiObjectMetadata, Chart
from cdk8s_pod_patterns import DebugSidecar, Patterns
from constructs import Construct


class EchoChart(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        echo = kplus.Deployment(
            self, "echo",
            metadata=ApiObjectMetadata(name="echo"),
            containers=[kplus.ContainerProps(
                name="whoami",
                image="traefik/whoami:v1.10.3",
                args=["--port", "8080"],
                ports=[kplus.ContainerPort(number=8080)],
            )],
        )
        Patterns.harden_container(echo, "whoami")
        DebugSidecar(self, "debug", workload=echo)  # kubectl exec -it <pod> -c debug -- sh
