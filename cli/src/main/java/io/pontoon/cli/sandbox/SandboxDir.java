package io.pontoon.cli.sandbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Naming inside a sandbox directory. */
final class SandboxDir {
  private SandboxDir() {}

  static Path cluster(Path dir, String name) {
    return dir.resolve(name);
  }

  static String clusterName(int i) {
    return "cluster-" + i;
  }

  /** 6 hex characters from the directory's absolute path: unique per sandbox on a host. */
  static String sandboxId(Path dir) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(dir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h).substring(0, 6);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
