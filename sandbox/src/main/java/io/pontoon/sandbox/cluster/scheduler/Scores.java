package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/**
 * kube-scheduler's scores that apply here, each 0–100 and weighted as in its default profile:
 * NodeResourcesFit LeastAllocated (1), TaintToleration (3), NodeAffinity preferred terms (2).
 */
public final class Scores {
  static final int LEAST_ALLOCATED_WEIGHT = 1;
  static final int TAINT_WEIGHT = 3;
  static final int AFFINITY_WEIGHT = 2;

  private Scores() {}

  /** Mean over cpu and memory of the share left free once the pod is placed. */
  public static long leastAllocated(PodInfo pod, NodeView node, NodeUsage usage) {
    Resources alloc = node.allocatable();
    Resources used = usage.nonZeroRequested().plus(pod.nonZeroRequests());
    return (free(alloc.milliCpu(), used.milliCpu()) + free(alloc.memory(), used.memory())) / 2;
  }

  private static long free(long capacity, long requested) {
    if (capacity <= 0 || requested > capacity) return 0;
    return (capacity - requested) * 100 / capacity;
  }

  /** PreferNoSchedule taints the pod does not tolerate (only tolerations for that effect count). */
  public static int intolerablePreferNoSchedule(PodInfo pod, NodeView node) {
    List<Toleration> tolerations = pod.pod().getSpec().getTolerations() == null ? List.of()
        : pod.pod().getSpec().getTolerations().stream()
            .filter(t -> t.getEffect() == null || t.getEffect().isEmpty()
                || t.getEffect().equals(Taints.PREFER_NO_SCHEDULE))
            .toList();
    int n = 0;
    for (Taint t : node.taints()) {
      if (Taints.PREFER_NO_SCHEDULE.equals(t.getEffect()) && !Taints.tolerated(tolerations, t)) n++;
    }
    return n;
  }

  /** Normalizes raw values to 0–100 against the largest; reversed when fewer is better. */
  static long normalize(long raw, long max, boolean reverse) {
    if (max <= 0) return reverse ? 100 : 0;
    long s = raw * 100 / max;
    return reverse ? 100 - s : s;
  }
}
