package io.pontoon.peering.gateway;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.tunnel.TunnelController;
import io.pontoon.gateway.tunnel.TunnelDataplane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What {@code io.pontoon.cli.Main gateway ...} does, for tests of this module, whose classpath has
 * no cli (cli depends on peering): the same arguments, the same {@link TunnelController} in the
 * given namespace, in the foreground until SIGTERM. {@code --metrics-port} is accepted and ignored.
 */
public final class StandInGatewayMain {
  private StandInGatewayMain() {}

  /** The command prefix a {@link LocalGatewayLauncher} puts before {@code gateway ...}. */
  public static List<String> command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        StandInGatewayMain.class.getName());
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("gateway")) throw new IllegalArgumentException("usage: gateway --peer ID ...");
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) flags.put(args[i], args[i + 1]);
    Config config = Config.fromKubeconfig(Files.readString(Path.of(flags.get("--kubeconfig"))));
    TunnelController.Options options = TunnelController.Options.defaults(flags.get("--peer"))
        .withListenPort(Integer.valueOf(flags.get("--listen-port")));
    CountDownLatch stop = new CountDownLatch(1);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
         TunnelController controller = new TunnelController(client, options,
             new TunnelDataplane(HostCommands.inNetns(flags.get("--netns"))),
             new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "gateway-shutdown"));
      controller.start();
      stop.await();
    }
  }
}
