package io.pontoon.sandbox.apiserver.auth;

import java.util.Collection;
import java.util.stream.Collectors;

/** Go's fmt verbs that kube messages use, so our messages read the same. */
final class GoStrings {
  private GoStrings() {}

  /** {@code %q} of a string. */
  static String quote(String s) {
    return io.pontoon.sandbox.apiserver.GoQuote.quote(s);
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
