package io.pontoon.cli.sandbox;

import java.nio.file.Path;
import java.util.List;

/** How to start this same program again as a child process. */
final class Launcher {
  private Launcher() {}

  static List<String> selfCommand() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    try {
      Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (jar.toString().endsWith(".jar")) return List.of(java, "-jar", jar.toString());
    } catch (Exception e) {
      // fall through to the class path form
    }
    return List.of(java, "-cp", System.getProperty("java.class.path"), "io.pontoon.cli.Main");
  }
}
