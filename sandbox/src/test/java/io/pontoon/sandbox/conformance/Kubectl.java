package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real {@code kubectl} against a sandbox API server: each call gets its own
 * {@code --kubeconfig} and discovery cache directory, a deadline, and hands back exit code,
 * stdout and stderr. Without kubectl on PATH tests are skipped, except under {@code CI=true},
 * where a missing kubectl fails them.
 */
public final class Kubectl {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** What one kubectl run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    /** Asserts success and returns stdout. */
    public String ok() {
      assertThat(exitCode).as("kubectl exit code; stderr: %s; stdout: %s", err, out).isZero();
      return out;
    }

    /** Asserts failure and returns stderr. */
    public String fails() {
      assertThat(exitCode).as("kubectl should fail; stdout: %s", out).isNotZero();
      return err;
    }

    public List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private final String binary;
  private final Path kubeconfig;
  private final Path cacheDir;

  private Kubectl(String binary, Path kubeconfig, Path cacheDir) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /** kubectl as the admin of {@code server}; kubeconfig and cache live under {@code dir}. */
  public static Kubectl admin(SandboxApiServer server, Path dir) {
    String bin = requireBinary();
    try {
      Path kc = server.writeAdminKubeconfig(dir.resolve("admin.kubeconfig"));
      return new Kubectl(bin, kc, Files.createDirectories(dir.resolve("kube-cache")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl as a client-certificate user of {@code server}. */
  public static Kubectl user(SandboxApiServer server, Path dir, String user, List<String> groups) {
    return withKubeconfig(server.kubeconfigFor(user, groups), dir, user);
  }

  /** kubectl with the given kubeconfig text. */
  public static Kubectl withKubeconfig(String kubeconfigYaml, Path dir, String name) {
    String bin = requireBinary();
    try {
      Path kc = dir.resolve(name + ".kubeconfig");
      Files.writeString(kc, kubeconfigYaml);
      return new Kubectl(bin, kc, Files.createDirectories(dir.resolve("kube-cache")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Result run(String... args) {
    return run(Map.of(), null, DEFAULT_TIMEOUT, args);
  }

  public Result runWithStdin(String stdin, String... args) {
    return run(Map.of(), stdin, DEFAULT_TIMEOUT, args);
  }

  public Result runWithEnv(Map<String, String> env, String... args) {
    return run(env, null, DEFAULT_TIMEOUT, args);
  }

  /** Runs kubectl to completion; a run past {@code timeout} is killed and fails the test. */
  public Result run(Map<String, String> env, String stdin, Duration timeout, String... args) {
    Process p = start(env, stdin, args);
    Pump out = new Pump(p.getInputStream());
    Pump err = new Pump(p.getErrorStream());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        Assertions.fail("kubectl " + String.join(" ", args) + " did not finish within " + timeout
            + "; stdout so far: " + out.text() + "; stderr: " + err.text());
      }
      out.join();
      err.join();
      return new Result(p.exitValue(), out.text(), err.text());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a long-running kubectl (get -w, logs -f); its output accumulates until it is stopped. */
  public Background background(String... args) {
    Process p = start(Map.of(), null, args);
    return new Background(p, new Pump(p.getInputStream()), new Pump(p.getErrorStream()));
  }

  private Process start(Map<String, String> env, String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + cacheDir);
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
  }

  /** A kubectl process running in the background. */
  public static final class Background implements AutoCloseable {
    private final Process process;
    private final Pump out;
    private final Pump err;

    private Background(Process process, Pump out, Pump err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    public String out() {
      return out.text();
    }

    public String err() {
      return err.text();
    }

    public List<String> lines() {
      String t = out.text();
      return t.isBlank() ? List.of() : List.of(t.strip().split("\n"));
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Waits for the process to end by itself. */
    public int waitFor(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        Assertions.fail("kubectl did not end within " + timeout + "; stdout: " + out() + "; stderr: " + err());
      }
      out.join();
      err.join();
      return process.exitValue();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Drains a stream on its own thread, so a chatty process never blocks on a full pipe. */
  private static final class Pump {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;

    Pump(InputStream in) {
      thread = new Thread(() -> {
        byte[] b = new byte[8192];
        try (in) {
          for (int n; (n = in.read(b)) >= 0; ) {
            synchronized (buf) {
              buf.write(b, 0, n);
            }
          }
        } catch (IOException e) {
          // the process went away
        }
      }, "kubectl-output");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }

    void join() throws InterruptedException {
      thread.join(5_000);
    }
  }

  /** The kubectl on PATH; skips the test without one, or fails it under {@code CI=true}. */
  public static String requireBinary() {
    Optional<Path> found = Arrays.stream(Optional.ofNullable(System.getenv("PATH")).orElse("")
            .split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
    if (found.isPresent()) return found.get().toString();
    String message = "kubectl is not on PATH (" + System.getenv("PATH") + "): install kubectl 1.32 to run the "
        + "kubectl conformance tests";
    if ("true".equals(System.getenv("CI"))) Assertions.fail(message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** The header cells of a kubectl table (columns are separated by at least two spaces). */
  public static List<String> header(String tableOutput) {
    return columns(tableOutput.strip().split("\n")[0]);
  }

  /** The cells of a table line. */
  public static List<String> columns(String line) {
    return List.of(line.strip().split("\\s{2,}"));
  }

  /** The row of a table whose first cell (after {@code skip} leading cells) is {@code name}. */
  public static List<String> row(String tableOutput, int nameColumn, String name) {
    for (String line : tableOutput.strip().split("\n")) {
      List<String> cells = columns(line);
      if (cells.size() > nameColumn && cells.get(nameColumn).equals(name)) return cells;
    }
    throw new AssertionError("no row for " + name + " in:\n" + tableOutput);
  }
}
