package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.List;
import java.util.Map;

/** {@code spec.nodeSelector} and node affinity, evaluated against a node's labels and name. */
public final class NodeAffinity {
  private NodeAffinity() {}

  /** nodeSelector AND required node affinity: what kube's NodeAffinity filter checks. */
  public static boolean matchesRequired(Pod pod, String nodeName, Map<String, String> labels) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      }
    }
    NodeSelector required = required(pod);
    return required == null || matches(required, nodeName, labels);
  }

  /** Terms are OR'ed; a term with no requirements matches nothing. */
  public static boolean matches(NodeSelector selector, String nodeName, Map<String, String> labels) {
    List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
    if (terms == null) return false;
    for (NodeSelectorTerm term : terms) {
      if (matches(term, nodeName, labels)) return true;
    }
    return false;
  }

  /** Requirements of one term are AND'ed; matchFields knows only metadata.name. */
  public static boolean matches(NodeSelectorTerm term, String nodeName, Map<String, String> labels) {
    List<NodeSelectorRequirement> exprs = nullSafe(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = nullSafe(term.getMatchFields());
    if (exprs.isEmpty() && fields.isEmpty()) return false;
    for (NodeSelectorRequirement r : exprs) {
      if (!matches(r, labels)) return false;
    }
    for (NodeSelectorRequirement r : fields) {
      if (!"metadata.name".equals(r.getKey())) return false;
      if (!matches(r, Map.of("metadata.name", nodeName))) return false;
    }
    return true;
  }

  static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = nullSafe(r.getValues());
    return switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> value != null && values.size() == 1 && compare(r.getOperator(), value, values.get(0));
      default -> false;
    };
  }

  private static boolean compare(String op, String label, String bound) {
    try {
      long l = Long.parseLong(label);
      long b = Long.parseLong(bound);
      return op.equals("Gt") ? l > b : l < b;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Sum of the weights of the preferred terms this node matches. */
  public static long preferredScore(Pod pod, String nodeName, Map<String, String> labels) {
    Affinity a = pod.getSpec().getAffinity();
    if (a == null || a.getNodeAffinity() == null) return 0;
    long sum = 0;
    for (PreferredSchedulingTerm t : nullSafe(a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())) {
      if (t.getPreference() != null && t.getWeight() != null && matches(t.getPreference(), nodeName, labels)) {
        sum += t.getWeight();
      }
    }
    return sum;
  }

  private static NodeSelector required(Pod pod) {
    Affinity a = pod.getSpec().getAffinity();
    if (a == null || a.getNodeAffinity() == null) return null;
    return a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
