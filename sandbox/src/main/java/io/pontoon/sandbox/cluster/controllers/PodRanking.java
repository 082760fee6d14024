package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods a ReplicaSet deletes first when it scales down, in the order of kube's
 * ActivePodsWithRanks (with LogarithmicScaleDown): unscheduled before scheduled, Pending before
 * Unknown before Running, not ready before ready, lower pod-deletion-cost first, pods doubled up
 * on a node with related pods first, then recently ready before long ready, more restarts
 * before fewer, newer before older (times compared in powers of two of their age).
 */
final class PodRanking {
  static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private PodRanking() {}

  /** The {@code count} pods to delete among {@code pods}, best candidates first. */
  static List<Pod> podsToDelete(List<Pod> pods, List<Pod> related, int count, Instant now) {
    List<Pod> sorted = new ArrayList<>(pods);
    if (count < pods.size()) sorted.sort(comparator(ranks(pods, related), now));
    return List.copyOf(sorted.subList(0, Math.min(count, sorted.size())));
  }

  /** For each pod, how many related pods share its node (kube's getPodsRankedByRelatedPodsOnSameNode). */
  static Map<String, Integer> ranks(List<Pod> pods, List<Pod> related) {
    Map<String, Integer> perNode = new HashMap<>();
    for (Pod p : related) {
      if (!PodConditions.isActive(p)) continue;
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node != null && !node.isEmpty()) perNode.merge(node, 1, Integer::sum);
    }
    Map<String, Integer> ranks = new HashMap<>();
    for (Pod p : pods) {
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      ranks.put(p.getMetadata().getUid(), node == null || node.isEmpty() ? 0 : perNode.getOrDefault(node, 0));
    }
    return ranks;
  }

  static Comparator<Pod> comparator(Map<String, Integer> ranks, Instant now) {
    return (a, b) -> compare(a, b, ranks, now);
  }

  private static int compare(Pod a, Pod b, Map<String, Integer> ranks, Instant now) {
    // 1. unassigned < assigned
    boolean aAssigned = assigned(a);
    if (aAssigned != assigned(b)) return aAssigned ? 1 : -1;
    // 2. Pending < Unknown < Running
    int pa = phaseOrdinal(a);
    int pb = phaseOrdinal(b);
    if (pa != pb) return Integer.compare(pa, pb);
    // 3. not ready < ready
    boolean aReady = PodConditions.isReady(a);
    boolean bReady = PodConditions.isReady(b);
    if (aReady != bReady) return aReady ? 1 : -1;
    // 4. lower deletion cost < higher
    int ca = deletionCost(a);
    int cb = deletionCost(b);
    if (ca != cb) return Integer.compare(ca, cb);
    // 5. doubled up (more related pods on the node) < not
    int ra = ranks.getOrDefault(a.getMetadata().getUid(), 0);
    int rb = ranks.getOrDefault(b.getMetadata().getUid(), 0);
    if (ra != rb) return Integer.compare(rb, ra);
    // 6. ready more recently < ready longer
    if (aReady && bReady) {
      Optional<Instant> ta = PodConditions.readySince(a);
      Optional<Instant> tb = PodConditions.readySince(b);
      if (!ta.equals(tb)) {
        int c = newerFirst(ta, tb, now, a, b);
        if (c != 0) return c;
      }
    }
    // 7. more restarts < fewer
    int ma = PodConditions.maxRestarts(a);
    int mb = PodConditions.maxRestarts(b);
    if (ma != mb) return Integer.compare(mb, ma);
    // 8. newer < older
    Optional<Instant> createdA = PodConditions.created(a);
    Optional<Instant> createdB = PodConditions.created(b);
    if (!createdA.equals(createdB)) return newerFirst(createdA, createdB, now, a, b);
    return 0;
  }

  private static boolean assigned(Pod p) {
    return p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
  }

  private static int phaseOrdinal(Pod p) {
    return switch (PodConditions.phase(p)) {
      case "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 0;
    };
  }

  static int deletionCost(Pod p) {
    Map<String, String> ann = p.getMetadata().getAnnotations();
    if (ann == null || !ann.containsKey(DELETION_COST)) return 0;
    try {
      return Integer.parseInt(ann.get(DELETION_COST));
    } catch (NumberFormatException e) {
      return 0; // kube ignores an invalid cost
    }
  }

  /**
   * Empty times first, then the more recent; times within the same power-of-two age bucket are
   * equal and fall back to the UID so the order is stable (kube's logarithmic scale-down).
   */
  private static int newerFirst(Optional<Instant> ta, Optional<Instant> tb, Instant now, Pod a, Pod b) {
    if (ta.isEmpty() || tb.isEmpty()) return ta.isEmpty() ? (tb.isEmpty() ? 0 : -1) : 1;
    int diff = logBucket(ta.get(), now) - logBucket(tb.get(), now);
    if (diff == 0) return a.getMetadata().getUid().compareTo(b.getMetadata().getUid());
    return Integer.compare(diff, 0);
  }

  static int logBucket(Instant t, Instant now) {
    long nanos = Duration.between(t, now).toNanos();
    return nanos <= 0 ? 0 : 63 - Long.numberOfLeadingZeros(nanos);
  }
}
