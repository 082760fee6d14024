package io.pontoon.sandbox.cluster.node;

import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the container runtime of a node. This is the one place the dataplane runtime plugs in:
 * when {@code spec.dataplane()} is set, return it here instead of the simulated one.
 *
 * <p>What the kubelet gives a runtime: {@link NodeEnv} (node name, 1-based index, podCIDR — its
 * first usable address {@code podCidr().address(1)} is the gateway the kubelet never hands to a
 * pod — and a private directory); {@code startPodSandbox} with an address of that podCIDR, or
 * the node's own {@link ContainerRuntime#nodeIp()} for a {@code hostNetwork} pod; container
 * log files under the node directory. The kubelet's HTTPS server binds to {@code nodeIp()}, so
 * that address must exist on the host.
 */
public final class ContainerRuntimes {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntimes.class);

  private ContainerRuntimes() {}

  /**
   * The runtime for {@code node}. {@code timers} is the node host's shared scheduler, for
   * runtimes that need delayed work; a runtime must not block it.
   */
  public static ContainerRuntime forNode(NodeEnv node, ScheduledExecutorService timers) {
    if (node.spec().dataplane()) {
      // Hook: the dataplane runtime (cluster/dataplane) is returned here once it exists.
      LOG.warn("cluster={} node={} dataplane=requested runtime=simulated reason=\"no dataplane runtime yet\"",
          node.spec().name(), node.name());
    }
    return new SimulatedRuntime(node.name(), timers);
  }
}
