package io.pontoon.sandbox.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need root or Debian tools: with everything present they run; otherwise they
 * skip with a message naming what is missing, except under {@code CI=true}, where a missing
 * requirement is a failure (CI installs them all).
 */
public final class HostRequirements {
  private final List<String> missing = new ArrayList<>();

  private HostRequirements() {}

  public static HostRequirements check() {
    return new HostRequirements();
  }

  /** Requires uid 0 (network namespaces, interfaces, nft). */
  public HostRequirements root() {
    if (!isRoot()) missing.add("root (the test creates network namespaces or interfaces)");
    return this;
  }

  /** Requires {@code command} on PATH, installed by {@code debianPackage}. */
  public HostRequirements tool(String command, String debianPackage) {
    if (!onPath(command)) {
      missing.add("the `" + command + "` command (install the Debian package " + debianPackage + ")");
    }
    return this;
  }

  /** Runs the test, skips it, or (with CI=true) fails it. */
  public void orSkip() {
    skipOrFail(missing, System.getenv("CI"));
  }

  static void skipOrFail(List<String> missing, String ci) {
    if (missing.isEmpty()) return;
    String message = "this test needs: " + String.join("; ", missing);
    if ("true".equals(ci)) Assertions.fail(message);
    Assumptions.abort(message);
  }

  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  public static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }
}
