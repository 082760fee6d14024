package io.pontoon.sandbox.cluster.node;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** The query of a {@code /containerLogs} request, as kubelet's PodLogOptions reads it. */
record LogOptions(boolean follow, boolean previous, boolean timestamps, OptionalLong tailLines,
    OptionalLong limitBytes, Optional<Instant> since) {

  static LogOptions from(Function<String, String> param, Instant now) {
    OptionalLong tail = number(param.apply("tailLines"), "tailLines");
    OptionalLong limit = number(param.apply("limitBytes"), "limitBytes");
    if (limit.isPresent() && limit.getAsLong() < 1) throw new IllegalArgumentException("limitBytes must be positive");
    Optional<Instant> since = Optional.empty();
    OptionalLong sinceSeconds = number(param.apply("sinceSeconds"), "sinceSeconds");
    if (sinceSeconds.isPresent()) since = Optional.of(now.minusSeconds(sinceSeconds.getAsLong()));
    String sinceTime = param.apply("sinceTime");
    if (sinceTime != null && !sinceTime.isEmpty()) {
      try {
        since = Optional.of(Instant.parse(sinceTime));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("sinceTime is not RFC3339: " + sinceTime);
      }
    }
    return new LogOptions(flag(param.apply("follow")), flag(param.apply("previous")),
        flag(param.apply("timestamps")), tail, limit, since);
  }

  private static boolean flag(String v) {
    return v != null && (v.equals("true") || v.equals("1"));
  }

  private static OptionalLong number(String v, String name) {
    if (v == null || v.isEmpty()) return OptionalLong.empty();
    try {
      long n = Long.parseLong(v);
      if (n < 0) throw new IllegalArgumentException(name + " must not be negative");
      return OptionalLong.of(n);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: " + v);
    }
  }
}
