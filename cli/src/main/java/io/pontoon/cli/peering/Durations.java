package io.pontoon.cli.peering;

import java.time.Duration;
import picocli.CommandLine;

/** kubectl-style durations ({@code 90s}, {@code 2m}, {@code 24h}) as a picocli converter. */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String v) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(v.trim());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("must be a duration like 90s, 2m, 24h or 7d, got \"" + v + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
