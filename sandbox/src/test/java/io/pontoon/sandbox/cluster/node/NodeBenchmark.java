package io.pontoon.sandbox.cluster.node;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.pontoon.sandbox.bench.LeanClient;
import io.pontoon.sandbox.junit.BenchTable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale benchmark of the simulated nodes (not a timed test: it prints a table). A sandbox cluster
 * with 100 nodes runs in its own JVM; 10,000 pods are created for the scheduler to place (or bound
 * with {@code -Dbench.bound=true}: {@code spec.nodeName},
 * round-robin) and the benchmark waits until every one reports Running with a pod IP. Reports the
 * cluster's start time, create throughput, create→Running latency, time until all Running, the
 * CPU of the sandbox process and of the benchmark's own client, and the sandbox's heap. The
 * client is {@link LeanClient} (prepared JSON, a raw watch on {@code status.phase=Running}), so
 * the 2 cores go to the cluster being measured.
 *
 * <p>Run: {@code ./mvnw -B -pl sandbox verify -Pbench -Dtest=NodeBenchmark} (optionally
 * {@code -Dbench.nodes=N -Dbench.pods=M -Dbench.inflight=K}, {@code -Dbench.jfr=FILE -Dbench.jfc=SETTINGS}
 * to record the cluster with Flight Recorder).
 */
@Tag("bench")
class NodeBenchmark {
  private static final int NODES = Integer.getInteger("bench.nodes", 100);
  private static final int PODS = Integer.getInteger("bench.pods", 10_000);
  private static final int CLIENT_THREADS = Integer.getInteger("bench.inflight", 16);
  /** Pods go through the scheduler (default), or are created bound with {@code -Dbench.bound=true}. */
  private static final boolean BOUND = Boolean.getBoolean("bench.bound");

  @Test
  void tenThousandPodsOnAHundredNodes() throws Exception {
    Path dir = Files.createTempDirectory("pontoon-node-bench");
    Path kubeconfig = dir.resolve("kubeconfig");
    List<String> cmd = BenchTable.childJvm(ClusterBenchMain.class, kubeconfig.toString(), Integer.toString(NODES));
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8)); PrintWriter in = new PrintWriter(new OutputStreamWriter(server.getOutputStream(),
        StandardCharsets.UTF_8), true)) {
      String ready = out.readLine();
      while (ready != null && !ready.startsWith("READY")) ready = out.readLine(); // skip JVM notices
      if (ready == null || !ready.startsWith("READY")) throw new IllegalStateException("cluster did not start");
      long clusterStartMillis = Long.parseLong(ready.substring("READY ".length()).trim());
      long heapBefore = BenchTable.heap(in, out);
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      // fabric8 for the set-up and the final metrics; the run itself through the lean client
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
          LeanClient load = new LeanClient(config, CLIENT_THREADS)) {
        Duration clusterCpu0 = BenchTable.cpu(server.toHandle());
        Duration clientCpu0 = BenchTable.cpu(ProcessHandle.current());
        int readyNodes = (int) client.nodes().list().getItems().stream().filter(n -> n.getStatus().getConditions()
            .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).count();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata()
            .build()).create();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> toRunning = Collections.synchronizedList(new ArrayList<>());
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> ips = ConcurrentHashMap.newKeySet();
        CountDownLatch allRunning = new CountDownLatch(PODS);
        String pods = "/api/v1/namespaces/bench/pods";
        String fromVersion = client.pods().inNamespace("bench").list().getMetadata().getResourceVersion();
        // A pod starts matching status.phase=Running when it turns Running: one event per pod
        // (plus its later status writes), read as raw JSON.
        load.watch(pods + "?watch=1&fieldSelector=status.phase%3DRunning&resourceVersion=" + fromVersion, event -> {
          JsonObject pod = event.getJsonObject("object");
          String name = pod.getJsonObject("metadata").getString("name");
          if (!running.add(name)) return;
          String ip = pod.getJsonObject("status").getString("podIP");
          if (ip != null) ips.add(ip);
          Long t0 = sentAt.get(name);
          if (t0 != null) toRunning.add(System.nanoTime() - t0);
          allRunning.countDown();
        }).get(30, TimeUnit.SECONDS);

        LeanClient.Creates creates = load.creates();
        long start = System.nanoTime();
        for (int i = 0; i < PODS; i++) {
          String name = "pod-" + i;
          Buffer body = Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
              + "\"},\"spec\":{" + (BOUND ? "\"nodeName\":\"bench-node-" + (i % NODES + 1) + "\"," : "")
              + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
          creates.post(pods, name, body, t0 -> sentAt.put(name, t0));
        }
        creates.awaitAll("namespace bench");
        double createSeconds = (System.nanoTime() - start) / 1e9;
        boolean complete = allRunning.await(5, TimeUnit.MINUTES);
        double allRunningSeconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = BenchTable.heap(in, out);
        Duration clusterCpu = BenchTable.cpu(server.toHandle()).minus(clusterCpu0);
        Duration clientCpu = BenchTable.cpu(ProcessHandle.current()).minus(clientCpu0);

        System.out.println();
        System.out.printf(Locale.ROOT, "Simulated nodes: %d nodes, %d pods %s, %d creates in flight%n",
            NODES, PODS, BOUND ? "bound by nodeName" : "placed by the scheduler", CLIENT_THREADS);
        System.out.printf(Locale.ROOT, "%-36s %8s %10s %10s %10s %10s%n", "measure", "count", "rate/s", "p50 ms",
            "p99 ms", "max ms");
        BenchTable.printRow("create (request round trip)", creates.latencies(), PODS / createSeconds);
        BenchTable.printRow("create sent -> Running seen", toRunning, running.size() / allRunningSeconds);
        System.out.printf(Locale.ROOT, "%-36s %8.2f s (%d nodes Ready)%n", "cluster start", clusterStartMillis / 1e3,
            readyNodes);
        System.out.printf(Locale.ROOT, "%-36s %8.2f s%n", "all creates done", createSeconds);
        System.out.printf(Locale.ROOT, "%-36s %8.2f s (%d of %d Running%s)%n", "all pods Running", allRunningSeconds,
            running.size(), PODS, complete ? "" : ", INCOMPLETE");
        System.out.printf(Locale.ROOT, "%-36s %8d%n", "distinct pod IPs", ips.size());
        System.out.printf(Locale.ROOT, "%-36s %8.1f s (benchmark client %.1f s)%n", "sandbox CPU during the run",
            clusterCpu.toMillis() / 1e3, clientCpu.toMillis() / 1e3);
        System.out.printf(Locale.ROOT, "%-36s %8.1f MiB%n", "sandbox heap, nodes idle (after GC)",
            heapBefore / 1048576.0);
        System.out.printf(Locale.ROOT, "%-36s %8.1f MiB%n", "sandbox heap, pods Running (after GC)",
            heapAfter / 1048576.0);
        System.out.printf(Locale.ROOT, "targets: all Running < 60 s, heap < 1024 MiB%n");
        System.out.println("API requests during the run (apiserver_request_total):");
        for (String line : BenchTable.requestTotals(client)) {
          if (line.contains("resource=\"pods\"") || line.contains("resource=\"nodes\"")
              || line.contains("resource=\"leases\"")) {
            System.out.println("  " + line);
          }
        }
      }
      in.println("quit");
    } finally {
      if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

}
