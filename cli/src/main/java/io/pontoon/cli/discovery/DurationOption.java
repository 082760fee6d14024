package io.pontoon.cli.discovery;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** kubectl-style durations: {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}. */
final class DurationOption {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private DurationOption() {}

  static Duration parse(CommandLine cl, String flag, String value) {
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new CommandLine.ParameterException(cl, flag + " must be a positive duration like 500ms, 3s or 2m, got \""
          + value + "\"");
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
