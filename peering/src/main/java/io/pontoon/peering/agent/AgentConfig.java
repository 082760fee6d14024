package io.pontoon.peering.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The agent's settings (flags of {@code pontoon agent}).
 *
 * @param bindHost address the peering service listens on
 * @param peeringPort its port (0 picks a free one)
 * @param advertiseHost host consumers use in the peering URL
 * @param advertisePort port consumers use (0: the bound port)
 * @param metricsPort port of /metrics, /healthz, /readyz (0 picks a free one, -1 none)
 * @param apiServerUrl this cluster's API server as peers reach it (null: the client's URL)
 * @param gatewayEndpoint HOST:PORT of this cluster's gateway (null: advertise host and 51820)
 * @param homeKubeconfig the kubeconfig file the agent uses, handed to virtual kubelets (null: in-cluster)
 * @param vkLogDir where child virtual kubelets log (null: the agent's stderr, prefixed)
 * @param gatewayNetns network namespace the agent starts one {@code pontoon gateway} per Tunnel in
 *     (sandbox dataplane mode, root); null: the agent starts no gateway
 */
public record AgentConfig(
    String clusterName, String bindHost, int peeringPort, String advertiseHost, int advertisePort,
    String podCidr, String serviceCidr, int metricsPort, int sharingPercentage, String apiServerUrl,
    String gatewayEndpoint, Path homeKubeconfig, Path vkLogDir, String gatewayNetns, Duration refresh, Duration unpeerTimeout,
    Duration finalizerGrace, Duration csrTimeout) {

  public static AgentConfig defaults(String clusterName) {
    return new AgentConfig(clusterName, "0.0.0.0", 8443, "127.0.0.1", 0, "10.244.0.0/16", "10.96.0.0/12",
        9090, 50, null, null, null, null, null, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(30));
  }

  /** Loopback, free ports, short intervals: in-process agents of tests and sandboxes. */
  public static AgentConfig local(String clusterName) {
    return defaults(clusterName).withPorts(0, 0).withBindHost("127.0.0.1").withRefresh(Duration.ofSeconds(1))
        .withUnpeerTimeout(Duration.ofSeconds(3)).withFinalizerGrace(Duration.ofSeconds(3));
  }

  public AgentConfig withPorts(int peering, int metrics) {
    return with(b -> {
      b.peeringPort = peering;
      b.metricsPort = metrics;
    });
  }

  public AgentConfig withBindHost(String h) {
    return with(b -> b.bindHost = h);
  }

  public AgentConfig withAdvertise(String host, int port) {
    return with(b -> {
      b.advertiseHost = host;
      b.advertisePort = port;
    });
  }

  public AgentConfig withCidrs(String pods, String services) {
    return with(b -> {
      b.podCidr = pods;
      b.serviceCidr = services;
    });
  }

  public AgentConfig withSharingPercentage(int p) {
    return with(b -> b.sharingPercentage = p);
  }

  public AgentConfig withApiServerUrl(String u) {
    return with(b -> b.apiServerUrl = u);
  }

  public AgentConfig withGatewayEndpoint(String g) {
    return with(b -> b.gatewayEndpoint = g);
  }

  public AgentConfig withHomeKubeconfig(Path k) {
    return with(b -> b.homeKubeconfig = k);
  }

  public AgentConfig withVkLogDir(Path d) {
    return with(b -> b.vkLogDir = d);
  }

  public AgentConfig withRefresh(Duration d) {
    return with(b -> b.refresh = d);
  }

  public AgentConfig withUnpeerTimeout(Duration d) {
    return with(b -> b.unpeerTimeout = d);
  }

  public AgentConfig withFinalizerGrace(Duration d) {
    return with(b -> b.finalizerGrace = d);
  }

  public AgentConfig withGatewayNetns(String ns) {
    return with(b -> b.gatewayNetns = ns);
  }

  /** A copy with some settings changed: the one place that lists every field. */
  private AgentConfig with(Consumer<Settings> change) {
    Settings b = new Settings(this);
    change.accept(b);
    return b.build();
  }

  /** Mutable copy of the settings, used only inside {@link #with}. */
  private static final class Settings {
    String clusterName;
    String bindHost;
    int peeringPort;
    String advertiseHost;
    int advertisePort;
    String podCidr;
    String serviceCidr;
    int metricsPort;
    int sharingPercentage;
    String apiServerUrl;
    String gatewayEndpoint;
    Path homeKubeconfig;
    Path vkLogDir;
    String gatewayNetns;
    Duration refresh;
    Duration unpeerTimeout;
    Duration finalizerGrace;
    Duration csrTimeout;

    Settings(AgentConfig c) {
      clusterName = c.clusterName;
      bindHost = c.bindHost;
      peeringPort = c.peeringPort;
      advertiseHost = c.advertiseHost;
      advertisePort = c.advertisePort;
      podCidr = c.podCidr;
      serviceCidr = c.serviceCidr;
      metricsPort = c.metricsPort;
      sharingPercentage = c.sharingPercentage;
      apiServerUrl = c.apiServerUrl;
      gatewayEndpoint = c.gatewayEndpoint;
      homeKubeconfig = c.homeKubeconfig;
      vkLogDir = c.vkLogDir;
      gatewayNetns = c.gatewayNetns;
      refresh = c.refresh;
      unpeerTimeout = c.unpeerTimeout;
      finalizerGrace = c.finalizerGrace;
      csrTimeout = c.csrTimeout;
    }

    AgentConfig build() {
      return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr, metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout, finalizerGrace, csrTimeout);
    }
  }
}
