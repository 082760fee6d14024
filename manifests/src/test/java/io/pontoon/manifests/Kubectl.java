package io.pontoon.manifests;

import io.pontoon.sandbox.junit.HostRequirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real {@code kubectl} as a subprocess, with its own kubeconfig and cache, and a deadline. */
final class Kubectl {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    String ok() {
      if (exitCode != 0) throw new AssertionError("kubectl failed (" + exitCode + "): " + err + "\n" + out);
      return out;
    }
  }

  private final Path kubeconfig;
  private final Path cacheDir;

  private Kubectl(Path kubeconfig, Path cacheDir) {
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /** kubectl with a kubeconfig (null: none, for client-only commands such as kustomize). */
  static Kubectl of(Path kubeconfig, Path dir) {
    HostRequirements.check().tool("kubectl", "kubectl").orSkip();
    try {
      return new Kubectl(kubeconfig, Files.createDirectories(dir.resolve("kube-cache")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(String stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl"));
    if (kubeconfig != null) cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + cacheDir);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      try (var in = p.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within " + TIMEOUT);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
