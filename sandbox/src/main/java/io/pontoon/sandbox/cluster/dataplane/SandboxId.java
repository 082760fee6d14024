package io.pontoon.sandbox.cluster.dataplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The short id (6 lower-case hex characters) that every network namespace, interface and process
 * marker of one sandbox carries, so two sandboxes on one host never collide and
 * {@link Dataplane#cleanup} finds everything of one sandbox by name.
 */
public record SandboxId(String value) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{6}");

  public SandboxId {
    if (value == null || !HEX.matcher(value).matches()) {
      throw new IllegalArgumentException("a sandbox id is 6 lower-case hex characters, got " + value);
    }
  }

  /**
   * The id of the sandbox kept in {@code dir}: the first 6 hex characters of the SHA-256 of its
   * real path, so {@code sandbox up}, {@code netns} and {@code down} agree without storing it. Call
   * it once the directory exists (symbolic links are resolved then).
   */
  public static SandboxId forDirectory(Path dir) {
    Path p = dir.toAbsolutePath().normalize();
    try {
      p = p.toRealPath();
    } catch (IOException e) {
      // not created yet: the absolute path is the best we have
    }
    return new SandboxId(sha256Hex(p.toString()).substring(0, 6));
  }

  /** A fresh random id, for tests and throw-away sandboxes. */
  public static SandboxId random() {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return new SandboxId(HexFormat.of().formatHex(b));
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
