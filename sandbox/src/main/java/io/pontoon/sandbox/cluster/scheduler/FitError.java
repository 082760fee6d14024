package io.pontoon.sandbox.cluster.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod fits no node, worded as kube-scheduler's FitError: counts per reason, sorted, then
 * what preemption would say (this scheduler never preempts: nodes short of resources report no
 * victims, the others that preemption would not help).
 */
public record FitError(int nodes, Map<String, Integer> reasons, int resolvableNodes, boolean preemptionNever) {
  static final String NO_NODES = "no nodes available to schedule pods";

  public FitError {
    reasons = Map.copyOf(reasons);
  }

  public static FitError of(int nodes, List<FilterResult> failures, boolean preemptionNever) {
    Map<String, Integer> counts = new TreeMap<>();
    int resolvable = 0;
    for (FilterResult r : failures) {
      r.reasons().forEach(reason -> counts.merge(reason, 1, Integer::sum));
      if (r.resolvable()) resolvable++;
    }
    return new FitError(nodes, counts, resolvable, preemptionNever);
  }

  public String message() {
    if (nodes == 0) return NO_NODES;
    String head = "0/" + nodes + " nodes are available: ";
    List<String> parts = new ArrayList<>();
    reasons.forEach((reason, count) -> parts.add(count + " " + reason));
    parts.sort(null);
    StringBuilder sb = new StringBuilder(head).append(String.join(", ", parts)).append(". preemption: ");
    if (preemptionNever) return sb.append("not eligible due to preemptionPolicy=Never.").toString();
    List<String> pre = new ArrayList<>();
    if (nodes - resolvableNodes > 0) pre.add((nodes - resolvableNodes) + " Preemption is not helpful for scheduling");
    if (resolvableNodes > 0) pre.add(resolvableNodes + " No preemption victims found for incoming pod");
    pre.sort(null);
    return sb.append(head).append(String.join(", ", pre)).append('.').toString();
  }
}
