package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of JSONPath that printer columns use: {@code .a.b}, {@code .a[0].b},
 * {@code .a[?(@.type=="Ready")].status}.
 */
final class SimpleJsonPath {
  private SimpleJsonPath() {}

  static JsonNode read(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) p = p.substring(1, p.length() - 1);
    if (p.startsWith("$")) p = p.substring(1);
    JsonNode cur = root;
    int i = 0;
    while (i < p.length() && cur != null && !cur.isMissingNode()) {
      char c = p.charAt(i);
      if (c == '.') {
        int j = i + 1;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') j++;
        cur = cur.path(p.substring(i + 1, j));
        i = j;
      } else if (c == '[') {
        int j = p.indexOf(']', i);
        if (j < 0) return null;
        String inner = p.substring(i + 1, j);
        if (inner.startsWith("?(@.")) {
          // filter: ?(@.key=="value")
          String expr = inner.substring(4, inner.length() - 1);
          int eq = expr.indexOf("==");
          if (eq < 0) return null;
          String key = expr.substring(0, eq).trim();
          String value = expr.substring(eq + 2).trim().replaceAll("^[\"']|[\"']$", "");
          JsonNode found = null;
          for (JsonNode e : cur) {
            if (e.path(key).asText().equals(value)) {
              found = e;
              break;
            }
          }
          cur = found;
        } else {
          try {
            cur = cur.path(Integer.parseInt(inner.trim()));
          } catch (NumberFormatException e) {
            cur = cur.path(inner.replaceAll("^[\"']|[\"']$", ""));
          }
        }
        i = j + 1;
      } else {
        return null;
      }
    }
    return cur;
  }
}
