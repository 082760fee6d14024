package io.pontoon.sandbox.cluster.node;

import io.pontoon.api.client.ProcessDefaults;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A sandbox cluster with N simulated nodes in its own JVM, so {@link NodeBenchmark} measures the
 * sandbox's heap and not the client's. Prints {@code READY <startMillis>}, answers each
 * {@code heap} line with the used heap after a GC in bytes, exits on {@code quit}.
 */
public final class ClusterBenchMain {
  private ClusterBenchMain() {}

  public static void main(String[] args) throws Exception {
    ProcessDefaults.apply(); // as the pontoon binary does
    Path kubeconfig = Path.of(args[0]);
    int nodes = Integer.parseInt(args[1]);
    long t0 = System.nanoTime();
    try (SandboxCluster cluster = SandboxCluster.start(ClusterSpec.defaults("bench").withNodes(nodes))) {
      long startMillis = (System.nanoTime() - t0) / 1_000_000;
      cluster.writeAdminKubeconfig(kubeconfig);
      System.out.println("READY " + startMillis);
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        if (line.equals("heap")) {
          for (int i = 0; i < 3; i++) System.gc();
          System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
          System.out.flush();
        }
      }
    }
  }
}
