package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch: {@code null} deletes a member, objects merge recursively, anything
 * else (lists included) replaces. As in the library kube-apiserver uses, a patch that is
 * {@code null} or a scalar is a 400 "Invalid JSON Patch", and nulls are dropped from objects a
 * patch brings in whole.
 */
public final class MergePatch {
  private MergePatch() {}

  /** Applies {@code patch} to a copy of {@code target} and returns the copy (or the patch's list). */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch.isObject()) {
      JsonNode copy = target.deepCopy();
      if (!copy.isObject()) {
        return withoutNulls(patch.deepCopy());
      }
      mergeInto((ObjectNode) copy, (ObjectNode) patch);
      return copy;
    }
    if (patch.isArray()) {
      return withoutNulls(patch.deepCopy());
    }
    throw PatchErrors.badRequest("Invalid JSON Patch");
  }

  private static void mergeInto(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      JsonNode value = e.getValue();
      if (value.isNull()) {
        target.remove(e.getKey());
        continue;
      }
      JsonNode current = target.get(e.getKey());
      if (current != null && current.isObject() && value.isObject()) {
        mergeInto((ObjectNode) current, (ObjectNode) value);
      } else if (current != null && current.isObject()) {
        target.set(e.getKey(), value.deepCopy());
      } else {
        target.set(e.getKey(), withoutNulls(value.deepCopy()));
      }
    }
  }

  /** Drops null members of objects at any depth; nulls inside lists stay, as the patch gave them. */
  static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      List<String> nulls = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        } else {
          withoutNulls(e.getValue());
        }
      }
      ((ObjectNode) node).remove(nulls);
    } else if (node.isArray()) {
      for (JsonNode element : (ArrayNode) node) {
        withoutNulls(element);
      }
    }
    return node;
  }
}
