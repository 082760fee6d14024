package io.pontoon.vk;

import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;
import java.time.Duration;
import java.util.Objects;

/**
 * What one virtual kubelet serves: which home cluster, which provider, its node, and how it
 * behaves. Clients are passed separately: the configuration is plain values.
 *
 * @param home the home (consumer) cluster, whose pods are offloaded
 * @param foreignClusterId provider's cluster ID
 * @param foreignClusterName provider's name; the node is {@code pontoon-<name>} by default
 * @param nodeName the virtual node
 * @param nodeIp address of the node's kubelet endpoint, as the home API server reaches it
 * @param kubeletPort port of the kubelet endpoint (0: any free port)
 * @param metricsPort port of /metrics and /healthz (0: any free port, -1: none)
 * @param mapping how twin namespaces are named when a namespace has no NamespaceOffloading status
 * @param podWorkers workers of the pod loop
 * @param sharingPercentage share of the provider's free resources shown, without a ResourceSlice
 * @param timings intervals of the node loop
 */
public record VirtualKubeletConfig(
    ClusterIdentity home,
    String foreignClusterId,
    String foreignClusterName,
    String nodeName,
    String nodeIp,
    int kubeletPort,
    int metricsPort,
    NamespaceMappingStrategy mapping,
    int podWorkers,
    int sharingPercentage,
    Timings timings) {

  /** Heartbeat and probe intervals; tests shorten them. */
  public record Timings(Duration leaseRenew, Duration statusUpdate, Duration providerProbe,
      Duration providerProbeTimeout) {
    public static Timings defaults() {
      return new Timings(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2),
          Duration.ofSeconds(3));
    }

    public static Timings fast() {
      return new Timings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(300),
          Duration.ofSeconds(1));
    }
  }

  public VirtualKubeletConfig {
    Objects.requireNonNull(home, "home identity");
    if (foreignClusterId == null || !foreignClusterId.matches(PontoonNames.CLUSTER_ID_PATTERN)) {
      throw new IllegalArgumentException(
          "foreign cluster ID must be a lowercase UUID, got '" + foreignClusterId + "'");
    }
    if (!PontoonNames.isDns1123Label(foreignClusterName)) {
      throw new IllegalArgumentException(
          "foreign cluster name must be a DNS-1123 label, got '" + foreignClusterName + "'");
    }
    if (nodeName == null) nodeName = PontoonNames.virtualNodeName(foreignClusterName);
    if (nodeIp == null) nodeIp = "127.0.0.1";
    if (mapping == null) mapping = NamespaceMappingStrategy.DefaultName;
    if (podWorkers < 1) throw new IllegalArgumentException("pod workers must be at least 1, got " + podWorkers);
    if (sharingPercentage < 1 || sharingPercentage > 100) {
      throw new IllegalArgumentException("sharing percentage must be 1..100, got " + sharingPercentage);
    }
    if (timings == null) timings = Timings.defaults();
  }

  /** Defaults for serving {@code foreign} to {@code home}. */
  public static VirtualKubeletConfig of(ClusterIdentity home, ClusterIdentity foreign) {
    return new VirtualKubeletConfig(home, foreign.id(), foreign.name(), null, null, 0, 0, null, 10, 50,
        null);
  }

  public VirtualKubeletConfig withTimings(Timings t) {
    return new VirtualKubeletConfig(home, foreignClusterId, foreignClusterName, nodeName, nodeIp,
        kubeletPort, metricsPort, mapping, podWorkers, sharingPercentage, t);
  }

  public VirtualKubeletConfig withPodWorkers(int n) {
    return new VirtualKubeletConfig(home, foreignClusterId, foreignClusterName, nodeName, nodeIp,
        kubeletPort, metricsPort, mapping, n, sharingPercentage, timings);
  }

  /** The consumer's tenant namespace on the provider, where its ResourceSlice lives. */
  public String tenantNamespaceOnProvider() {
    return PontoonNames.tenantNamespace(home.name());
  }

  /** The provider's tenant namespace here, where its NetworkConfig lives. */
  public String tenantNamespaceAtHome() {
    return PontoonNames.tenantNamespace(foreignClusterName);
  }
}
