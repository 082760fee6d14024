package io.pontoon.sandbox.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  @TempDir Path dir;

  private LogOptions opts(Map<String, String> q) {
    return LogOptions.from(q::get, Instant.parse("2025-01-01T00:01:00Z"));
  }

  private Path file() throws Exception {
    Path f = dir.resolve("0.log");
    Files.writeString(f, """
        2025-01-01T00:00:00.5Z stdout F one
        2025-01-01T00:00:30Z stderr F two
        2025-01-01T00:00:50Z stdout P thr
        2025-01-01T00:00:50Z stdout F ee
        plain line
        """, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void readsTextJoiningPartialLines() throws Exception {
    assertThat(new LogReader(file(), opts(Map.of())).readInitial().toString())
        .isEqualTo("one\ntwo\nthree\nplain line\n");
  }

  @Test
  void tailLimitTimestampsAndSince() throws Exception {
    assertThat(new LogReader(file(), opts(Map.of("tailLines", "2"))).readInitial().toString())
        .isEqualTo("three\nplain line\n");
    assertThat(new LogReader(file(), opts(Map.of("limitBytes", "6"))).readInitial().toString()).isEqualTo("one\ntw");
    assertThat(new LogReader(file(), opts(Map.of("timestamps", "true", "tailLines", "5"))).readInitial().toString())
        .startsWith("2025-01-01T00:00:00.500Z one\n2025-01-01T00:00:30Z two\n");
    assertThat(new LogReader(file(), opts(Map.of("sinceSeconds", "20"))).readInitial().toString())
        .isEqualTo("three\nplain line\n");
  }

  @Test
  void followReadsOnlyCompleteNewLines() throws Exception {
    Path f = file();
    LogReader r = new LogReader(f, opts(Map.of("follow", "true")));
    r.readInitial();
    Files.writeString(f, "2025-01-01T00:00:59Z stdout F four\nhalf", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(r.readMore().toString()).isEqualTo("four\n");
    Files.writeString(f, " done\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(r.readMore().toString()).isEqualTo("half done\n");
    assertThat(r.readMore().length()).isZero();
  }
}
