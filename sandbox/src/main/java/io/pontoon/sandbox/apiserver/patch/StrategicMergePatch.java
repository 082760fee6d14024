package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic merge patch, applied the way kube-apiserver applies it
 * (k8s.io/apimachinery/pkg/util/strategicpatch, server side):
 * <ul>
 *   <li>maps merge and {@code null} deletes a key, as in a JSON merge patch;</li>
 *   <li>lists whose field is tagged {@code patchStrategy:"merge"} merge: lists of objects by the
 *       {@code patchMergeKey}, lists of scalars as a set union; other lists are replaced;</li>
 *   <li>directives: {@code $patch: replace|delete} in a map, {@code $patch: replace|delete} as a
 *       list element, {@code $retainKeys}, {@code $deleteFromPrimitiveList/<field>} and
 *       {@code $setElementOrder/<field>} (what {@code kubectl apply} sends);</li>
 *   <li>the order of a merged list follows {@code $setElementOrder}, then the patch, then the live
 *       object, as upstream.</li>
 * </ul>
 * Errors carry the codes kube-apiserver answers: 400 for the malformed directives it names, 422
 * for lists of lists and 500 for the rest (a missing merge key, an unknown {@code $patch}, an
 * order that contradicts {@code $setElementOrder}), with upstream's messages.
 *
 * <p>Where upstream keeps part of a patch as is (a replaced list, an element appended to a merged
 * list), this code also drops null members and {@code $}-directive members, as the decoding into
 * the typed object that follows upstream's merge does.
 */
public final class StrategicMergePatch {
  static final String DIRECTIVE = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrategicMergePatch() {}

  /** Applies {@code patch} to a copy of {@code original} using the metadata {@code schema}. */
  public static ObjectNode apply(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    return mergeMap(original.deepCopy(), patch.deepCopy(), schema);
  }

  // ---- maps ----

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) {
      return mapDirective(directive, patch);
    }
    ObjectNode result = original == null ? NODES.objectNode() : original;
    applyRetainKeys(result, patch);
    mergeOrderedLists(result, patch, schema);

    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    entries.addAll(patch.properties());
    for (Map.Entry<String, JsonNode> entry : entries) {
      String key = entry.getKey();
      JsonNode patchValue = entry.getValue();
      boolean deleteList = false;
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = extractKey(key, DELETE_FROM_PRIMITIVE_LIST);
        deleteList = true;
      }
      if (patchValue.isNull()) {
        result.remove(key);
        continue;
      }
      JsonNode current = result.get(key);
      if (current == null || !JsonValues.goKind(current).equals(JsonValues.goKind(patchValue))) {
        // Absent, or of another kind: the patch's value is taken; a deletion list never is.
        if (!deleteList) {
          putWithoutDirectives(result, key, patchValue);
        }
        continue;
      }
      FieldMeta meta = schema.field(key);
      if (current.isObject()) {
        if (meta.strategy().equals("replace")) {
          result.set(key, decoded(patchValue));
        } else {
          result.set(key, mergeMap((ObjectNode) current, (ObjectNode) patchValue, meta.schema()));
        }
      } else if (current.isArray()) {
        result.set(key, mergeListField((ArrayNode) current, (ArrayNode) patchValue, meta, deleteList));
      } else {
        result.set(key, patchValue);
      }
    }
    return result;
  }

  /** {@code $patch} in a map: {@code replace} takes the map as given, {@code delete} empties it. */
  private static ObjectNode mapDirective(JsonNode directive, ObjectNode patch) {
    if (directive.isTextual() && directive.textValue().equals("replace")) {
      patch.remove(DIRECTIVE);
      return (ObjectNode) decoded(patch);
    }
    if (directive.isTextual() && directive.textValue().equals("delete")) {
      return NODES.objectNode();
    }
    throw PatchErrors.internal("unknown patch type: " + GoFormat.value(directive) + " in map: " + GoFormat.value(patch));
  }

  /** {@code $retainKeys}: keys of the original missing from the list are cleared. */
  private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw PatchErrors.badRequest("invalid patch format of retainKeys");
    }
    Set<String> keep = new HashSet<>();
    for (JsonNode k : retain) {
      if (k.isTextual()) keep.add(k.textValue());
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      if (e.getValue().isNull() || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      if (!keep.contains(key)) {
        throw PatchErrors.badRequest("invalid patch format of retainKeys");
      }
    }
    original.retain(keep);
  }

  /**
   * {@code $setElementOrder/<field>}: merges the field's list (if the patch has it) and orders the
   * result: the listed items in the listed order, the server's other items where they were.
   */
  private static void mergeOrderedLists(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    List<String> directives = new ArrayList<>();
    patch.fieldNames().forEachRemaining(k -> {
      if (k.startsWith(SET_ELEMENT_ORDER)) directives.add(k);
    });
    for (String directive : directives) {
      JsonNode order = patch.remove(directive);
      if (!order.isArray()) {
        throw badArgType("[]interface {}", order);
      }
      String key = extractKey(directive, SET_ELEMENT_ORDER);
      JsonNode originalValue = original.get(key);
      JsonNode patchValue = patch.get(key);
      if (originalValue != null && !originalValue.isArray()) {
        throw badArgType("[]interface {}", originalValue);
      }
      if (patchValue != null && !patchValue.isArray()) {
        throw badArgType("[]interface {}", patchValue);
      }
      List<JsonNode> originalList = originalValue == null ? List.of() : list(originalValue);
      List<JsonNode> patchList = patchValue == null ? List.of() : list(patchValue);
      List<JsonNode> orderList = list(order);
      FieldMeta meta = schema.field(key);
      String mergeKey = meta.mergeKey();
      checkOrder(patchList, orderList, mergeKey);

      List<JsonNode> merged;
      if (originalValue != null && patchValue == null) {
        merged = originalList;
      } else if (originalValue == null && patchValue != null) {
        JsonNode added = removeDirectives(patchValue);
        stripDirectiveMembers(added);
        merged = list(added);
      } else if (originalValue != null) {
        merged = list(mergeListField((ArrayNode) originalValue, (ArrayNode) patchValue, meta, false));
      } else {
        continue;
      }
      Partition parts = partition(merged, orderList, mergeKey);
      String kind = elementKind(originalList, patchList);
      original.set(key, array(normalizeOrder(parts.inPatch, parts.serverOnly, orderList, originalList, mergeKey, kind)));
      patch.remove(key);
    }
  }

  /**
   * Upstream's check that the patch list's items come in the order {@code $setElementOrder} gives
   * them; deletions and other directive items are not looked at.
   */
  private static void checkOrder(List<JsonNode> patchList, List<JsonNode> order, String mergeKey) {
    if (order.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<JsonNode> items = mergeKey.isEmpty() ? patchList : withoutDeletions(patchList);
    int p = 0;
    int o = 0;
    while (p < items.size() && o < order.size()) {
      if (hasDirective(items.get(p))) {
        p++;
        continue;
      }
      if (mergeKeyEqual(items.get(p), order.get(o), mergeKey)) {
        p++;
      }
      o++;
    }
    if (p < items.size() && o >= order.size()) {
      throw PatchErrors.internal("The order in patch list:\n" + GoFormat.value(array(patchList))
          + "\n doesn't match " + SET_ELEMENT_ORDER + " list:\n" + GoFormat.value(array(order)) + "\n");
    }
  }

  private static boolean mergeKeyEqual(JsonNode left, JsonNode right, String mergeKey) {
    if (mergeKey.isEmpty()) {
      return JsonValues.equal(left, right);
    }
    if (!left.isObject()) throw badArgType("map[string]interface {}", left);
    if (!right.isObject()) throw badArgType("map[string]interface {}", right);
    if (!left.has(mergeKey)) throw noMergeKey(left, mergeKey);
    if (!right.has(mergeKey)) throw noMergeKey(right, mergeKey);
    return JsonValues.equal(left.get(mergeKey), right.get(mergeKey));
  }

  // ---- lists ----

  private static JsonNode mergeListField(ArrayNode current, ArrayNode patch, FieldMeta meta, boolean deleteList) {
    if (meta.merges() || deleteList) {
      return array(mergeList(list(current), list(patch), meta.schema(), meta.mergeKey(), deleteList));
    }
    return decoded(patch);
  }

  private static List<JsonNode> mergeList(List<JsonNode> original, List<JsonNode> patch, PatchSchema schema,
      String mergeKey, boolean deleteList) {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    String kind = elementKind(original, patch);
    List<JsonNode> merged;
    List<JsonNode> serverOrder = original;
    List<JsonNode> patchOrder = patch;
    if (!kind.equals("map")) {
      if (deleteList) {
        return withoutValues(original, patch);
      }
      merged = new ArrayList<>();
      for (JsonNode v : concat(original, patch)) {
        if (merged.stream().noneMatch(m -> JsonValues.equal(m, v))) {
          merged.add(v);
        }
      }
    } else {
      if (mergeKey.isEmpty()) {
        throw PatchErrors.internal("cannot merge lists without merge key for " + schema.name());
      }
      Special special = applySpecialElements(original, patch, mergeKey);
      serverOrder = special.original;
      patchOrder = special.patch;
      merged = mergeByKey(special.original, special.patch, mergeKey, schema);
    }
    Partition parts = partition(merged, patchOrder, mergeKey);
    return normalizeOrder(parts.inPatch, parts.serverOnly, patchOrder, serverOrder, mergeKey, kind);
  }

  /** The original and patch lists once {@code $patch} elements have been acted on. */
  private record Special(List<JsonNode> original, List<JsonNode> patch) {}

  private static Special applySpecialElements(List<JsonNode> original, List<JsonNode> patch, String mergeKey) {
    List<JsonNode> remaining = new ArrayList<>(original);
    List<JsonNode> plain = new ArrayList<>();
    boolean replace = false;
    for (JsonNode element : patch) {
      JsonNode directive = element.get(DIRECTIVE);
      if (directive == null) {
        plain.add(element);
        continue;
      }
      String name = directive.isTextual() ? directive.textValue() : "";
      switch (name) {
        case "delete" -> {
          if (!element.has(mergeKey)) {
            throw noMergeKey(element, mergeKey);
          }
          JsonNode value = element.get(mergeKey);
          remaining.removeIf(item -> {
            if (!item.isObject()) {
              throw PatchErrors.internal("value for key " + remaining.indexOf(item) + " is not a map");
            }
            return item.has(mergeKey) && JsonValues.equal(item.get(mergeKey), value);
          });
        }
        case "replace" -> replace = true;
        case "merge" -> throw PatchErrors.internal("merging lists cannot yet be specified in the patch");
        default -> throw PatchErrors.internal("unknown patch type: " + GoFormat.value(directive)
            + " in map: " + GoFormat.value(element));
      }
    }
    if (replace) {
      List<JsonNode> replacement = new ArrayList<>();
      for (JsonNode element : plain) {
        replacement.add(decoded(element));
      }
      return new Special(replacement, List.of());
    }
    return new Special(remaining, plain);
  }

  /** Merges each patch element into the element with the same merge key, or appends it. */
  private static List<JsonNode> mergeByKey(List<JsonNode> original, List<JsonNode> patch, String mergeKey,
      PatchSchema schema) {
    List<JsonNode> result = new ArrayList<>(original);
    for (JsonNode element : patch) {
      if (!element.has(mergeKey)) {
        throw noMergeKey(element, mergeKey);
      }
      int at = indexByKey(result, mergeKey, element.get(mergeKey));
      if (at >= 0) {
        result.set(at, mergeMap((ObjectNode) result.get(at), (ObjectNode) element, schema));
      } else {
        result.add(decoded(element));
      }
    }
    return result;
  }

  private static int indexByKey(List<JsonNode> list, String mergeKey, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject()) {
        throw PatchErrors.internal("value for key " + i + " is not a map");
      }
      if (item.has(mergeKey) && JsonValues.equal(item.get(mergeKey), value)) {
        return i;
      }
    }
    return -1;
  }

  private static List<JsonNode> withoutValues(List<JsonNode> current, List<JsonNode> toDelete) {
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode v : current) {
      if (toDelete.stream().noneMatch(d -> JsonValues.equal(d, v))) {
        kept.add(v);
      }
    }
    return kept;
  }

  // ---- order ----

  /** Items of a merged list that the patch (or the order directive) names, and the server's others. */
  private record Partition(List<JsonNode> inPatch, List<JsonNode> serverOnly) {}

  private static Partition partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey) {
    List<JsonNode> inPatch = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      boolean found;
      if (mergeKey.isEmpty()) {
        found = by.stream().anyMatch(b -> JsonValues.equal(b, item));
      } else {
        if (!item.isObject()) throw badArgType("map[string]interface {}", item);
        if (!item.has(mergeKey)) throw noMergeKey(item, mergeKey);
        found = indexByKey(by, mergeKey, item.get(mergeKey)) >= 0;
      }
      (found ? inPatch : serverOnly).add(item);
    }
    return new Partition(inPatch, serverOnly);
  }

  /**
   * Sorts the patch's items by the patch order and the server's by the server order, then
   * interleaves them: a server item goes first only when the live list had it before the patch
   * item (so items new to the list come before the server items they are compared with).
   */
  private static List<JsonNode> normalizeOrder(List<JsonNode> patchItems, List<JsonNode> serverOnly,
      List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey, String kind) {
    List<JsonNode> right = sortBy(patchItems, patchOrder, mergeKey, kind);
    List<JsonNode> left = sortBy(serverOnly, serverOrder, mergeKey, kind);
    List<JsonNode> out = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        out.add(right.get(j++));
      } else if (j >= right.size()) {
        out.add(left.get(i++));
      } else {
        int li = indexOf(serverOrder, left.get(i), mergeKey, kind);
        int ri = indexOf(serverOrder, right.get(j), mergeKey, kind);
        if (li >= 0 && ri >= 0 && li < ri) {
          out.add(left.get(i++));
        } else {
          out.add(right.get(j++));
        }
      }
    }
    return out;
  }

  private static List<JsonNode> sortBy(List<JsonNode> items, List<JsonNode> order, String mergeKey, String kind) {
    List<JsonNode> toSort = new ArrayList<>(items);
    List<JsonNode> deletions = new ArrayList<>();
    if (kind.equals("map")) {
      for (List<JsonNode> l : List.of(items, order)) {
        for (JsonNode item : l) {
          if (!item.isObject()) throw badArgType("map[string]interface {}", item);
          if (!item.has(mergeKey)) throw noMergeKey(item, mergeKey);
        }
      }
      toSort = withoutDeletions(items);
      for (JsonNode item : items) {
        if (isDeletion(item)) deletions.add(item);
      }
    }
    List<JsonNode> sorted = new ArrayList<>(toSort);
    // Stable: items the order does not name keep their relative place after those it names.
    sorted.sort((a, b) -> {
      int ia = indexOf(order, a, mergeKey, kind);
      int ib = indexOf(order, b, mergeKey, kind);
      return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
    });
    sorted.addAll(deletions);
    return sorted;
  }

  private static int indexOf(List<JsonNode> list, JsonNode item, String mergeKey, String kind) {
    JsonNode wanted = kind.equals("map") ? item.get(mergeKey) : item;
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = kind.equals("map") ? list.get(i).get(mergeKey) : list.get(i);
      if (JsonValues.equal(wanted, candidate)) {
        return i;
      }
    }
    return -1;
  }

  // ---- helpers ----

  /** The Go kind of the lists' elements, which must all be alike and not lists themselves. */
  private static String elementKind(List<JsonNode> original, List<JsonNode> patch) {
    String kind = null;
    for (JsonNode v : concat(original, patch)) {
      String k = JsonValues.goKind(v);
      if (kind == null) {
        if (k.equals("slice")) {
          throw PatchErrors.unprocessable("lists of lists are not supported");
        }
        kind = k;
      } else if (!kind.equals(k)) {
        throw PatchErrors.internal("list element types are not identical: ["
            + GoFormat.value(array(original)) + " " + GoFormat.value(array(patch)) + "]");
      }
    }
    if (kind == null) {
      throw PatchErrors.internal("no elements in any of the given slices");
    }
    return kind;
  }

  private static boolean hasDirective(JsonNode item) {
    return item.isObject() && item.has(DIRECTIVE);
  }

  private static boolean isDeletion(JsonNode item) {
    JsonNode d = item.get(DIRECTIVE);
    return d != null && d.isTextual() && d.textValue().equals("delete");
  }

  private static List<JsonNode> withoutDeletions(List<JsonNode> items) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isObject()) throw badArgType("map[string]interface {}", item);
      if (!isDeletion(item)) out.add(item);
    }
    return out;
  }

  /**
   * Sets a value the original did not have: nulls dropped and directive-bearing maps left out, as
   * upstream does, then the remaining directive members dropped, as decoding does.
   */
  private static void putWithoutDirectives(ObjectNode target, String key, JsonNode value) {
    JsonNode cleaned = removeDirectives(MergePatch.withoutNulls(value.deepCopy()));
    if (cleaned == null) {
      target.remove(key);
    } else {
      stripDirectiveMembers(cleaned);
      target.set(key, cleaned);
    }
  }

  /** Upstream's removeDirectives: a map with {@code $patch} is dropped wherever it is. */
  private static JsonNode removeDirectives(JsonNode value) {
    if (value.isObject()) {
      if (value.has(DIRECTIVE)) {
        return null;
      }
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        JsonNode v = removeDirectives(e.getValue());
        if (v != null) out.set(e.getKey(), v);
      }
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode v : value) {
        JsonNode kept = removeDirectives(v);
        if (kept != null) out.add(kept);
      }
      return out;
    }
    return value;
  }

  /**
   * A part of the patch taken as is, as it reads once decoded into the typed object: null members
   * and {@code $} directive members are gone.
   */
  private static JsonNode decoded(JsonNode value) {
    JsonNode copy = value.deepCopy();
    stripDirectiveMembers(copy);
    return MergePatch.withoutNulls(copy);
  }

  private static void stripDirectiveMembers(JsonNode node) {
    if (node.isObject()) {
      List<String> directives = new ArrayList<>();
      node.fieldNames().forEachRemaining(k -> {
        if (k.startsWith("$")) directives.add(k);
      });
      ((ObjectNode) node).remove(directives);
      node.forEach(StrategicMergePatch::stripDirectiveMembers);
    } else if (node.isArray()) {
      node.forEach(StrategicMergePatch::stripDirectiveMembers);
    }
  }

  private static String extractKey(String key, String prefix) {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
      throw PatchErrors.badRequest(prefix.equals(SET_ELEMENT_ORDER)
          ? "invalid patch format of setElementOrder list"
          : "invalid patch format of primitive list");
    }
    return key.substring(slash + 1);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>(array.size());
    array.forEach(out::add);
    return out;
  }

  private static ArrayNode array(List<JsonNode> items) {
    ArrayNode out = NODES.arrayNode(items.size());
    out.addAll(items);
    return out;
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }

  private static ApiException noMergeKey(JsonNode map, String mergeKey) {
    return PatchErrors.internal("map: " + GoFormat.value(map) + " does not contain declared merge key: " + mergeKey);
  }

  private static ApiException badArgType(String expected, JsonNode actual) {
    return PatchErrors.internal("expected a " + expected + ", but received a " + JsonValues.goTypeName(actual));
  }
}
