package io.pontoon.sandbox.cluster.node;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The simulated container runtime of a node; {@link NodeHost#runtimeFor} returns the dataplane's
 * runtime instead when the cluster runs in dataplane mode.
 *
 * <p>What the kubelet gives a runtime: {@link NodeEnv} (node name, 1-based index, podCIDR — its
 * first usable address {@code podCidr().address(1)} is the gateway the kubelet never hands to a
 * pod — and a private directory); {@code startPodSandbox} with an address of that podCIDR, or
 * the node's own {@link ContainerRuntime#nodeIp()} for a {@code hostNetwork} pod; container
 * log files under the node directory. The kubelet's HTTPS server binds to {@code nodeIp()}, so
 * that address must exist on the host.
 */
public final class ContainerRuntimes {
  private ContainerRuntimes() {}

  /**
   * The runtime for {@code node}. {@code timers} is the node host's shared scheduler, for
   * runtimes that need delayed work; a runtime must not block it.
   */
  public static ContainerRuntime forNode(NodeEnv node, ScheduledExecutorService timers) {
    return new SimulatedRuntime(node.name(), timers);
  }
}
