package io.pontoon.sandbox.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one sandbox cluster looks like: its name, nodes, address ranges, timings and whether its
 * pods get real network namespaces.
 *
 * @param dir where the cluster keeps its files (kubeconfig, PKI, logs); null for in-memory only
 * @param dataplane pods are network namespaces with real processes (root only)
 * @param index the cluster's number in its sandbox (1 for cluster-1), which picks its underlay
 * @param sandboxId the sandbox's short id that makes host-wide network names unique; null means
 *     derived from the parent of {@code dir}
 */
public record ClusterSpec(
    String name,
    int nodes,
    NodeShape nodeShape,
    String podCidr,
    String serviceCidr,
    boolean dataplane,
    Path dir,
    Timings timings,
    int index,
    String sandboxId) {

  /** Capacity of every simulated node. */
  public record NodeShape(String cpu, String memory, int maxPods, int podCidrPrefix) {
    public static NodeShape defaults() {
      return new NodeShape("8", "32Gi", 110, 24);
    }
  }

  /**
   * Timings of the node and pod lifecycle, as kubelet and kube-controller-manager flags name them;
   * tests shorten them.
   */
  public record Timings(
      Duration nodeLeaseRenewInterval,
      Duration nodeStatusUpdateFrequency,
      Duration nodeMonitorPeriod,
      Duration nodeMonitorGracePeriod,
      long defaultTolerationSeconds,
      Duration containerStartDelay) {

    public static Timings defaults() {
      return new Timings(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5),
          Duration.ofSeconds(40), 300, Duration.ofMillis(50));
    }

    /** Fast timings for tests: a node is unreachable after 4 s, pods evicted 3 s later. */
    public static Timings fast() {
      return new Timings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(250),
          Duration.ofSeconds(4), 3, Duration.ofMillis(20));
    }
  }

  public ClusterSpec {
    Objects.requireNonNull(name, "name");
    if (nodes < 0 || nodes > 1000) throw new IllegalArgumentException("nodes must be between 0 and 1000, got " + nodes);
    Objects.requireNonNull(nodeShape, "nodeShape");
    Objects.requireNonNull(podCidr, "podCidr");
    Objects.requireNonNull(serviceCidr, "serviceCidr");
    Objects.requireNonNull(timings, "timings");
    if (index < 0 || index > 255) throw new IllegalArgumentException("cluster index must be 0..255, got " + index);
  }

  public static ClusterSpec defaults(String name) {
    return new ClusterSpec(name, 2, NodeShape.defaults(), "10.244.0.0/16", "10.96.0.0/12", false, null,
        Timings.defaults(), 1, null);
  }

  public ClusterSpec withNodes(int n) {
    return new ClusterSpec(name, n, nodeShape, podCidr, serviceCidr, dataplane, dir, timings, index, sandboxId);
  }

  public ClusterSpec withTimings(Timings t) {
    return new ClusterSpec(name, nodes, nodeShape, podCidr, serviceCidr, dataplane, dir, t, index, sandboxId);
  }

  public ClusterSpec withDir(Path d) {
    return new ClusterSpec(name, nodes, nodeShape, podCidr, serviceCidr, dataplane, d, timings, index, sandboxId);
  }

  public ClusterSpec withCidrs(String pods, String services) {
    return new ClusterSpec(name, nodes, nodeShape, pods, services, dataplane, dir, timings, index, sandboxId);
  }

  public ClusterSpec withDataplane(boolean on) {
    return new ClusterSpec(name, nodes, nodeShape, podCidr, serviceCidr, on, dir, timings, index, sandboxId);
  }

  public ClusterSpec withNodeShape(NodeShape s) {
    return new ClusterSpec(name, nodes, s, podCidr, serviceCidr, dataplane, dir, timings, index, sandboxId);
  }

  /** Its place in a sandbox: the cluster number and the sandbox id (for the dataplane's names). */
  public ClusterSpec inSandbox(int i, String id) {
    return new ClusterSpec(name, nodes, nodeShape, podCidr, serviceCidr, dataplane, dir, timings, i, id);
  }

  /** Node names: {@code <cluster>-node-1} … */
  public String nodeName(int i) {
    return name + "-node-" + i;
  }
}
