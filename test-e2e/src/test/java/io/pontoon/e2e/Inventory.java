package io.pontoon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every object a cluster's API server serves, as kubectl sees it: the kinds from
 * {@code kubectl api-resources --verbs=list} (namespaced and cluster-scoped, every group, CRDs
 * included), then one {@code kubectl get <all kinds> -A -o json}. Each object is recorded by
 * identity (group, kind, namespace, name) with its labels, annotations and finalizers: what a
 * component adds to an object it does not own shows up as a difference too.
 */
record Inventory(Map<String, Entry> objects) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What is compared of one object. */
  record Entry(Map<String, String> labels, Map<String, String> annotations, List<String> finalizers) {}

  /** One object kubectl may legitimately see differently after the scenario, and why. */
  record Allowed(String why, Predicate<String> key) {}

  static Inventory of(Kubectl kubectl) {
    List<String> kinds = kubectl.ok("api-resources", "--verbs=list", "-o", "name").lines()
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
    JsonNode list;
    try {
      list = JSON.readTree(kubectl.ok("get", String.join(",", kinds), "-A", "-o", "json"));
    } catch (IOException e) {
      throw new IllegalStateException("kubectl get printed no JSON", e);
    }
    Map<String, Entry> objects = new TreeMap<>();
    for (JsonNode o : list.path("items")) {
      String apiVersion = o.path("apiVersion").asText();
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "core";
      JsonNode md = o.path("metadata");
      String ns = md.path("namespace").asText("");
      String key = group + "/" + o.path("kind").asText() + " " + (ns.isEmpty() ? "" : ns + "/") + md.path("name").asText();
      objects.put(key, new Entry(strings(md.path("labels")), strings(md.path("annotations")), list(md.path("finalizers"))));
    }
    return new Inventory(objects);
  }

  /** Objects carrying a finalizer of Pontoon's ({@code pontoon.io/...}), as "key [finalizers]". */
  List<String> withPontoonFinalizers() {
    return objects.entrySet().stream().filter(e -> e.getValue().finalizers().stream().anyMatch(f -> f.startsWith("pontoon.io/")))
        .map(e -> e.getKey() + " " + e.getValue().finalizers()).toList();
  }

  /**
   * The differences from {@code before} (added, removed, changed objects) that no allowance
   * covers, one line each; empty when the cluster is back to {@code before}.
   */
  List<String> differencesFrom(Inventory before, List<Allowed> allowed) {
    Predicate<String> ok = k -> allowed.stream().anyMatch(a -> a.key().test(k));
    List<String> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(before.objects.keySet());
    keys.addAll(objects.keySet());
    for (String k : keys) {
      if (ok.test(k)) continue;
      Entry was = before.objects.get(k);
      Entry is = objects.get(k);
      if (was == null) out.add("added:   " + k + " " + is);
      else if (is == null) out.add("removed: " + k);
      else if (!Objects.equals(was, is)) out.add("changed: " + k + " from " + was + " to " + is);
    }
    return out;
  }

  int size() {
    return objects.size();
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> m = new TreeMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static List<String> list(JsonNode n) {
    List<String> l = new ArrayList<>();
    n.forEach(x -> l.add(x.asText()));
    return l.stream().sorted().collect(Collectors.toList());
  }
}
