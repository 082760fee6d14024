package io.pontoon.peering.foreigncluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real JVMs: one launch records its classes, the archive gets written, the next launch maps it. */
class ClassDataArchiveIT {
  @TempDir
  Path dir;

  @Test
  void theFirstLaunchRecordsAndTheNextMapsTheArchiveWrittenFromIt() throws Exception {
    Path jar = TinyJar.hello(dir, null);
    Path cache = dir.resolve("cache");
    ClassDataArchive archive = ClassDataArchive.of(cache, jar.toString(), Duration.ofSeconds(1));

    Run first = run(archive.jvmOptions(), jar, List.of());
    assertThat(first.output()).contains("hello");
    await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(archive.archive()));
    try (var left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("only the archive stays")
          .containsExactly(archive.archive().getFileName().toString());
    }

    // -Xshare:on fails rather than falling back, and the class-loading log names the archive as
    // the source of the application's own class; the archive is not moved to another address.
    List<String> options = archive.jvmOptions();
    assertThat(options).first().isEqualTo("-XX:SharedArchiveFile=" + archive.archive());
    Run next = run(options, jar, List.of("-Xshare:on", "-Xlog:class+load=info", "-Xlog:cds=info"));
    assertThat(next.code()).as(next.output()).isZero();
    assertThat(next.output()).containsPattern("Hello source: shared objects file")
        .doesNotContain("always map archive(s) at an alternative address");
  }

  private record Run(int code, String output) {}

  private static Run run(List<String> archiveOptions, Path jar, List<String> more) throws Exception {
    List<String> cmd = new ArrayList<>(TinyJar.java());
    cmd.addAll(more);
    cmd.addAll(archiveOptions);
    cmd.addAll(List.of("-cp", jar.toString(), "Hello"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }
}
