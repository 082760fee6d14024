package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Drops the fields a structural schema does not specify, as kube-apiserver's pruning does:
 * subtrees under {@code x-kubernetes-preserve-unknown-fields} keep unknown fields (but fields they
 * do specify are still pruned below), and apiVersion, kind and metadata of the object itself and
 * of embedded resources are left alone.
 */
final class Pruner {
  private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final List<String> pruned = new ArrayList<>();

  private Pruner() {}

  /** Prunes {@code object} (the resource itself) in place; returns the removed paths, sorted. */
  static List<String> pruneResource(ObjectNode object, SchemaNode schema) {
    Pruner p = new Pruner();
    p.prune(object, schema, true, "");
    Collections.sort(p.pruned);
    return List.copyOf(p.pruned);
  }

  private void prune(JsonNode x, SchemaNode s, boolean embedded, String path) {
    if (s != null && s.preserveUnknownFields) {
      skipPrune(x, s, embedded || s.embeddedResource, path);
      return;
    }
    if (x instanceof ObjectNode obj) {
      if (s == null) {
        for (String k : new ArrayList<>(iterable(obj))) {
          pruned.add(key(path, k));
          obj.remove(k);
        }
        return;
      }
      boolean keepMeta = embedded || s.embeddedResource;
      for (String k : new ArrayList<>(iterable(obj))) {
        if (keepMeta && META_FIELDS.contains(k)) {
          continue;
        }
        SchemaNode prop = s.properties.get(k);
        if (prop != null) {
          prune(obj.get(k), prop, false, key(path, k));
        } else if (s.additionalProperties != null || s.additionalPropertiesForbidden) {
          prune(obj.get(k), s.additionalProperties, false, key(path, k));
        } else {
          if (!META_FIELDS.contains(k) || !path.isEmpty()) {
            pruned.add(key(path, k));
          }
          obj.remove(k);
        }
      }
    } else if (x instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        prune(arr.get(i), s == null ? null : s.items, false, path + "[" + i + "]");
      }
    }
  }

  /** Under preserve-unknown-fields: keep unknown fields, prune inside the ones the schema specifies. */
  private void skipPrune(JsonNode x, SchemaNode s, boolean embedded, String path) {
    if (s == null) {
      return;
    }
    if (x instanceof ObjectNode obj) {
      for (String k : new ArrayList<>(iterable(obj))) {
        if (embedded && META_FIELDS.contains(k)) {
          continue;
        }
        SchemaNode prop = s.properties.get(k);
        if (prop != null) {
          prune(obj.get(k), prop, false, key(path, k));
        } else if (s.additionalProperties != null) {
          prune(obj.get(k), s.additionalProperties, false, key(path, k));
        }
      }
    } else if (x instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        skipPrune(arr.get(i), s.items, false, path + "[" + i + "]");
      }
    }
  }

  private static List<String> iterable(ObjectNode obj) {
    List<String> keys = new ArrayList<>();
    obj.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static String key(String path, String k) {
    return path.isEmpty() ? k : path + "." + k;
  }
}
