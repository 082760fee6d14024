package io.pontoon.sandbox.cluster.scheduler;

import java.util.List;

/**
 * Why a node does not fit a pod (empty reasons: it fits).
 *
 * @param resolvable whether evicting lower-priority pods could help (only resource shortage), as
 *     kube's Unschedulable vs UnschedulableAndUnresolvable
 */
public record FilterResult(List<String> reasons, boolean resolvable) {
  public static final FilterResult FITS = new FilterResult(List.of(), false);

  public FilterResult {
    reasons = List.copyOf(reasons);
  }

  public boolean fits() {
    return reasons.isEmpty();
  }

  static FilterResult unresolvable(String reason) {
    return new FilterResult(List.of(reason), false);
  }
}
