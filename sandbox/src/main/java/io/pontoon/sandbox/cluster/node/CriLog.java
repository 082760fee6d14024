package io.pontoon.sandbox.cluster.node;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Lines of a container log file in the CRI format: {@code <time> <stream> <F|P> <text>}. */
final class CriLog {
  private CriLog() {}

  /** One entry; {@code time} is empty for a line that was not in the CRI format. */
  record Entry(Optional<Instant> time, String stream, boolean partial, String text) {}

  static String timestamp(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  static Entry parse(String line) {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
    if (c > 0) {
      String stream = line.substring(a + 1, b);
      String tag = line.substring(b + 1, c);
      if ((stream.equals("stdout") || stream.equals("stderr")) && (tag.equals("F") || tag.equals("P"))) {
        try {
          Instant t = Instant.parse(line.substring(0, a));
          return new Entry(Optional.of(t), stream, tag.equals("P"), line.substring(c + 1));
        } catch (DateTimeParseException e) {
          // not a CRI line after all
        }
      }
    }
    return new Entry(Optional.empty(), "stdout", false, line);
  }
}
