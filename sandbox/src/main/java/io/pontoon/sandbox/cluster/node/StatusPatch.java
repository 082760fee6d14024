package io.pontoon.sandbox.cluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The strategic-merge patch of {@code pods/status} that takes a pod from the status the kubelet
 * last saw to the one it wants, as the kubelet's status manager sends it: only what changed,
 * fields no longer wanted set to null, the lists that Kubernetes merges by key (conditions by
 * type, pod and host IPs by ip) merged item by item with their order, and the pod's UID as a
 * precondition. It names no resourceVersion: a status write does not conflict with the kubelet's
 * own earlier one that its cache has not seen yet, nor with other writers' fields.
 */
final class StatusPatch {
  /** PodStatus lists with a patch merge key; every other list is replaced whole. */
  private static final Map<String, String> MERGE_KEYS = Map.of("conditions", "type", "podIPs", "ip",
      "hostIPs", "ip", "resourceClaimStatuses", "name");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StatusPatch() {}

  /** The patch body, or empty when {@code desired} is what {@code current} already holds. */
  static Optional<String> between(String uid, JsonNode current, JsonNode desired) {
    ObjectNode status = diff(current == null || !current.isObject() ? NODES.objectNode() : (ObjectNode) current,
        (ObjectNode) desired, true);
    if (status.isEmpty()) return Optional.empty();
    ObjectNode body = NODES.objectNode();
    body.putObject("metadata").put("uid", uid);
    body.set("status", status);
    return Optional.of(body.toString());
  }

  private static ObjectNode diff(ObjectNode current, ObjectNode desired, boolean top) {
    ObjectNode patch = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = e.getKey();
      JsonNode want = e.getValue();
      JsonNode have = current.get(field);
      if (want.equals(have)) continue;
      String key = top ? MERGE_KEYS.get(field) : null;
      if (key != null && want.isArray() && have != null && have.isArray()) {
        mergeList(patch, field, key, (ArrayNode) have, (ArrayNode) want);
      } else if (want.isObject() && have != null && have.isObject()) {
        patch.set(field, diff((ObjectNode) have, (ObjectNode) want, false));
      } else {
        patch.set(field, want);
      }
    }
    for (Iterator<String> it = current.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!desired.has(field)) patch.putNull(field);
    }
    return patch;
  }

  /**
   * Changed and new items (changed ones as their own diff with the key), a delete directive for
   * each item no longer wanted, and {@code $setElementOrder} so the merged list keeps the wanted
   * order.
   */
  private static void mergeList(ObjectNode patch, String field, String key, ArrayNode have, ArrayNode want) {
    Map<String, ObjectNode> old = new LinkedHashMap<>();
    for (JsonNode item : have) {
      if (item.isObject() && item.has(key)) old.put(item.get(key).asText(), (ObjectNode) item);
    }
    ArrayNode items = NODES.arrayNode();
    ArrayNode order = NODES.arrayNode();
    Set<String> kept = new HashSet<>();
    for (JsonNode item : want) {
      String k = item.path(key).asText();
      kept.add(k);
      order.addObject().put(key, k);
      ObjectNode before = old.get(k);
      if (before == null) {
        items.add(item);
      } else if (!before.equals(item)) {
        ObjectNode changed = diff(before, (ObjectNode) item, false);
        changed.put(key, k);
        items.add(changed);
      }
    }
    for (String k : old.keySet()) {
      if (!kept.contains(k)) items.addObject().put(key, k).put("$patch", "delete");
    }
    patch.set("$setElementOrder/" + field, order);
    if (!items.isEmpty()) patch.set(field, items);
  }
}
