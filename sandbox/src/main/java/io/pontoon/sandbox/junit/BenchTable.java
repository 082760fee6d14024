package io.pontoon.sandbox.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What the benchmarks share: latency rows of their tables and the heap of a server child JVM. */
public final class BenchTable {
  private BenchTable() {}

  /** One row: count, rate (or "-" for NaN), p50, p99 and max of latencies in nanoseconds, as ms. */
  public static void printRow(String name, List<Long> nanos, double rate) {
    List<Long> sorted;
    synchronized (nanos) {
      sorted = new ArrayList<>(nanos);
    }
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "%-36s %8d %10s %10.2f %10.2f %10.2f%n", name, sorted.size(),
        Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.0f", rate), percentile(sorted, 0.50),
        percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
  }

  /** The p-th percentile of sorted nanoseconds, in milliseconds. */
  public static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  /**
   * {@code java -Xmx2g <SandboxCluster.JVM_OPTIONS> [recording] [extra] -cp <this classpath> MAIN ARGS...}:
   * a benchmark's server child, collected as {@code sandbox up}'s clusters are; {@code -Dbench.jfr=FILE}
   * records it ({@code -Dbench.jfc}, default {@code profile}), {@code -Dbench.jvmopts="..."} adds
   * options (they come later, so they win).
   */
  public static List<String> childJvm(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx2g"));
    cmd.addAll(SandboxCluster.JVM_OPTIONS);
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null) {
      cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=" + System.getProperty("bench.jfc", "profile"));
    }
    cmd.addAll(jvmOptions("bench.jvmopts"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** CPU time a process has used so far (zero where the OS does not say). */
  public static java.time.Duration cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
  }

  /** Asks a server child ({@code heap} on its stdin) for its used heap after a GC, in bytes. */
  public static long heap(PrintWriter in, BufferedReader out) throws java.io.IOException {
    in.println("heap");
    String line = out.readLine();
    return Long.parseLong(line.substring("HEAP ".length()));
  }

  /** The JVM options a benchmark was given in system property {@code property}, space-separated. */
  public static List<String> jvmOptions(String property) {
    String value = System.getProperty(property, "").trim();
    return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
  }

  /** The API server's non-zero {@code apiserver_request_total} samples, as {@code /metrics} writes them. */
  public static List<String> requestTotals(KubernetesClient client) {
    List<String> lines = new ArrayList<>();
    for (String line : client.raw("/metrics").split("\n")) {
      if (line.startsWith("apiserver_request_total{") && !line.endsWith(" 0.0")) lines.add(line);
    }
    return lines;
  }
}
