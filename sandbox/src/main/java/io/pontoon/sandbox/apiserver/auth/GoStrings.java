package io.pontoon.sandbox.apiserver.auth;

import java.util.Collection;
import java.util.stream.Collectors;

/** Go's fmt verbs that kube messages use, so our messages read the same. */
final class GoStrings {
  private GoStrings() {}

  /** {@code %q} of a string. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** {@code %q} of a string slice: {@code ["a" "b"]}. */
  static String quoteList(Collection<String> values) {
    return values.stream().map(GoStrings::quote).collect(Collectors.joining(" ", "[", "]"));
  }

  /** {@code %v} of a string slice: {@code [a b]}. */
  static String list(Collection<String> values) {
    return String.join(" ", values).transform(s -> "[" + s + "]");
  }
}
