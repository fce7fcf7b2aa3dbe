import cdk8s_plus_27 as kplus
from cdk8s import ApiObjectMetadata, Chart
from cdk8s_pod_patterns import LogShipping, LogSidecar, Patterns
from constructs import Construct


class ClockChart(Chart):
    """An app that writes its log to a file; a streaming sidecar prints it for `kubectl logs`."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        clock = kplus.Deployment(
            self, "clock",
            metadata=ApiObjectMetadata(name="clock"),
            containers=[kplus.ContainerProps(
                name="clock",
                image="busybox:1.36.1",
                command=[
                    "sh", "-c",
                    "while true; do date >> /var/log/clock/clock.log; sleep 5; done",
                ],
            )],
        )
        Patterns.harden_container(clock, "clock")
        LogSidecar(
            self, "logs",
            workload=clock,
            log_directory="/var/log/clock",
            log_files=["clock.log"],
            shipping=LogShipping.streaming(),
        )
