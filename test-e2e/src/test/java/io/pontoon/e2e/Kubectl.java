package io.pontoon.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** kubectl as a user runs it, against one kubeconfig. Skips without kubectl, except on CI. */
final class Kubectl {
  record Result(int exitCode, String out, String err) {}

  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    if (!io.pontoon.sandbox.junit.HostRequirements.onPath("kubectl")) {
      String message = "this test needs kubectl 1.32 on PATH";
      if ("true".equals(System.getenv("CI"))) Assertions.fail(message);
      Assumptions.abort(message);
    }
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl " + args[0] + " did not finish within 60 s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs and requires success. */
  String ok(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.err());
    }
    return r.out();
  }
}
