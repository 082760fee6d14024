package io.pontoon.sandbox.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Kubernetes label selector: a conjunction of {@link LabelRequirement}s, or the selector that
 * matches nothing.
 *
 * <p>Two sources, with the two meanings Kubernetes gives to "no selector":
 * <ul>
 *   <li>{@link #parse(String)} reads the {@code labelSelector} query string; an empty or absent
 *       string selects everything.</li>
 *   <li>{@link #fromLabelSelector(JsonNode)} reads a {@code metav1.LabelSelector} object as
 *       LabelSelectorAsSelector does: a null or absent selector matches nothing, an empty one
 *       ({@code {}}) matches everything.</li>
 * </ul>
 * Errors are {@link ApiException#badRequest} with the message kube-apiserver returns.
 */
public final class LabelSelector {
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

  private final List<LabelRequirement> requirements;
  private final boolean nothing;

  private LabelSelector(List<LabelRequirement> requirements, boolean nothing) {
    this.requirements = requirements;
    this.nothing = nothing;
  }

  public static LabelSelector everything() {
    return EVERYTHING;
  }

  public static LabelSelector nothing() {
    return NOTHING;
  }

  /**
   * Parses the label selector grammar of k8s.io/apimachinery/pkg/labels. {@code null} and
   * whitespace-only strings give {@link #everything()}.
   */
  public static LabelSelector parse(String selector) {
    if (selector == null) {
      return EVERYTHING;
    }
    List<LabelRequirement> reqs = new LabelSelectorParser(selector).parse();
    return of(reqs);
  }

  /** A selector requiring each label of the map to have exactly that value; empty map selects everything. */
  public static LabelSelector fromSet(Map<String, String> labels) {
    List<LabelRequirement> reqs = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> reqs.add(LabelRequirement.create(k, LabelOperator.EQUALS, List.of(v))));
    return of(reqs);
  }

  /**
   * Builds a selector from a {@code metav1.LabelSelector} JSON node ({@code matchLabels} and
   * {@code matchExpressions}). A null, missing or JSON-null node matches nothing; an object without
   * any term matches everything.
   */
  public static LabelSelector fromLabelSelector(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NOTHING;
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("label selector must be an object");
    }
    List<LabelRequirement> reqs = new ArrayList<>();
    JsonNode matchLabels = node.path("matchLabels");
    if (matchLabels.isObject()) {
      // Go ranges over a map in random order; sorting makes the first reported error stable.
      Map<String, String> sorted = new TreeMap<>();
      matchLabels.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
      sorted.forEach((k, v) -> reqs.add(LabelRequirement.create(k, LabelOperator.EQUALS, List.of(v))));
    }
    JsonNode expressions = node.path("matchExpressions");
    if (expressions.isArray()) {
      for (JsonNode expr : expressions) {
        String op = expr.path("operator").asText("");
        LabelOperator operator = switch (op) {
          case "In" -> LabelOperator.IN;
          case "NotIn" -> LabelOperator.NOT_IN;
          case "Exists" -> LabelOperator.EXISTS;
          case "DoesNotExist" -> LabelOperator.DOES_NOT_EXIST;
          default -> throw ApiException.badRequest(LabelRules.quote(op) + " is not a valid label selector operator");
        };
        List<String> values = new ArrayList<>();
        for (JsonNode v : expr.path("values")) {
          values.add(v.asText());
        }
        reqs.add(LabelRequirement.create(expr.path("key").asText(""), operator, values));
      }
    }
    return of(reqs);
  }

  private static LabelSelector of(List<LabelRequirement> reqs) {
    if (reqs.isEmpty()) {
      return EVERYTHING;
    }
    List<LabelRequirement> sorted = new ArrayList<>(reqs);
    sorted.sort(Comparator.comparing(LabelRequirement::key)); // stable, like Go's sort by key
    return new LabelSelector(List.copyOf(sorted), false);
  }

  public boolean matches(Map<String, String> labels) {
    if (nothing) {
      return false;
    }
    Map<String, String> ls = labels == null ? Map.of() : labels;
    for (LabelRequirement r : requirements) {
      if (!r.matches(ls)) {
        return false;
      }
    }
    return true;
  }

  /** Matches the {@code metadata.labels} object of a Kubernetes object (null or missing means no labels). */
  public boolean matches(JsonNode objectMetadataLabels) {
    Map<String, String> labels = new TreeMap<>();
    if (objectMetadataLabels != null && objectMetadataLabels.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = objectMetadataLabels.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          labels.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    return matches(labels);
  }

  /** True when the selector does not restrict anything ({@link #nothing()} is not empty). */
  public boolean isEmpty() {
    return !nothing && requirements.isEmpty();
  }

  public boolean matchesNothing() {
    return nothing;
  }

  public List<LabelRequirement> requirements() {
    return requirements;
  }

  /**
   * The one value a label must have to match, when the selector pins it ({@code k=v}, {@code k==v}
   * or {@code k in (v)}), as RequiresExactMatch does; useful for index look-ups.
   */
  public Optional<String> exactValue(String key) {
    for (LabelRequirement r : requirements) {
      if (r.key().equals(key)) {
        boolean exact = r.operator() == LabelOperator.EQUALS || r.operator() == LabelOperator.DOUBLE_EQUALS
            || r.operator() == LabelOperator.IN;
        return exact && r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The canonical string form, as labels.Selector.String() prints it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (LabelRequirement r : requirements) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(r);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector other && other.nothing == nothing && other.requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nothing, requirements);
  }
}
