package io.pontoon.sandbox.apiserver;

/**
 * Go's {@code %q} of a string: kube-apiserver's messages quote names and values this way, and
 * the sandbox's messages must read the same.
 */
public final class GoQuote {
  private GoQuote() {}

  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (cp < 0x20 || cp == 0x7f) out.append(String.format("\\x%02x", cp));
          else out.appendCodePoint(cp);
        }
      }
    });
    return out.append('"').toString();
  }
}
