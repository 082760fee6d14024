package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks kube-apiserver runs on a custom resource besides the OpenAPI validation: uniqueness
 * in {@code x-kubernetes-list-type} set and map lists, and apiVersion/kind of embedded resources.
 * Paths are field paths ("spec.ports[1]", map keys as "[key]").
 */
final class ListAndEmbeddedChecks {
  private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private ListAndEmbeddedChecks() {}

  static List<Cause> check(JsonNode object, SchemaNode schema, String rootPath) {
    List<Cause> out = new ArrayList<>();
    walk(object, schema, rootPath, out, true);
    return out;
  }

  private static void walk(JsonNode x, SchemaNode s, String path, List<Cause> out, boolean root) {
    if (s == null || x == null) {
      return;
    }
    if (x instanceof ObjectNode obj) {
      if (s.embeddedResource && !root) {
        embedded(obj, path, out);
      }
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        SchemaNode prop = s.properties.get(e.getKey());
        if (prop != null) {
          walk(e.getValue(), prop, child(path, e.getKey()), out, false);
        } else if (s.additionalProperties != null) {
          walk(e.getValue(), s.additionalProperties, path + "[" + e.getKey() + "]", out, false);
        }
      }
    } else if (x instanceof ArrayNode arr) {
      if ("set".equals(s.listType)) {
        duplicates(arr, path, out);
      } else if ("map".equals(s.listType)) {
        mapList(arr, s, path, out);
      }
      for (int i = 0; i < arr.size(); i++) {
        walk(arr.get(i), s.items, path + "[" + i + "]", out, false);
      }
    }
  }

  /** Reports the second occurrence of each repeated value. */
  private static void duplicates(ArrayNode arr, String path, List<Cause> out) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      int times = seen.merge(JsonValues.canonical(arr.get(i)), 1, Integer::sum);
      if (times == 2) {
        out.add(FieldErrors.duplicate(path + "[" + i + "]", arr.get(i)));
      }
    }
  }

  private static void mapList(ArrayNode arr, SchemaNode s, String path, List<Cause> out) {
    for (int i = 0; i < arr.size(); i++) {
      JsonNode x = arr.get(i);
      if (!x.isNull() && !x.isObject()) {
        out.add(FieldErrors.invalid(path + "[" + i + "]", x, "must be an object for an array of list-type map"));
        return;
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      ObjectNode key = Json.object();
      JsonNode x = arr.get(i);
      for (String k : s.listMapKeys) {
        if (x.isObject() && x.has(k)) {
          key.set(k, x.get(k));
        }
      }
      int times = seen.merge(JsonValues.canonical(key), 1, Integer::sum);
      if (times == 2) {
        out.add(FieldErrors.duplicate(path + "[" + i + "]", key));
      }
    }
  }

  private static void embedded(ObjectNode obj, String path, List<Cause> out) {
    if (!obj.has("apiVersion")) {
      out.add(FieldErrors.required(child(path, "apiVersion"), ""));
    }
    if (!obj.has("kind")) {
      out.add(FieldErrors.required(child(path, "kind"), ""));
    }
    JsonNode apiVersion = obj.get("apiVersion");
    if (apiVersion != null) {
      String f = child(path, "apiVersion");
      if (!apiVersion.isTextual()) {
        out.add(FieldErrors.invalid(f, apiVersion, "must be a string"));
      } else if (apiVersion.asText().isEmpty()) {
        out.add(FieldErrors.invalid(f, apiVersion, "must not be empty"));
      } else if (apiVersion.asText().split("/", -1).length > 2) {
        out.add(FieldErrors.invalid(f, apiVersion, "unexpected GroupVersion string: " + apiVersion.asText()));
      }
    }
    JsonNode kind = obj.get("kind");
    if (kind != null) {
      String f = child(path, "kind");
      if (!kind.isTextual()) {
        out.add(FieldErrors.invalid(f, kind, "must be a string"));
      } else if (kind.asText().isEmpty()) {
        out.add(FieldErrors.invalid(f, kind, "must not be empty"));
      } else {
        List<String> errs = dns1035(kind.asText().toLowerCase(Locale.ROOT));
        if (!errs.isEmpty()) {
          out.add(FieldErrors.invalid(f, TextNode.valueOf(kind.asText()),
              "may have mixed case, but should otherwise match: " + String.join(",", errs)));
        }
      }
    }
  }

  private static List<String> dns1035(String v) {
    List<String> errs = new ArrayList<>();
    if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
      errs.add("must be no more than 63 bytes");
    }
    if (!DNS1035.matcher(v).matches()) {
      errs.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
          + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
          + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    return errs;
  }

  private static String child(String path, String name) {
    return path == null || path.isEmpty() ? name : path + "." + name;
  }
}
