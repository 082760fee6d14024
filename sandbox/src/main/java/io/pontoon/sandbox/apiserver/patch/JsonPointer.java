package io.pontoon.sandbox.apiserver.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON pointer, already split into unescaped reference tokens ({@code ~1} is {@code /},
 * {@code ~0} is {@code ~}). The empty pointer {@code ""} designates the whole document.
 */
public record JsonPointer(String text, List<String> tokens) {
  public JsonPointer {
    tokens = List.copyOf(tokens);
  }

  /**
   * Parses a pointer; {@code null} when the text is not a pointer (it neither is empty nor starts
   * with {@code /}), which patch operations report as a missing path.
   */
  public static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return new JsonPointer(text, List.of());
    }
    if (text.charAt(0) != '/') {
      return null;
    }
    List<String> tokens = new ArrayList<>();
    int start = 1;
    while (true) {
      int slash = text.indexOf('/', start);
      String raw = slash < 0 ? text.substring(start) : text.substring(start, slash);
      tokens.add(unescape(raw));
      if (slash < 0) break;
      start = slash + 1;
    }
    return new JsonPointer(text, tokens);
  }

  /** Escapes one reference token: {@code ~} first, so that the {@code ~1} made for {@code /} stays. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  static String unescape(String token) {
    if (token.indexOf('~') < 0) return token;
    StringBuilder out = new StringBuilder(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '~' && i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
        out.append(token.charAt(i + 1) == '0' ? '~' : '/');
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public boolean isRoot() {
    return tokens.isEmpty();
  }

  /** The pointer to the parent of what this pointer designates; only for a non-root pointer. */
  public List<String> parentTokens() {
    return tokens.subList(0, tokens.size() - 1);
  }

  public String lastToken() {
    return tokens.get(tokens.size() - 1);
  }

  @Override
  public String toString() {
    return text;
  }
}
