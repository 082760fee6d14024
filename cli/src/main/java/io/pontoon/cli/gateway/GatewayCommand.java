package io.pontoon.cli.gateway;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.api.PontoonNames;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ToolMissingException;
import io.pontoon.gateway.tunnel.GatewayHttpServer;
import io.pontoon.gateway.tunnel.TunnelController;
import io.pontoon.gateway.tunnel.TunnelDataplane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pontoon gateway}: the tunnel controller of one peering, in the foreground. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
        "Run the WireGuard gateway of one peering: converge the tunnel interface, its peer,",
        "the double NAT and the routes to the peer's Tunnel and NetworkConfig, probe the peer",
        "every 2 s and report Tunnel status (Up/Down, handshake, bytes, RTT).",
        "Needs root (or CAP_NET_ADMIN), ip, wg, nft and, without kernel WireGuard, wireguard-go."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon gateway --kubeconfig cluster-1.kubeconfig --peer 1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "  pontoon gateway --peer 1b4e28ba-2fa1-11d2-883f-0016d3cca427 --netns gw-1 --metrics-port 9102"})
public final class GatewayCommand implements Runnable {
  private static final Pattern CLUSTER_ID = Pattern.compile(PontoonNames.CLUSTER_ID_PATTERN);

  @Spec CommandSpec spec;

  @Option(names = "--peer", required = true, paramLabel = "CLUSTER_ID",
      description = "Cluster ID of the peer whose Tunnel this gateway serves.")
  String peer;

  @Option(names = "--listen-port", paramLabel = "PORT",
      description = "UDP port WireGuard listens on (default: the Tunnel's spec.listenPort, 51820).")
  Integer listenPort;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve /metrics and /healthz on this TCP port (default: not served).")
  Integer metricsPort;

  @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
      description = "Address for /metrics and /healthz (default: ${DEFAULT-VALUE}).")
  String metricsHost;

  @Option(names = "--netns", paramLabel = "NAME",
      description = "Network namespace (ip netns) holding the tunnel, NAT and routes (default: the current one).")
  String netns;

  private static boolean netnsExists(String name) {
    return name.matches("[A-Za-z0-9_.-]+") && java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/netns", name));
  }

  @Override
  public void run() {
    if (peer == null || !CLUSTER_ID.matcher(peer).matches()) {
      throw new UserError("--peer must be a cluster ID (a lowercase UUID), got '" + peer + "'", 2);
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new UserError("--metrics-port must be 0..65535, got " + metricsPort, 2);
    }
    if (netns != null && !netnsExists(netns)) {
      throw new UserError("network namespace '" + netns + "' does not exist (see `ip netns list`); "
          + "create it or drop --netns", 1);
    }
    try {
      for (String tool : new String[] {"ip", "wg", "nft", "ping"}) {
        HostCommands.requireTool(tool);
      }
    } catch (ToolMissingException e) {
      throw new UserError(e.getMessage(), 1);
    }
    TunnelController.Options options;
    try {
      options = TunnelController.Options.defaults(peer).withListenPort(listenPort);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CountDownLatch stop = new CountDownLatch(1);
    try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client();
         TunnelController controller = new TunnelController(client, options,
             new TunnelDataplane(HostCommands.inNetns(netns)), registry)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "gateway-shutdown"));
      // The tunnel first: a restarted gateway's start-up is its peering's outage.
      controller.start();
      try (GatewayHttpServer http = metricsPort == null ? null : new GatewayHttpServer(metricsHost, metricsPort,
          registry, controller::lastReconciled, Duration.ofSeconds(30))) {
        if (http != null) {
          System.err.println("metrics=http://" + metricsHost + ":" + http.port() + "/metrics");
        }
        stop.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
