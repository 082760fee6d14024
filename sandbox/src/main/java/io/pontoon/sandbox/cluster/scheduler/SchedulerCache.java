package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The scheduler's view of the cluster, fed by informers: nodes and what the pods bound to each
 * take. Choosing a node and reserving it for the pod ("assuming" it, as kube-scheduler does)
 * happen under one lock, so concurrent binders never overcommit a node while their bindings are
 * in flight. Pods bound to nodes not seen yet are counted too, so a late node starts full.
 */
final class SchedulerCache {
  /** Where a pod sits and what it takes; assumed until the informer shows it bound. */
  private record Placement(String node, Resources requests, Resources nonZero, boolean assumed) {}

  /** The outcome of one scheduling attempt: a node (already assumed), or why none fits. */
  record Decision(String node, FitError error) {}

  private static final class Usage {
    Resources requested = Resources.ZERO;
    Resources nonZero = Resources.ZERO;
    int pods;

    NodeUsage snapshot() {
      return new NodeUsage(requested, nonZero, pods);
    }
  }

  private final Map<String, NodeView> nodes = new HashMap<>();
  private final Map<String, Usage> usage = new HashMap<>();
  private final Map<String, Placement> placements = new HashMap<>();

  /** Returns whether the node is new or changed in a way that may let pending pods fit. */
  synchronized boolean upsertNode(Node node) {
    NodeView view = NodeView.of(node);
    NodeView old = nodes.put(view.name(), view);
    return !view.equals(old);
  }

  synchronized void removeNode(String name) {
    nodes.remove(name);
  }

  synchronized int nodeCount() {
    return nodes.size();
  }

  synchronized NodeUsage usage(String node) {
    Usage u = usage.get(node);
    return u == null ? NodeUsage.EMPTY : u.snapshot();
  }

  /**
   * Accounts a pod as the informer shows it. Returns whether this freed room on a node (a pod left
   * it or finished), which may let pending pods fit.
   */
  synchronized boolean observe(String key, Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    boolean bound = nodeName != null && !nodeName.isEmpty();
    boolean terminal = isTerminal(pod);
    Placement existing = placements.get(key);
    if (bound && !terminal) {
      if (existing != null && existing.node.equals(nodeName)) {
        if (existing.assumed) placements.put(key, new Placement(nodeName, existing.requests, existing.nonZero, false));
        return false;
      }
      boolean freed = existing != null && remove(key);
      add(key, new Placement(nodeName, Resources.requestsOf(pod), Resources.nonZeroRequestsOf(pod), false));
      return freed;
    }
    // an unbound view of an assumed pod is only a late event from before the binding
    if (existing == null || (!bound && !terminal && existing.assumed)) return false;
    return remove(key);
  }

  synchronized boolean forgetPod(String key) {
    return placements.containsKey(key) && remove(key);
  }

  /** Drops an assumption whose binding failed. */
  synchronized void forgetAssumed(String key) {
    Placement p = placements.get(key);
    if (p != null && p.assumed) remove(key);
  }

  /**
   * Filters and scores every node, then assumes the pod on the best one (ties broken at random).
   * Returns null when the pod is already placed (its binding is in flight or done).
   */
  synchronized Decision scheduleAndAssume(String key, PodInfo pod) {
    if (placements.containsKey(key)) return null;
    List<NodeView> feasible = new ArrayList<>();
    List<NodeUsage> feasibleUsage = new ArrayList<>();
    List<FilterResult> failures = new ArrayList<>();
    for (NodeView node : nodes.values()) {
      NodeUsage u = usage(node.name());
      FilterResult r = Filters.filter(pod, node, u);
      if (r.fits()) {
        feasible.add(node);
        feasibleUsage.add(u);
      } else {
        failures.add(r);
      }
    }
    if (feasible.isEmpty()) {
      boolean never = "Never".equals(pod.pod().getSpec().getPreemptionPolicy());
      return new Decision(null, FitError.of(nodes.size(), failures, never));
    }
    NodeView best = pick(pod, feasible, feasibleUsage);
    add(key, new Placement(best.name(), pod.requests(), pod.nonZeroRequests(), true));
    return new Decision(best.name(), null);
  }

  private static NodeView pick(PodInfo pod, List<NodeView> feasible, List<NodeUsage> usages) {
    int n = feasible.size();
    if (n == 1) return feasible.get(0);
    int[] taints = new int[n];
    long[] affinity = new long[n];
    int maxTaints = 0;
    long maxAffinity = 0;
    for (int i = 0; i < n; i++) {
      taints[i] = Scores.intolerablePreferNoSchedule(pod, feasible.get(i));
      affinity[i] = NodeAffinity.preferredScore(pod.pod(), feasible.get(i).name(), feasible.get(i).labels());
      maxTaints = Math.max(maxTaints, taints[i]);
      maxAffinity = Math.max(maxAffinity, affinity[i]);
    }
    long bestScore = Long.MIN_VALUE;
    NodeView best = null;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      long score = Scores.LEAST_ALLOCATED_WEIGHT * Scores.leastAllocated(pod, feasible.get(i), usages.get(i))
          + Scores.TAINT_WEIGHT * Scores.normalize(taints[i], maxTaints, true)
          + Scores.AFFINITY_WEIGHT * Scores.normalize(affinity[i], maxAffinity, false);
      if (score > bestScore) {
        bestScore = score;
        best = feasible.get(i);
        ties = 1;
      } else if (score == bestScore && ThreadLocalRandom.current().nextInt(++ties) == 0) {
        best = feasible.get(i); // reservoir sampling: each tied node equally likely
      }
    }
    return best;
  }

  private void add(String key, Placement p) {
    placements.put(key, p);
    Usage u = usage.computeIfAbsent(p.node, k -> new Usage());
    u.requested = u.requested.plus(p.requests);
    u.nonZero = u.nonZero.plus(p.nonZero);
    u.pods++;
  }

  private boolean remove(String key) {
    Placement p = placements.remove(key);
    if (p == null) return false;
    Usage u = usage.get(p.node);
    u.requested = u.requested.minus(p.requests);
    u.nonZero = u.nonZero.minus(p.nonZero);
    if (--u.pods == 0) usage.remove(p.node);
    return true;
  }

  static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
