package io.pontoon.cli.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How to start this same program again as a child process. */
final class Launcher {
  private Launcher() {}

  static List<String> selfCommand() {
    return selfCommand(List.of());
  }

  /** The same, with these JVM options. */
  static List<String> selfCommand(List<String> jvmOptions) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    try {
      Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (jar.toString().endsWith(".jar")) return command(java, jvmOptions, "-jar", jar.toString());
    } catch (Exception e) {
      // fall through to the class path form
    }
    return command(java, jvmOptions, "-cp", System.getProperty("java.class.path"), "io.pontoon.cli.Main");
  }

  private static List<String> command(String java, List<String> jvmOptions, String... rest) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of(rest));
    return cmd;
  }
}
