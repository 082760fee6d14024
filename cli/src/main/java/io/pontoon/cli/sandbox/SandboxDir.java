package io.pontoon.cli.sandbox;

import java.nio.file.Path;

/** Naming inside a sandbox directory. */
final class SandboxDir {
  private SandboxDir() {}

  static Path cluster(Path dir, String name) {
    return dir.resolve(name);
  }

  static String clusterName(int i) {
    return "cluster-" + i;
  }
}
