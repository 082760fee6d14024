package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/** Comparisons of JSON values that do not depend on how Jackson happened to store a number. */
final class JsonValues {
  private JsonValues() {}

  static boolean isNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** Structural equality: member order does not matter, numbers compare by value, absent equals null. */
  static boolean equal(JsonNode a, JsonNode b) {
    if (isNull(a) || isNull(b)) {
      return isNull(a) && isNull(b);
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !equal(e.getValue(), other)) return false;
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) return false;
      }
      return true;
    }
    return a.getNodeType() == b.getNodeType() && a.equals(b);
  }

  /**
   * The kind of value as Go sees decoded JSON (map, slice, string, int64, float64, bool, nil):
   * strategic merge patch replaces a value outright when the kinds differ.
   */
  static String goKind(JsonNode node) {
    if (isNull(node)) return "nil";
    if (node.isObject()) return "map";
    if (node.isArray()) return "slice";
    if (node.isTextual()) return "string";
    if (node.isBoolean()) return "bool";
    if (node.isIntegralNumber()) return "int64";
    if (node.isNumber()) return "float64";
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** Go's type name for a decoded JSON value, as mergepatch.ErrBadArgType prints it. */
  static String goTypeName(JsonNode node) {
    return switch (goKind(node)) {
      case "map" -> "map[string]interface {}";
      case "slice" -> "[]interface {}";
      case "nil" -> "%!s(<nil>)";
      default -> goKind(node);
    };
  }
}
