package io.pontoon.peering.agent;

import java.nio.file.Path;
import java.time.Duration;

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
    return new AgentConfig(clusterName, bindHost, peering, advertiseHost, advertisePort, podCidr, serviceCidr, metrics,
        sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withBindHost(String h) {
    return new AgentConfig(clusterName, h, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr, metricsPort,
        sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withAdvertise(String host, int port) {
    return new AgentConfig(clusterName, bindHost, peeringPort, host, port, podCidr, serviceCidr, metricsPort,
        sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withCidrs(String pods, String services) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, pods, services, metricsPort,
        sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withSharingPercentage(int p) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, p, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withApiServerUrl(String u) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, u, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withGatewayEndpoint(String g) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, g, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withHomeKubeconfig(Path k) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, k, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withVkLogDir(Path d) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, d, gatewayNetns, refresh, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withRefresh(Duration d) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, d, unpeerTimeout,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withUnpeerTimeout(Duration d) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, d,
        finalizerGrace, csrTimeout);
  }

  public AgentConfig withFinalizerGrace(Duration d) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, gatewayNetns, refresh, unpeerTimeout,
        d, csrTimeout);
  }

  public AgentConfig withGatewayNetns(String ns) {
    return new AgentConfig(clusterName, bindHost, peeringPort, advertiseHost, advertisePort, podCidr, serviceCidr,
        metricsPort, sharingPercentage, apiServerUrl, gatewayEndpoint, homeKubeconfig, vkLogDir, ns, refresh,
        unpeerTimeout, finalizerGrace, csrTimeout);
  }
}
