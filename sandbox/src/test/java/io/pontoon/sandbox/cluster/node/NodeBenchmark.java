package io.pontoon.sandbox.cluster.node;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.pontoon.sandbox.junit.BenchTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale benchmark of the simulated nodes (not a timed test: it prints a table). A sandbox cluster
 * with 100 nodes runs in its own JVM; 10,000 pods are created for the scheduler to place (or bound
 * with {@code -Dbench.bound=true}: {@code spec.nodeName},
 * round-robin) and the benchmark waits until every one reports Running with a pod IP. Reports the
 * cluster's start time, create throughput, create→Running latency, time until all Running and the
 * sandbox process's heap.
 *
 * <p>Run: {@code ./mvnw -B -pl sandbox verify -Pbench -Dtest=NodeBenchmark} (optionally
 * {@code -Dbench.nodes=N -Dbench.pods=M}, {@code -Dbench.jfr=FILE -Dbench.jfc=SETTINGS} to record the
 * cluster with Flight Recorder).
 */
@Tag("bench")
class NodeBenchmark {
  private static final int NODES = Integer.getInteger("bench.nodes", 100);
  private static final int PODS = Integer.getInteger("bench.pods", 10_000);
  private static final int CLIENT_THREADS = Integer.getInteger("bench.threads", 16);
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
      config.setMaxConcurrentRequests(CLIENT_THREADS * 2);
      config.setMaxConcurrentRequestsPerHost(CLIENT_THREADS * 2);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        int readyNodes = (int) client.nodes().list().getItems().stream().filter(n -> n.getStatus().getConditions()
            .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).count();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata()
            .build()).create();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> toRunning = Collections.synchronizedList(new ArrayList<>());
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> ips = ConcurrentHashMap.newKeySet();
        CountDownLatch allRunning = new CountDownLatch(PODS);
        SharedIndexInformer<Pod> informer = client.pods().inNamespace("bench").inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            seen(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            seen(after);
          }

          @Override
          public void onDelete(Pod pod, boolean unknown) {}

          private void seen(Pod pod) {
            if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) return;
            if (!running.add(pod.getMetadata().getName())) return;
            ips.add(pod.getStatus().getPodIP());
            Long t0 = sentAt.get(pod.getMetadata().getName());
            if (t0 != null) toRunning.add(System.nanoTime() - t0);
            allRunning.countDown();
          }
        }, 0);

        List<Long> createLatencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < CLIENT_THREADS; t++) {
          pool.execute(() -> {
            int i;
            while ((i = next.getAndIncrement()) < PODS) {
              String name = "pod-" + i;
              Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                  .withNewSpec().withNodeName(BOUND ? "bench-node-" + (i % NODES + 1) : null)
                  .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();
              long t0 = System.nanoTime();
              sentAt.put(name, t0);
              client.pods().inNamespace("bench").resource(pod).create();
              createLatencies.add(System.nanoTime() - t0);
            }
          });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        double createSeconds = (System.nanoTime() - start) / 1e9;
        boolean complete = allRunning.await(5, TimeUnit.MINUTES);
        double allRunningSeconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = BenchTable.heap(in, out);
        informer.close();

        System.out.println();
        System.out.printf(Locale.ROOT, "Simulated nodes: %d nodes, %d pods %s, %d client threads%n",
            NODES, PODS, BOUND ? "bound by nodeName" : "placed by the scheduler", CLIENT_THREADS);
        System.out.printf(Locale.ROOT, "%-36s %8s %10s %10s %10s %10s%n", "measure", "count", "rate/s", "p50 ms",
            "p99 ms", "max ms");
        BenchTable.printRow("create (request round trip)", createLatencies, PODS / createSeconds);
        BenchTable.printRow("create sent -> Running seen", toRunning, running.size() / allRunningSeconds);
        System.out.printf(Locale.ROOT, "%-36s %8.2f s (%d nodes Ready)%n", "cluster start", clusterStartMillis / 1e3,
            readyNodes);
        System.out.printf(Locale.ROOT, "%-36s %8.2f s%n", "all creates done", createSeconds);
        System.out.printf(Locale.ROOT, "%-36s %8.2f s (%d of %d Running%s)%n", "all pods Running", allRunningSeconds,
            running.size(), PODS, complete ? "" : ", INCOMPLETE");
        System.out.printf(Locale.ROOT, "%-36s %8d%n", "distinct pod IPs", ips.size());
        System.out.printf(Locale.ROOT, "%-36s %8.1f MiB%n", "sandbox heap, nodes idle (after GC)",
            heapBefore / 1048576.0);
        System.out.printf(Locale.ROOT, "%-36s %8.1f MiB%n", "sandbox heap, pods Running (after GC)",
            heapAfter / 1048576.0);
        System.out.printf(Locale.ROOT, "targets: all Running < 60 s, heap < 1024 MiB%n");
        System.out.println("API requests during the run (apiserver_request_total):");
        for (String line : client.raw("/metrics").split("\n")) {
          if (line.startsWith("apiserver_request_total{") && (line.contains("resource=\"pods\"")
              || line.contains("resource=\"nodes\"") || line.contains("resource=\"leases\""))) {
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
