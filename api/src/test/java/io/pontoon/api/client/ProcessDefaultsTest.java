package io.pontoon.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessDefaultsTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM);
    System.clearProperty(ProcessDefaults.COMMON_POOL_PARALLELISM);
  }

  @AfterEach
  void restore() {
    if (saved == null) System.clearProperty(ProcessDefaults.COMMON_POOL_PARALLELISM);
    else System.setProperty(ProcessDefaults.COMMON_POOL_PARALLELISM, saved);
  }

  @Test
  void aSmallMachineGetsACommonPoolOfTwoUnlessTheCommandLineSaysOtherwise() {
    ProcessDefaults.useCommonPoolOnSmallMachines(8);
    assertThat(System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM)).isNull();
    ProcessDefaults.useCommonPoolOnSmallMachines(2);
    assertThat(System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM)).isEqualTo("2");
    System.setProperty(ProcessDefaults.COMMON_POOL_PARALLELISM, "7");
    ProcessDefaults.useCommonPoolOnSmallMachines(1);
    assertThat(System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM)).isEqualTo("7");
  }

  @Test
  void onTwoCpusAsyncStagesRunInThePoolInsteadOfAThreadEach() throws Exception {
    assertThat(threadOfAnAsyncStage(false)).as("the JDK's behaviour this works around").startsWith("Thread-");
    assertThat(threadOfAnAsyncStage(true)).startsWith("ForkJoinPool.commonPool-worker");
  }

  /** A JVM that sees two CPUs, as the build machines and small nodes do. */
  private static String threadOfAnAsyncStage(boolean defaults) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-XX:ActiveProcessorCount=2",
        "-cp", System.getProperty("java.class.path"), Probe.class.getName(), Boolean.toString(defaults)))
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static final class Probe {
    public static void main(String[] args) throws Exception {
      if (Boolean.parseBoolean(args[0])) ProcessDefaults.apply();
      System.out.println(CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get());
    }
  }
}
