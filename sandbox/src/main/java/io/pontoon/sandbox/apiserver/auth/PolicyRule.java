package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.util.ArrayList;
import java.util.List;

/** One entry of a Role's or ClusterRole's {@code rules}. */
public record PolicyRule(
    List<String> verbs,
    List<String> apiGroups,
    List<String> resources,
    List<String> resourceNames,
    List<String> nonResourceURLs) {

  public static final String ALL = "*";

  public PolicyRule {
    verbs = copy(verbs);
    apiGroups = copy(apiGroups);
    resources = copy(resources);
    resourceNames = copy(resourceNames);
    nonResourceURLs = copy(nonResourceURLs);
  }

  public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
    return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
  }

  public static PolicyRule nonResource(List<String> verbs, List<String> urls) {
    return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
  }

  public PolicyRule withResourceNames(List<String> names) {
    return new PolicyRule(verbs, apiGroups, resources, names, nonResourceURLs);
  }

  public static PolicyRule fromJson(JsonNode rule) {
    return new PolicyRule(strings(rule.get("verbs")), strings(rule.get("apiGroups")), strings(rule.get("resources")),
        strings(rule.get("resourceNames")), strings(rule.get("nonResourceURLs")));
  }

  /** The rules of a {@code rules} array (missing or null means none). */
  public static List<PolicyRule> listFromJson(JsonNode rules) {
    List<PolicyRule> out = new ArrayList<>();
    if (rules != null && rules.isArray()) {
      rules.forEach(r -> out.add(fromJson(r)));
    }
    return out;
  }

  public static List<PolicyRule> listFromJson(List<? extends JsonNode> rules) {
    List<PolicyRule> out = new ArrayList<>();
    rules.forEach(r -> out.add(fromJson(r)));
    return out;
  }

  /** The rbac.authorization.k8s.io/v1 form; empty lists are left out as Go's omitempty does. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    put(o, "verbs", verbs, true);
    put(o, "apiGroups", apiGroups, false);
    put(o, "resources", resources, false);
    put(o, "resourceNames", resourceNames, false);
    put(o, "nonResourceURLs", nonResourceURLs, false);
    return o;
  }

  public static ArrayNode toJson(List<PolicyRule> rules) {
    ArrayNode a = Json.NODES.arrayNode();
    rules.forEach(r -> a.add(r.toJson()));
    return a;
  }

  /** Kube's CompactString, the form escalation errors list missing permissions in. */
  public String compactString() {
    List<String> parts = new ArrayList<>();
    if (!apiGroups.isEmpty()) parts.add("APIGroups:" + GoStrings.quoteList(apiGroups));
    if (!resources.isEmpty()) parts.add("Resources:" + GoStrings.quoteList(resources));
    if (!nonResourceURLs.isEmpty()) parts.add("NonResourceURLs:" + GoStrings.quoteList(nonResourceURLs));
    if (!resourceNames.isEmpty()) parts.add("ResourceNames:" + GoStrings.quoteList(resourceNames));
    if (!verbs.isEmpty()) parts.add("Verbs:" + GoStrings.quoteList(verbs));
    return "{" + String.join(", ", parts) + "}";
  }

  private static void put(ObjectNode o, String field, List<String> values, boolean always) {
    if (values.isEmpty() && !always) return;
    ArrayNode a = o.putArray(field);
    values.forEach(a::add);
  }

  private static List<String> strings(JsonNode array) {
    if (array == null || !array.isArray()) return List.of();
    List<String> out = new ArrayList<>(array.size());
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static List<String> copy(List<String> values) {
    return values == null ? List.of() : List.copyOf(values);
  }
}
