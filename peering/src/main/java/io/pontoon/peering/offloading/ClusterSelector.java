package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/**
 * A NamespaceOffloading's {@code clusterSelector}: a {@code NodeSelectorTerm} evaluated against a
 * virtual node, with the scheduler's semantics (requirements ANDed; an empty term selects all).
 */
public final class ClusterSelector {
  private ClusterSelector() {}

  public static boolean matches(NodeSelectorTerm term, Node node) {
    if (term == null) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (term.getMatchExpressions() != null) {
      for (NodeSelectorRequirement r : term.getMatchExpressions()) {
        if (!matches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()))) {
          return false;
        }
      }
    }
    if (term.getMatchFields() != null) {
      for (NodeSelectorRequirement r : term.getMatchFields()) {
        if (!"metadata.name".equals(r.getKey())) {
          return false; // the only field the scheduler supports
        }
        if (!matches(r, node.getMetadata().getName(), true)) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String op = r.getOperator() == null ? "" : r.getOperator();
    return switch (op) {
      case "In" -> present && values.contains(value);
      case "NotIn" -> !present || !values.contains(value);
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      case "Gt", "Lt" -> present && values.size() == 1 && compare(value, values.get(0), op);
      default -> false;
    };
  }

  private static boolean compare(String value, String bound, String op) {
    try {
      long v = Long.parseLong(value);
      long b = Long.parseLong(bound);
      return op.equals("Gt") ? v > b : v < b;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Whether {@code term} has no requirement at all (selects every virtual node). */
  public static boolean isEmpty(NodeSelectorTerm term) {
    return term == null
        || (term.getMatchExpressions() == null || term.getMatchExpressions().isEmpty())
            && (term.getMatchFields() == null || term.getMatchFields().isEmpty());
  }
}
