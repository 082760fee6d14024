package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs of a node, read once per node update.
 *
 * @param taints the node's taints, plus a NoSchedule not-ready or unreachable taint when its Ready
 *     condition is not True and the node lifecycle controller has not tainted it yet — what kube's
 *     TaintNodesByCondition makes sure of, so pods tolerating it may still land there
 */
public record NodeView(String name, Map<String, String> labels, List<Taint> taints, boolean unschedulable,
    Resources allocatable, long allowedPods) {

  public NodeView {
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }

  public static NodeView of(Node node) {
    String name = node.getMetadata().getName();
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    List<Taint> taints = new ArrayList<>();
    if (node.getSpec() != null && node.getSpec().getTaints() != null) taints.addAll(node.getSpec().getTaints());
    String ready = readyStatus(node);
    if (!ready.equals("True")) {
      // a node without a Ready condition has just registered: kubelets register it not-ready
      String key = ready.equals("Unknown") ? Taints.UNREACHABLE : Taints.NOT_READY;
      Taint implied = new TaintBuilder().withKey(key).withEffect(Taints.NO_SCHEDULE).build();
      if (taints.stream().noneMatch(t -> Taints.sameTaint(t, implied))) taints.add(implied);
    }
    boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    Map<String, Quantity> alloc = node.getStatus() == null ? null : node.getStatus().getAllocatable();
    if ((alloc == null || alloc.isEmpty()) && node.getStatus() != null) alloc = node.getStatus().getCapacity();
    long pods = alloc != null && alloc.get("pods") != null ? Resources.units(alloc.get("pods")) : 0;
    return new NodeView(name, labels, taints, unschedulable, Resources.of(alloc), pods);
  }

  /** The Ready condition's status; empty when there is none yet. */
  public static String readyStatus(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) return "";
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) return c.getStatus() == null ? "" : c.getStatus();
    }
    return "";
  }
}
