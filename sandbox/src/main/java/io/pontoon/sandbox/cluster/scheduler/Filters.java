package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * kube-scheduler's default filter plugins that apply here, in its order (NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodeResourcesFit); the first that fails gives the node's reasons,
 * worded as kube words them.
 */
public final class Filters {
  static final String UNSCHEDULABLE = "node(s) were unschedulable";
  static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";
  static final String TOO_MANY_PODS = "Too many pods";

  private static final Taint UNSCHEDULABLE_TAINT = new TaintBuilder().withKey(Taints.UNSCHEDULABLE)
      .withEffect(Taints.NO_SCHEDULE).build();

  private Filters() {}

  public static FilterResult filter(PodInfo pod, NodeView node, NodeUsage usage) {
    var tolerations = pod.pod().getSpec().getTolerations();
    if (node.unschedulable() && !Taints.tolerated(tolerations, UNSCHEDULABLE_TAINT)) {
      return FilterResult.unresolvable(UNSCHEDULABLE);
    }
    Optional<Taint> untolerated = Taints.firstUntolerated(node.taints(), tolerations, Taints.NO_SCHEDULE,
        Taints.NO_EXECUTE);
    if (untolerated.isPresent()) {
      Taint t = untolerated.get();
      return FilterResult.unresolvable("node(s) had untolerated taint {" + Taints.nz(t.getKey()) + ": "
          + Taints.nz(t.getValue()) + "}");
    }
    if (!NodeAffinity.matchesRequired(pod.pod(), node.name(), node.labels())) {
      return FilterResult.unresolvable(AFFINITY);
    }
    List<String> insufficient = insufficient(pod.requests(), node, usage);
    return insufficient.isEmpty() ? FilterResult.FITS : new FilterResult(insufficient, true);
  }

  /** NodeResourcesFit: the pod count, then each requested resource against what is left. */
  static List<String> insufficient(Resources req, NodeView node, NodeUsage usage) {
    List<String> reasons = new ArrayList<>();
    if (usage.pods() + 1 > node.allowedPods()) reasons.add(TOO_MANY_PODS);
    if (req.isZero()) return reasons;
    Resources alloc = node.allocatable();
    Resources used = usage.requested();
    if (req.milliCpu() > 0 && req.milliCpu() > alloc.milliCpu() - used.milliCpu()) reasons.add("Insufficient cpu");
    if (req.memory() > 0 && req.memory() > alloc.memory() - used.memory()) reasons.add("Insufficient memory");
    if (req.ephemeralStorage() > 0 && req.ephemeralStorage() > alloc.ephemeralStorage() - used.ephemeralStorage()) {
      reasons.add("Insufficient ephemeral-storage");
    }
    for (String name : new TreeSet<>(req.scalar().keySet())) {
      long r = req.scalar(name);
      if (r > 0 && r > alloc.scalar(name) - used.scalar(name)) reasons.add("Insufficient " + name);
    }
    return reasons;
  }
}
