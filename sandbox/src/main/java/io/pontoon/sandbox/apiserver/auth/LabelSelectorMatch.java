package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * A minimal metav1.LabelSelector matcher, enough for ClusterRole aggregation: matchLabels and the
 * In, NotIn, Exists, DoesNotExist expressions. An empty selector matches everything, an absent
 * one nothing, as LabelSelectorAsSelector has it. A full selector class may be plugged into
 * {@link RbacAuthorizer} instead.
 */
final class LabelSelectorMatch implements BiPredicate<JsonNode, JsonNode> {
  static final LabelSelectorMatch INSTANCE = new LabelSelectorMatch();

  private LabelSelectorMatch() {}

  /**
   * @param selector a LabelSelector object
   * @param labels the {@code metadata.labels} object of the candidate (may be missing)
   */
  @Override
  public boolean test(JsonNode selector, JsonNode labels) {
    if (selector == null || selector.isNull() || selector.isMissingNode()) return false;
    JsonNode matchLabels = selector.path("matchLabels");
    for (Iterator<Map.Entry<String, JsonNode>> it = matchLabels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode have = labels == null ? null : labels.get(e.getKey());
      if (have == null || !have.asText().equals(e.getValue().asText())) return false;
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      JsonNode have = labels == null ? null : labels.get(key);
      boolean present = have != null && !have.isNull();
      boolean inValues = false;
      if (present) {
        for (JsonNode v : expr.path("values")) {
          if (v.asText().equals(have.asText())) inValues = true;
        }
      }
      boolean ok = switch (expr.path("operator").asText()) {
        case "In" -> present && inValues;
        case "NotIn" -> !present || !inValues;
        case "Exists" -> present;
        case "DoesNotExist" -> !present;
        default -> false; // an invalid operator selects nothing
      };
      if (!ok) return false;
    }
    return true;
  }
}
