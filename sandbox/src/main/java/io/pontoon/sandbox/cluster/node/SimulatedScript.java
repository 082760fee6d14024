package io.pontoon.sandbox.cluster.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a simulated container does, read from its command line. Only a few finite commands are
 * understood — {@code true}, {@code false}, {@code echo}, {@code sleep N}, {@code exit N} and
 * {@code trap '' TERM}, alone or as statements of {@code sh -c} — so that pods can succeed, fail,
 * crash-loop or ignore SIGTERM without real processes. Anything else runs until stopped, as a
 * server would.
 *
 * @param output lines written to the log when the container starts
 * @param exitAfter when the container exits on its own; empty means it runs until stopped
 * @param exitCode the code it exits with when it exits on its own
 * @param ignoresSigterm only SIGKILL (the end of the grace period) stops it
 */
public record SimulatedScript(List<String> output, Optional<Duration> exitAfter, int exitCode,
    boolean ignoresSigterm) {

  private static final List<String> SHELLS = List.of("sh", "bash", "ash", "dash");

  /** Reads {@code command + args}; an empty command line is a server. */
  public static SimulatedScript of(List<String> commandLine) {
    if (commandLine.isEmpty()) return server(List.of(), false);
    String program = basename(commandLine.get(0));
    if (SHELLS.contains(program) && commandLine.size() >= 3 && commandLine.get(1).equals("-c")) {
      return shell(commandLine.get(2));
    }
    return shell(String.join(" ", commandLine));
  }

  private static SimulatedScript server(List<String> output, boolean ignoresSigterm) {
    return new SimulatedScript(List.copyOf(output), Optional.empty(), 0, ignoresSigterm);
  }

  private static SimulatedScript shell(String script) {
    List<String> output = new ArrayList<>();
    Duration elapsed = Duration.ZERO;
    int last = 0;
    boolean trap = false;
    for (String raw : script.split(";|&&|\\n")) {
      String stmt = raw.strip();
      if (stmt.isEmpty()) continue;
      String[] words = stmt.split("\\s+", 2);
      String arg = words.length > 1 ? words[1].strip() : "";
      switch (basename(words[0])) {
        case "true", ":" -> last = 0;
        case "false" -> last = 1;
        case "echo" -> {
          output.add(unquote(arg));
          last = 0;
        }
        case "sleep" -> {
          Optional<Duration> d = seconds(arg);
          if (d.isEmpty()) return server(output, trap);
          elapsed = elapsed.plus(d.get());
          last = 0;
        }
        case "exit" -> {
          return new SimulatedScript(List.copyOf(output), Optional.of(elapsed), arg.isEmpty() ? last
              : Integer.parseInt(arg) & 255, trap);
        }
        case "trap" -> {
          if (!arg.matches("(''|\"\")\\s+(SIG)?(TERM|15)")) return server(output, trap);
          trap = true;
        }
        default -> {
          return server(output, trap);
        }
      }
    }
    return new SimulatedScript(List.copyOf(output), Optional.of(elapsed), last, trap);
  }

  private static Optional<Duration> seconds(String arg) {
    try {
      double s = Double.parseDouble(arg.endsWith("s") ? arg.substring(0, arg.length() - 1) : arg);
      return Optional.of(Duration.ofMillis((long) (s * 1000)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // "infinity" and friends: runs until stopped
    }
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static String basename(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
