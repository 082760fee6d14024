package io.pontoon.peering.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPatch that gives a pod its namespace's offloading strategy, merged with what the pod
 * already has (a pure function of the pod's JSON, so it is easy to test and safe to re-run):
 *
 * <ul>
 *   <li>Remote: toleration of the virtual-node taint; required node affinity to virtual nodes
 *       ({@code pontoon.io/type In virtual-node}, ANDed with the cluster selector and with each of
 *       the pod's own terms); tolerations of {@code node.kubernetes.io/unreachable} and
 *       {@code not-ready} NoExecute without tolerationSeconds (replacing the 300 s defaults), so
 *       taint-based eviction never duplicates a pod that still runs on the provider.
 *   <li>Local: affinity {@code pontoon.io/type NotIn virtual-node}; no toleration.
 *   <li>LocalAndRemote: the toleration; with a non-empty cluster selector also the affinity
 *       "a local node, or a virtual node the selector matches", so pods never land on a provider
 *       without the twin namespace.
 * </ul>
 */
public final class PodMutation {
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PodMutation() {}

  /** JSONPatch operations (possibly none) for {@code pod}. */
  public static ArrayNode patch(JsonNode pod, PodOffloadingStrategy strategy, NodeSelectorTerm clusterSelector) {
    ArrayNode ops = F.arrayNode();
    JsonNode spec = pod.path("spec");
    if (!spec.isObject()) {
      return ops;
    }
    tolerations(ops, spec, strategy);
    affinity(ops, spec, strategy, clusterSelector);
    return ops;
  }

  private static void tolerations(ArrayNode ops, JsonNode spec, PodOffloadingStrategy strategy) {
    if (strategy == PodOffloadingStrategy.Local) {
      return;
    }
    JsonNode existing = spec.path("tolerations");
    ArrayNode next = F.arrayNode();
    List<ObjectNode> ours = new ArrayList<>();
    ours.add(toleration(PontoonNames.VIRTUAL_NODE_TAINT_KEY));
    if (strategy == PodOffloadingStrategy.Remote) {
      ours.add(toleration(UNREACHABLE));
      ours.add(toleration(NOT_READY));
    }
    for (JsonNode t : existing) {
      boolean replaced = strategy == PodOffloadingStrategy.Remote
          && (UNREACHABLE.equals(t.path("key").asText()) || NOT_READY.equals(t.path("key").asText()))
          && "NoExecute".equals(t.path("effect").asText());
      if (!replaced && !ours.contains(t)) {
        next.add(t);
      }
    }
    ours.forEach(next::add);
    if (!next.equals(existing)) {
      ops.add(op("/spec/tolerations", next));
    }
  }

  private static ObjectNode toleration(String key) {
    ObjectNode t = F.objectNode();
    t.put("key", key);
    t.put("operator", "Exists");
    t.put("effect", "NoExecute");
    return t;
  }

  private static void affinity(ArrayNode ops, JsonNode spec, PodOffloadingStrategy strategy, NodeSelectorTerm selector) {
    List<ObjectNode> alternatives = new ArrayList<>();
    switch (strategy) {
      case Remote -> alternatives.add(remoteTerm(selector));
      case Local -> alternatives.add(term(requirement(PontoonNames.LABEL_TYPE, "NotIn")));
      case LocalAndRemote -> {
        if (selector == null || isEmpty(selector)) {
          return;
        }
        alternatives.add(term(requirement(PontoonNames.LABEL_TYPE, "NotIn")));
        alternatives.add(remoteTerm(selector));
      }
    }
    JsonNode required = spec.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
    JsonNode existingTerms = required.path("nodeSelectorTerms");
    List<JsonNode> podTerms = new ArrayList<>();
    existingTerms.forEach(podTerms::add);
    if (!podTerms.isEmpty() && podTerms.stream().allMatch(t -> alternatives.stream().anyMatch(a -> implies(t, a)))) {
      return; // every term already requires one of ours (a re-invocation, or the user wrote it)
    }
    if (podTerms.isEmpty()) {
      podTerms.add(F.objectNode());
    }
    // (pod terms ORed) AND (our alternatives ORed) = OR over every pair, each pair ANDed.
    ArrayNode terms = F.arrayNode();
    for (JsonNode podTerm : podTerms) {
      for (ObjectNode ours : alternatives) {
        ObjectNode merged = podTerm.deepCopy();
        append(merged, "matchExpressions", ours.path("matchExpressions"));
        append(merged, "matchFields", ours.path("matchFields"));
        if (!contains(terms, merged)) {
          terms.add(merged);
        }
      }
    }
    if (terms.equals(existingTerms)) {
      return;
    }
    ObjectNode req = F.objectNode();
    req.set("nodeSelectorTerms", terms);
    JsonNode affinity = spec.path("affinity");
    if (!affinity.isObject()) {
      ObjectNode a = F.objectNode();
      a.putObject("nodeAffinity").set("requiredDuringSchedulingIgnoredDuringExecution", req);
      ops.add(op("/spec/affinity", a));
    } else if (!affinity.path("nodeAffinity").isObject()) {
      ObjectNode na = F.objectNode();
      na.set("requiredDuringSchedulingIgnoredDuringExecution", req);
      ops.add(op("/spec/affinity/nodeAffinity", na));
    } else {
      ObjectNode existingRequired = required.isObject() ? ((ObjectNode) required).deepCopy() : F.objectNode();
      existingRequired.set("nodeSelectorTerms", terms);
      ops.add(op("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution", existingRequired));
    }
  }

  /** Whether {@code term} holds every requirement of {@code alternative}, so implies it. */
  private static boolean implies(JsonNode term, JsonNode alternative) {
    for (String field : List.of("matchExpressions", "matchFields")) {
      for (JsonNode r : alternative.path(field)) {
        if (!term.path(field).isArray() || !contains((ArrayNode) term.path(field), r)) {
          return false;
        }
      }
    }
    return true;
  }

  private static ObjectNode remoteTerm(NodeSelectorTerm selector) {
    ObjectNode t = term(requirement(PontoonNames.LABEL_TYPE, "In"));
    if (selector != null) {
      JsonNode sel = MAPPER.valueToTree(selector);
      append(t, "matchExpressions", sel.path("matchExpressions"));
      append(t, "matchFields", sel.path("matchFields"));
    }
    return t;
  }

  private static ObjectNode requirement(String key, String operator) {
    ObjectNode r = F.objectNode();
    r.put("key", key);
    r.put("operator", operator);
    r.putArray("values").add(PontoonNames.TYPE_VIRTUAL_NODE);
    return r;
  }

  private static ObjectNode term(ObjectNode requirement) {
    ObjectNode t = F.objectNode();
    t.putArray("matchExpressions").add(requirement);
    return t;
  }

  private static void append(ObjectNode term, String field, JsonNode extra) {
    if (!extra.isArray() || extra.isEmpty()) {
      return;
    }
    ArrayNode list = term.path(field).isArray() ? (ArrayNode) term.get(field) : term.putArray(field);
    for (JsonNode e : extra) {
      if (!contains(list, e)) {
        list.add(e);
      }
    }
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode n : list) {
      if (n.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isEmpty(NodeSelectorTerm t) {
    return (t.getMatchExpressions() == null || t.getMatchExpressions().isEmpty())
        && (t.getMatchFields() == null || t.getMatchFields().isEmpty());
  }

  /** {@code add} replaces an existing member, so one op serves both cases. */
  private static ObjectNode op(String path, JsonNode value) {
    ObjectNode o = F.objectNode();
    o.put("op", "add");
    o.put("path", path);
    o.set("value", value);
    return o;
  }
}
