package io.pontoon.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code pontoon} command in its own JVM (the test's classpath), so a test can SIGKILL it at
 * any point as a crashing container would be. Output goes to a log file for post-mortems.
 */
final class PontoonProcess implements AutoCloseable {
  private final Process process;

  private PontoonProcess(Process process) {
    this.process = process;
  }

  /** JVM options for short-lived processes: quick start-up matters more than peak speed. */
  static final List<String> QUICK_START = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  static PontoonProcess start(Path log, String... args) {
    return start(log, QUICK_START, args);
  }

  static PontoonProcess start(Path log, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pontoon.cli.Main"));
    command.addAll(List.of(args));
    try {
      return new PontoonProcess(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, nothing is cleaned up. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) kill();
  }
}
