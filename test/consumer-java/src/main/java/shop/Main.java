package shop;

import dev.podpatterns.cdk8s.HaproxyBackendProps;
import dev.podpatterns.cdk8s.HaproxyBalance;
import dev.podpatterns.cdk8s.HaproxyMode;
import dev.podpatterns.cdk8s.HardenContainerOptions;
import dev.podpatterns.cdk8s.LogShipping;
import dev.podpatterns.cdk8s.LogSidecar;
import dev.podpatterns.cdk8s.Patterns;
import dev.podpatterns.cdk8s.PodSecurityNamespace;
import dev.podpatterns.cdk8s.ProxyAmbassador;
import dev.podpatterns.cdk8s.ProxyBackend;
import dev.podpatterns.cdk8s.RecommendedLabels;
import dev.podpatterns.cdk8s.ResourceOptions;
import dev.podpatterns.cdk8s.SynthOptions;
import java.util.List;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Size;
import org.cdk8s.plus27.ContainerPort;
import org.cdk8s.plus27.ContainerProps;
import org.cdk8s.plus27.ContainerResources;
import org.cdk8s.plus27.Cpu;
import org.cdk8s.plus27.CpuResources;
import org.cdk8s.plus27.Deployment;
import org.cdk8s.plus27.EmptyDirVolumeOptions;
import org.cdk8s.plus27.MemoryResources;
import org.cdk8s.plus27.Volume;
import software.constructs.Construct;

/**
 * A user's own cdk8s app in Java: the app of test/consumer/main.ts (their storefront Deployment,
 * a LogSidecar streaming nginx's log files and an HAProxy ambassador in front of their Redis, in
 * namespace "shop"), written as the README's Java quick start tells a new user to.
 * scripts/languages-test.sh checks that it writes the same bytes as the TypeScript app. With the
 * argument "bad-props" it runs the invalid-props case of test/consumer/bad-props.js instead.
 */
public final class Main {
  static final class ShopChart extends Chart {
    final Deployment web;

    ShopChart(final Construct scope, final String id, final ChartProps props) {
      super(scope, id, props);
      new PodSecurityNamespace(this, "namespace");

      // the user's own Deployment, as they already had it
      this.web = Deployment.Builder.create(this, "web")
          .metadata(ApiObjectMetadata.builder()
              .name("storefront")
              .labels(Patterns.recommendedLabels(this, RecommendedLabels.builder()
                  .name("storefront").component("web-server").build()))
              .build())
          .replicas(2)
          .containers(List.of(ContainerProps.builder()
              .name("nginx")
              .image("nginxinc/nginx-unprivileged:1.27.5-alpine")
              .ports(List.of(
                  ContainerPort.builder().number(8080).name("http").build()))
              .resources(ContainerResources.builder()
                  .cpu(CpuResources.builder().request(Cpu.millis(50)).build())
                  .memory(MemoryResources.builder()
                      .request(Size.mebibytes(64)).limit(Size.mebibytes(128)).build())
                  .build())
              .build()))
          .build();
      final Volume tmp = Volume.fromEmptyDir(this, "tmp", "tmp",
          EmptyDirVolumeOptions.builder().sizeLimit(Size.mebibytes(64)).build());
      this.web.getContainers().get(0).mount("/tmp", tmp);
      Patterns.hardenContainer(this.web, "nginx",
          HardenContainerOptions.builder().runAsUser(101).runAsGroup(101).build());

      // two patterns composed on it
      LogSidecar.Builder.create(this, "logs")
          .workload(this.web)
          .appContainerName("nginx")
          .logDirectory("/var/log/nginx")
          .logFiles(List.of("access.log", "error.log"))
          .shipping(LogShipping.streaming())
          // cdk8s-plus's resources shape: a Cpu and Sizes
          .resources(ResourceOptions.builder()
              .cpu(CpuResources.builder().request(Cpu.millis(5)).build())
              .memory(MemoryResources.builder()
                  .request(Size.mebibytes(16)).limit(Size.mebibytes(32)).build())
              .build())
          .build();
      ProxyBackend failover = ProxyBackend.haproxy(HaproxyBackendProps.builder()
          .mode(HaproxyMode.TCP)
          .balance(HaproxyBalance.FIRST)
          .build());
      ProxyAmbassador.Builder.create(this, "cache")
          .workload(this.web)
          .appContainerName("nginx")
          .backend(failover)
          .listenPort(6379)
          .envVar("REDIS_ADDR")
          .upstreams(List.<Object>of(
              "redis-primary.cache.svc.cluster.local:6379",
              "redis-standby.cache.svc.cluster.local:6379"))
          .build();
    }
  }

  /** The invalid-props case of test/consumer/bad-props.js, in Java. */
  static int badProps() {
    final App app = new App();
    final Chart chart = new Chart(app, "bad");
    final Deployment web = Deployment.Builder.create(chart, "web")
        .containers(List.of(ContainerProps.builder()
            .name("nginx").image("nginxinc/nginx-unprivileged:1.27.5-alpine").build()))
        .build();
    try {
      LogSidecar.Builder.create(chart, "logs")
          .workload(web)
          .appContainerName("nginx")
          .logDirectory("var/log/nginx")
          .logFiles(List.of("../access.log"))
          .build();
    } catch (RuntimeException e) { // the jsii runtime's error, carrying the library's message
      final String message = e.getMessage();
      if (!Patterns.isPropsError(message) || Patterns.isSynthError(message)) {
        System.err.println("not told as a props error: " + message);
        return 1;
      }
      // the library's text, without the JavaScript stack the runtime appends
      System.out.println(Patterns.errorText(message));
      return 0;
    }
    System.err.println("invalid props were accepted");
    return 1;
  }

  public static void main(final String[] args) {
    if (args.length == 1 && args[0].equals("bad-props")) {
      System.exit(badProps());
    }
    final App app = new App();
    new ShopChart(app, "shop", ChartProps.builder().namespace("shop").build());
    final boolean ok = Patterns.runSynth(app, SynthOptions.builder()
        .outdir("dist").kustomization("kustomization.yaml").build());
    System.exit(ok ? 0 : 1);
  }

  private Main() {
  }
}
