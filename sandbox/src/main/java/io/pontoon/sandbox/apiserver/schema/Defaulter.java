package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Structural defaulting as kube-apiserver applies it to custom resources: first nulls in fields
 * that are neither nullable nor defaulted are dropped, then missing fields (and non-nullable nulls)
 * with a {@code default} get a copy of it, from the outside in, so defaults are themselves defaulted.
 */
final class Defaulter {
  private Defaulter() {}

  static void apply(JsonNode x, SchemaNode s) {
    pruneNulls(x, s);
    defaults(x, s);
  }

  private static boolean isNonNullableNull(JsonNode x, SchemaNode s) {
    return x != null && x.isNull() && s != null && !s.nullable;
  }

  private static void pruneNulls(JsonNode x, SchemaNode s) {
    if (x instanceof ObjectNode obj) {
      List<String> keys = new ArrayList<>();
      obj.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        SchemaNode fs = s == null ? null : s.fieldSchema(k);
        JsonNode v = obj.get(k);
        if (isNonNullableNull(v, fs) && fs.defaultValue == null) {
          obj.remove(k);
        } else {
          pruneNulls(v, fs);
        }
      }
    } else if (x instanceof ArrayNode arr) {
      for (JsonNode item : arr) {
        pruneNulls(item, s == null ? null : s.items);
      }
    }
  }

  private static void defaults(JsonNode x, SchemaNode s) {
    if (s == null) {
      return;
    }
    if (x instanceof ObjectNode obj) {
      for (Map.Entry<String, SchemaNode> p : s.properties.entrySet()) {
        SchemaNode prop = p.getValue();
        if (prop.defaultValue == null) {
          continue;
        }
        JsonNode current = obj.get(p.getKey());
        if (current == null || isNonNullableNull(current, prop)) {
          obj.set(p.getKey(), prop.defaultValue.deepCopy());
        }
      }
      List<String> keys = new ArrayList<>();
      obj.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        SchemaNode prop = s.properties.get(k);
        if (prop != null) {
          defaults(obj.get(k), prop);
        } else if (s.additionalProperties != null) {
          SchemaNode ap = s.additionalProperties;
          if (isNonNullableNull(obj.get(k), ap)) {
            obj.set(k, ap.defaultValue == null ? NullNode.getInstance() : ap.defaultValue.deepCopy());
          }
          defaults(obj.get(k), ap);
        }
      }
    } else if (x instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if (isNonNullableNull(arr.get(i), s.items)) {
          arr.set(i, s.items.defaultValue == null ? NullNode.getInstance() : s.items.defaultValue.deepCopy());
        }
        defaults(arr.get(i), s.items);
      }
    }
  }
}
