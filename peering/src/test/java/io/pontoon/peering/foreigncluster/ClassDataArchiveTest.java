package io.pontoon.peering.foreigncluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
  @TempDir
  Path dir;

  @Test
  void aClasspathWithADirectoryOrAManifestClassPathGetsNoArchive() throws Exception {
    Path jar = TinyJar.hello(dir, null);
    ClassDataArchive withDir = ClassDataArchive.of(dir.resolve("cache"), jar + ":" + dir, Duration.ofHours(1));
    assertThat(withDir.disabledBecause()).get().asString().contains("directory");
    assertThat(withDir.jvmOptions()).isEmpty();

    Path booter = TinyJar.hello(dir.resolve("b"), "hello.jar");
    ClassDataArchive manifest = ClassDataArchive.of(dir.resolve("cache"), booter.toString(), Duration.ofHours(1));
    assertThat(manifest.disabledBecause()).get().asString().contains("Class-Path");
    assertThat(manifest.jvmOptions()).isEmpty();
    assertThat(dir.resolve("cache")).doesNotExist();
  }

  @Test
  void theFirstLaunchRecordsTheNextOnesWaitAndAnExistingArchiveIsMapped() throws Exception {
    Path jar = TinyJar.hello(dir, null);
    ClassDataArchive archive = ClassDataArchive.of(dir.resolve("cache"), jar.toString(), Duration.ofHours(1));
    assertThat(archive.disabledBecause()).isEmpty();
    List<String> first = archive.jvmOptions();
    assertThat(first).singleElement().asString().startsWith("-XX:DumpLoadedClassList=" + dir.resolve("cache"));
    assertThat(archive.jvmOptions()).as("one recording at a time").isEmpty();
    ClassDataArchive otherAgent = ClassDataArchive.of(dir.resolve("cache"), jar.toString(), Duration.ofHours(1));
    assertThat(otherAgent.jvmOptions()).as("one recording per host").isEmpty();

    Files.write(archive.archive(), new byte[] {1});
    assertThat(archive.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + archive.archive(),
        "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    assertThat(archive.mapIfPresent()).isEqualTo(archive.jvmOptions());
  }

  @Test
  void withoutARecordedListNothingIsWrittenAndNothingLeftBehind() throws Exception {
    Path jar = TinyJar.hello(dir, null);
    Path cache = Files.createDirectories(dir.resolve("cache"));
    ClassDataArchive archive = ClassDataArchive.of(cache, jar.toString(), Duration.ofHours(1));
    assertThat(archive.write(cache.resolve("vk-none.classlist.part"))).isFalse();
    assertThat(archive.archive()).doesNotExist();
    try (var left = Files.list(cache)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aRebuiltJarGetsAnotherArchive() throws Exception {
    Path jar = TinyJar.hello(dir, null);
    Path before = ClassDataArchive.of(dir, jar.toString(), Duration.ofHours(1)).archive();
    assertThat(ClassDataArchive.of(dir, jar.toString(), Duration.ofHours(1)).archive()).isEqualTo(before);
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(ClassDataArchive.of(dir, jar.toString(), Duration.ofHours(1)).archive()).isNotEqualTo(before);
  }

  @Test
  void optionsThatTurnSharingOffOrNameAnArchiveKeepPontoonsOut() {
    assertThat(LocalProcessLauncher.archiveWanted(LocalProcessLauncher.VK_JVM_OPTIONS)).isTrue();
    assertThat(LocalProcessLauncher.archiveWanted(List.of("-Xmx300m", "-Xshare:off"))).isFalse();
    assertThat(LocalProcessLauncher.archiveWanted(List.of("-XX:SharedArchiveFile=/x.jsa"))).isFalse();
  }
}
