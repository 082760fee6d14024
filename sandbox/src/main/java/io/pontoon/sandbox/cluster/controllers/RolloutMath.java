package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The arithmetic of kube's deployment util: percentages of replicas (surge rounds up,
 * unavailability rounds down), fenceposts, and how far a rolling update may scale up the new
 * ReplicaSet or scale down the old ones.
 */
final class RolloutMath {
  private RolloutMath() {}

  /** maxSurge and maxUnavailable resolved against the desired replicas. */
  record Fenceposts(int maxSurge, int maxUnavailable) {}

  /** intstr.GetScaledValueFromIntOrPercent. */
  static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v == null) return 0;
    if (v.getIntVal() != null) return v.getIntVal();
    String s = v.getStrVal();
    if (s == null || !s.endsWith("%")) throw new IllegalArgumentException("invalid value for IntOrString: " + s);
    int percent = Integer.parseInt(s.substring(0, s.length() - 1).trim());
    long product = (long) percent * total;
    return (int) (roundUp ? (product + 99) / 100 : product / 100);
  }

  /** ResolveFenceposts: both zero would never progress, so unavailability becomes one. */
  static Fenceposts resolve(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaled(maxSurge, desired, true);
    int unavailable = scaled(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) unavailable = 1;
    return new Fenceposts(surge, unavailable);
  }

  /** NewRSNewReplicas for RollingUpdate: grow the new set within replicas + maxSurge in total. */
  static int newReplicaSetReplicas(int desired, int maxSurge, int allReplicas, int newReplicas) {
    int maxTotal = desired + maxSurge;
    if (allReplicas >= maxTotal) return newReplicas;
    int scaleUp = Math.min(maxTotal - allReplicas, desired - newReplicas);
    return newReplicas + Math.max(scaleUp, 0);
  }

  /**
   * reconcileOldReplicaSets' budget: how many old pods may go now without the available count
   * falling under desired − maxUnavailable, counting the new set's unavailable pods as missing.
   */
  static int maxScaledDown(int allReplicas, int desired, int maxUnavailable, int newSpecReplicas,
      int newAvailable) {
    int minAvailable = desired - maxUnavailable;
    int newUnavailable = newSpecReplicas - newAvailable;
    return allReplicas - minAvailable - newUnavailable;
  }

  /** getReplicaSetFraction's proportional share of a resize, rounded half away from zero as Go's math.Round. */
  static int proportion(int rsReplicas, int deploymentReplicasWithSurge, int annotatedMaxReplicas) {
    if (annotatedMaxReplicas == 0) return 0;
    double size = (double) rsReplicas * deploymentReplicasWithSurge / annotatedMaxReplicas;
    long rounded = size < 0 ? -Math.round(-size) : Math.round(size);
    return (int) rounded - rsReplicas;
  }
}
