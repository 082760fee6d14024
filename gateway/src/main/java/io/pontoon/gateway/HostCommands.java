package io.pontoon.gateway;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.pontoon.api.PontoonNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short host commands ({@code ip}, {@code wg}, {@code nft}, {@code ping}), optionally in a
 * network namespace ({@code ip netns exec NS …}) and with bytes on stdin (a private key, an nft
 * script) so that secrets never appear on a command line. A missing tool is a
 * {@link ToolMissingException} naming its Debian package.
 */
public final class HostCommands {
  private static final Logger LOG = LoggerFactory.getLogger(HostCommands.class);

  /** Debian packages of the tools the gateway runs. */
  public static final Map<String, String> DEBIAN_PACKAGES = Map.of(
      "ip", "iproute2",
      "wg", "wireguard-tools",
      "wireguard-go", "wireguard-go",
      "nft", "nftables",
      "ping", "iputils-ping",
      "sysctl", "procps",
      "iperf3", "iperf3");

  /** The result of a finished command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    public Result orThrow() {
      if (exitCode != 0) {
        throw new CommandFailedException(command, exitCode, stderr, "`" + String.join(" ", command)
            + "` failed (exit " + exitCode + "): " + stderr.strip());
      }
      return this;
    }
  }

  /** The commands that find userspace WireGuard interfaces through /var/run/wireguard. */
  private static final java.util.Set<String> WIREGUARD_TOOLS = java.util.Set.of("wg", "wireguard-go");

  private final Optional<String> netns;
  private final Duration timeout;

  private HostCommands(Optional<String> netns, Duration timeout) {
    this.netns = netns;
    this.timeout = timeout;
  }

  /** Commands in the current network namespace, 10 s each. */
  public static HostCommands host() {
    return new HostCommands(Optional.empty(), Duration.ofSeconds(10));
  }

  /** Commands inside network namespace {@code name} (null or blank: the current one). */
  public static HostCommands inNetns(String name) {
    return name == null || name.isBlank() ? host()
        : new HostCommands(Optional.of(name), Duration.ofSeconds(10));
  }

  public Optional<String> netns() {
    return netns;
  }

  /** The command line that runs {@code command} in this namespace. */
  public List<String> wrap(List<String> command) {
    if (netns.isEmpty()) {
      return List.copyOf(command);
    }
    if (!WIREGUARD_TOOLS.contains(command.get(0))) {
      List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns.get()));
      full.addAll(command);
      return full;
    }
    // `ip netns exec` runs in a private mount namespace: binding this namespace's own socket
    // directory over /var/run/wireguard there gives wg and wireguard-go a per-namespace view.
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns.get(), "sh", "-c",
        "mkdir -p \"$0\" /var/run/wireguard && mount --bind \"$0\" /var/run/wireguard && exec \"$@\"",
        wireGuardSocketDir().toString()));
    full.addAll(command);
    return full;
  }

  /** Where userspace WireGuard sockets of this namespace live on the host. */
  public Path wireGuardSocketDir() {
    return netns.map(ns -> Path.of(PontoonNames.WIREGUARD_NETNS_SOCKET_ROOT, ns))
        .orElse(Path.of("/var/run/wireguard"));
  }

  /** Throws {@link ToolMissingException} unless {@code tool} is on PATH. */
  public static void requireTool(String tool) {
    if (!onPath(tool)) {
      throw new ToolMissingException(tool, DEBIAN_PACKAGES.getOrDefault(tool, tool));
    }
  }

  public static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs and throws unless the exit code is 0. */
  public Result run(String... command) {
    return run(List.of(command), null).orThrow();
  }

  /** Runs with {@code stdin} (may be null) and returns whatever the exit code. */
  public Result run(List<String> command, byte[] stdin) {
    requireTool(command.get(0));
    if (netns.isPresent()) {
      requireTool("ip");
    }
    List<String> full = wrap(command);
    long started = System.nanoTime();
    Path out = null;
    Path err = null;
    try {
      // files, not pipes: a chatty command never blocks on a full pipe, no reader threads
      out = Files.createTempFile("pontoon-gw", ".out");
      err = Files.createTempFile("pontoon-gw", ".err");
      ProcessBuilder pb = new ProcessBuilder(full)
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      Process p = pb.start();
      if (stdin != null) {
        try (OutputStream os = p.getOutputStream()) {
          os.write(stdin);
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        throw new CommandFailedException(full, -1, Files.readString(err),
            "`" + String.join(" ", full) + "` did not finish within " + timeout.toSeconds() + " s");
      }
      Result r = new Result(full, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      if (LOG.isDebugEnabled()) {
        LOG.debug("command=\"{}\" exit={} millis={}", String.join(" ", full), r.exitCode(),
            (System.nanoTime() - started) / 1_000_000);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(full, -1, "", "`" + String.join(" ", full) + "` was interrupted");
    } catch (IOException e) {
      throw new UncheckedIOException("could not run `" + String.join(" ", full) + "`", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.debug("file={} not deleted: {}", p, e.toString());
      }
    }
  }
}
