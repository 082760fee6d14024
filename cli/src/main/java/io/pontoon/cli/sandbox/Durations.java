package io.pontoon.cli.sandbox;

import java.time.Duration;
import picocli.CommandLine;

/** Parses kubectl-style durations: {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}. */
final class Durations {
  private Durations() {}

  static Duration parse(CommandLine cl, String flag, String v) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v.trim());
    if (!m.matches()) {
      throw new CommandLine.ParameterException(cl, flag + " must be a duration like 90s, 2m or 1h, got \"" + v + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
