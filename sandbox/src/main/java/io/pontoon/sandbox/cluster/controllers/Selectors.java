package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** metav1.LabelSelector semantics: a null selector selects nothing, an empty one everything. */
final class Selectors {
  private Selectors() {}

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) return false;
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) return false;
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, l)) return false;
      }
    }
    return true;
  }

  /** Whether a selector selects nothing on purpose (null) or everything (empty). */
  static boolean isEmpty(LabelSelector selector) {
    return selector != null && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String v = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> v != null && values.contains(v);
      case "NotIn" -> v == null || !values.contains(v);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }

  /** A service's map selector: nil or empty selects nothing (services without selectors). */
  static boolean matchesMap(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty()) return false;
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(l.get(e.getKey()))) return false;
    }
    return true;
  }
}
