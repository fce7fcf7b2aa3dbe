from cdk8s import ApiObjectMetadata, Chart
from cdk8s_pod_patterns import (
    PodSecurityOptions, PortOptions, SharedVolumeContainerOptions, SharedVolumePod,
)
from constructs import Construct


class SiteChart(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        SharedVolumePod(
            self, "site",
            metadata=ApiObjectMetadata(name="site"),
            # the nginx-unprivileged image's user
            security_context=PodSecurityOptions(run_as_user=101, run_as_group=101),
            containers=[
                SharedVolumeContainerOptions(
                    name="nginx",
                    image="nginxinc/nginx-unprivileged:1.27.5-alpine",
                    mount_path="/usr/share/nginx/html",
                    read_only=True,
                    ports=[PortOptions(number=8080, name="http")],
                    writable_paths=["/tmp"],
                ),
                SharedVolumeContainerOptions(
                    name="writer",
                    image="debian:12.8-slim",
                    mount_path="/pod-data",
                    runs_to_completion=True,  # an init container under restartPolicy Always
                    command=["/bin/sh"],
                    args=["-c", "echo Hello from the writer > /pod-data/index.html"],
                ),
            ],
        )
