package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Renders JSON values the way Go's fmt prints decoded JSON ({@code %v}, {@code %q}), so that error
 * messages read like kube-apiserver's, e.g. {@code map[name:a value:b]}.
 */
final class GoFormat {
  private GoFormat() {}

  static String value(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(out, node);
    return out.toString();
  }

  private static void append(StringBuilder out, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("<nil>");
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      out.append("map[");
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) out.append(' ');
        out.append(keys.get(i)).append(':');
        append(out, node.get(keys.get(i)));
      }
      out.append(']');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) out.append(' ');
        append(out, node.get(i));
      }
      out.append(']');
    } else if (node.isTextual()) {
      out.append(node.textValue());
    } else {
      out.append(node.asText());
    }
  }

  /** Go's {@code %q} for the characters JSON text can hold. */
  static String quote(String s) {
    return io.pontoon.sandbox.apiserver.GoQuote.quote(s);
  }
}
