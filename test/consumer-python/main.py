"""
A user's own cdk8s app in Python: their storefront Deployment, with a LogSidecar streaming nginx's
log files and an HAProxy ambassador in front of their Redis, in namespace "shop" labelled for the
Pod Security level the pods declare. The same app as test/consumer/main.ts, written as the README's
Python quick start tells a new user to; scripts/languages-test.sh checks that it writes the same
bytes as the TypeScript app.

With the argument "bad-props" it builds the invalid LogSidecar of test/consumer/bad-props.js instead
and prints the error's message (which must be the TypeScript error's, word for word).
"""
import sys

import cdk8s_plus_27 as kplus
from cdk8s import ApiObjectMetadata, App, Chart, Size
from cdk8s_pod_patterns import (
    HaproxyBalance, HaproxyMode, LogShipping, LogSidecar, Patterns,
    PodSecurityNamespace, ProxyAmbassador, ProxyBackend,
)
from cdk8s_pod_patterns import ResourceOptions
from constructs import Construct


class ShopChart(Chart):
    def __init__(self, scope: Construct, id: str, *, namespace: str) -> None:
        super().__init__(scope, id, namespace=namespace)
        PodSecurityNamespace(self, "namespace")

        # the user's own Deployment, as they already had it
        self.web = kplus.Deployment(
            self, "web",
            metadata=ApiObjectMetadata(
                name="storefront",
                labels=Patterns.recommended_labels(
                    self, name="storefront", component="web-server"),
            ),
            replicas=2,
            containers=[kplus.ContainerProps(
                name="nginx",
                image="nginxinc/nginx-unprivileged:1.27.5-alpine",
                ports=[kplus.ContainerPort(number=8080, name="http")],
                resources=kplus.ContainerResources(
                    cpu=kplus.CpuResources(request=kplus.Cpu.millis(50)),
                    memory=kplus.MemoryResources(
                        request=Size.mebibytes(64), limit=Size.mebibytes(128)),
                ),
            )],
        )
        tmp = kplus.Volume.from_empty_dir(
            self, "tmp", "tmp", size_limit=Size.mebibytes(64))
        self.web.containers[0].mount("/tmp", tmp)
        Patterns.harden_container(self.web, "nginx", run_as_user=101, run_as_group=101)

        # two patterns composed on it
        self.logs = LogSidecar(
            self, "logs",
            workload=self.web,
            app_container_name="nginx",
            log_directory="/var/log/nginx",
            log_files=["access.log", "error.log"],
            shipping=LogShipping.streaming(),
            # cdk8s-plus's resources shape: a Cpu and Sizes
            resources=ResourceOptions(
                cpu=kplus.CpuResources(request=kplus.Cpu.millis(5)),
                memory=kplus.MemoryResources(
                    request=Size.mebibytes(16), limit=Size.mebibytes(32)),
            ),
        )
        self.cache = ProxyAmbassador(
            self, "cache",
            workload=self.web,
            app_container_name="nginx",
            backend=ProxyBackend.haproxy(
                mode=HaproxyMode.TCP, balance=HaproxyBalance.FIRST,
            ),
            listen_port=6379,
            env_var="REDIS_ADDR",
            upstreams=[
                "redis-primary.cache.svc.cluster.local:6379",
                "redis-standby.cache.svc.cluster.local:6379",
            ],
        )


def bad_props() -> int:
    """The invalid-props case of test/consumer/bad-props.js, in Python."""
    app = App()
    chart = Chart(app, "bad")
    web = kplus.Deployment(chart, "web", containers=[
        kplus.ContainerProps(name="nginx", image="nginxinc/nginx-unprivileged:1.27.5-alpine")])
    try:
        LogSidecar(chart, "logs", workload=web, app_container_name="nginx",
                   log_directory="var/log/nginx", log_files=["../access.log"])
    except Exception as e:  # the jsii runtime's error, carrying the library's message
        message = str(e)
        if not Patterns.is_props_error(message) or Patterns.is_synth_error(message):
            print(f"not told as a props error: {message}", file=sys.stderr)
            return 1
        print(Patterns.error_text(message))  # the library's text, without what a runtime adds
        return 0
    print("invalid props were accepted", file=sys.stderr)
    return 1


if __name__ == "__main__":
    if sys.argv[1:] == ["bad-props"]:
        sys.exit(bad_props())
    app = App()
    ShopChart(app, "shop", namespace="shop")
    ok = Patterns.run_synth(app, outdir="dist", kustomization="kustomization.yaml")
    sys.exit(0 if ok else 1)
