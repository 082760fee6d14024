package io.pontoon.sandbox.cluster.dataplane;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short host commands ({@code ip}, {@code kill}, …) with a timeout. Failures become
 * exceptions that name the command and its stderr, and a missing tool names its Debian package.
 */
public final class CommandRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

  /** Debian packages of the tools the dataplane runs. */
  static final Map<String, String> DEBIAN_PACKAGES = Map.of(
      "ip", "iproute2",
      "setsid", "util-linux",
      "nsenter", "util-linux",
      "kill", "procps",
      "sysctl", "procps",
      "sleep", "coreutils",
      "sh", "dash",
      "python3", "python3");

  private final Duration timeout;

  public CommandRunner(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    this.timeout = timeout;
  }

  /** Ten seconds per command: generous for {@code ip}, short enough to surface a hang. */
  public static CommandRunner defaults() {
    return new CommandRunner(Duration.ofSeconds(10));
  }

  /** Runs and throws unless the exit code is 0. */
  public CommandResult run(String... command) {
    return run(List.of(command)).orThrow();
  }

  /** Runs and returns the result whatever the exit code; still throws on a missing tool or a timeout. */
  public CommandResult run(List<String> command) {
    return run(command, timeout);
  }

  public CommandResult run(List<String> command, Duration limit) {
    long started = System.nanoTime();
    Path out = null;
    Path err = null;
    try {
      // files, not pipes: a chatty command can never block on a full pipe and no reader threads are needed
      out = Files.createTempFile("pontoon-cmd", ".out");
      err = Files.createTempFile("pontoon-cmd", ".err");
      Process process;
      try {
        process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      } catch (IOException e) {
        throw missingTool(command, e);
      }
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(2, TimeUnit.SECONDS);
        throw new CommandTimeoutException(command, limit, Files.readString(err));
      }
      CommandResult result = new CommandResult(command, process.exitValue(), Files.readString(out),
          Files.readString(err));
      if (LOG.isDebugEnabled()) {
        LOG.debug("command=\"{}\" exit={} millis={}", String.join(" ", command), result.exitCode(),
            (System.nanoTime() - started) / 1_000_000);
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException(command, -1, "interrupted", "command `" + String.join(" ", command)
          + "` was interrupted", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not capture the output of `" + String.join(" ", command) + "`", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.debug("file={} not deleted: {}", p, e.toString());
    }
  }

  /** The exception for a command whose executable could not be started. */
  static CommandException missingTool(List<String> command, IOException e) {
    String tool = command.isEmpty() ? "" : command.get(0);
    String name = tool.substring(tool.lastIndexOf('/') + 1);
    String pkg = DEBIAN_PACKAGES.get(name);
    if (pkg != null) return new ToolMissingException(command, name, pkg, e);
    return new CommandException(command, -1, "", "could not start `" + String.join(" ", command) + "`: "
        + e.getMessage(), e);
  }

}
