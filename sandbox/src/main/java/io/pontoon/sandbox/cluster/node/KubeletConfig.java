package io.pontoon.sandbox.cluster.node;

import io.pontoon.sandbox.cluster.ClusterSpec;
import java.time.Duration;

/**
 * Kubelet timings.
 *
 * @param containerStartDelay how long a pod shows ContainerCreating before its containers start
 * @param backoffBase the first crash-loop delay (kubelet: 10 s); the first restart is immediate
 * @param backoffMax the longest crash-loop delay (kubelet: 300 s); a container that ran twice as
 *     long has its backoff reset
 */
public record KubeletConfig(Duration containerStartDelay, Duration backoffBase, Duration backoffMax) {

  /**
   * Kubelet's own values under default timings; under shortened timings the backoff shrinks with
   * the status update frequency, so tests can watch a crash loop.
   */
  public static KubeletConfig forSpec(ClusterSpec spec) {
    Duration base = Duration.ofSeconds(10);
    Duration statusEvery = spec.timings().nodeStatusUpdateFrequency();
    if (statusEvery.compareTo(base) < 0) base = statusEvery;
    return new KubeletConfig(spec.timings().containerStartDelay(), base, base.multipliedBy(30));
  }
}
