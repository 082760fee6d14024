package io.pontoon.sandbox.cluster.dataplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds and signals host processes through {@code /proc}. */
final class HostProcesses {
  /** Environment variable every container process carries, so cleanup finds it after a crash. */
  static final String MARKER = "PONTOON_SANDBOX";

  private HostProcesses() {}

  /** Pids of live processes whose environment holds {@code MARKER=<sandbox id>}. */
  static List<Long> markedWith(SandboxId id) {
    byte[] needle = (MARKER + "=" + id.value()).getBytes(StandardCharsets.UTF_8);
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : proc) {
        byte[] env;
        try {
          env = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException | SecurityException e) {
          continue; // gone meanwhile, or a kernel thread
        }
        if (containsEntry(env, needle) && !isZombie(dir)) pids.add(Long.parseLong(dir.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return pids;
  }

  /** True when the NUL-separated environment block holds exactly the entry {@code needle}. */
  static boolean containsEntry(byte[] env, byte[] needle) {
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static boolean isZombie(Path procDir) {
    try {
      String stat = Files.readString(procDir.resolve("stat"));
      // "pid (comm) S …": the state follows the last ')' since comm may hold spaces and parentheses
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true; // gone
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(Path.of("/proc", Long.toString(pid)));
  }

  /** SIGKILL to one process; a process already gone is fine. */
  static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Sends a signal to a whole process group; a group already gone is fine. */
  static void signalGroup(CommandRunner runner, long pgid, String signal) {
    CommandResult r = runner.run(List.of("kill", "-s", signal, "--", "-" + pgid));
    if (!r.ok() && !r.stderr().contains("No such process")) r.orThrow();
  }
}
