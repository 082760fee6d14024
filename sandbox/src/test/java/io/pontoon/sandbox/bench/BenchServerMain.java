package io.pontoon.sandbox.bench;

import io.pontoon.api.client.ProcessDefaults;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A sandbox API server in its own JVM, so the benchmark measures the server's heap and not the
 * client's. Prints {@code READY}, then answers each {@code heap} line on stdin with the used heap
 * after a GC, in bytes; exits on {@code quit} or end of input.
 */
public final class BenchServerMain {
  private BenchServerMain() {}

  public static void main(String[] args) throws Exception {
    ProcessDefaults.apply(); // as the pontoon binary does
    Path kubeconfig = Path.of(args[0]);
    try (SandboxApiServer server = SandboxApiServer.start(SandboxApiServer.Options.defaults("bench"))) {
      server.writeAdminKubeconfig(kubeconfig);
      System.out.println("READY " + server.url());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        if (line.equals("heap")) {
          for (int i = 0; i < 3; i++) System.gc();
          long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
          System.out.println("HEAP " + used);
          System.out.flush();
        }
      }
    }
  }
}
