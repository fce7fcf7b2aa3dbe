from cdk8s import ApiObjectMetadata, Chart
from cdk8s_pod_patterns import WarSidecarPod
from constructs import Construct


class ShopChart(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        WarSidecarPod(
            self, "shop",
            metadata=ApiObjectMetadata(name="shop"),
            artifact_image="resouer/sample:v2",  # carries /sample.war; versions apart from Tomcat
            artifact_path="/sample.war",
        )
