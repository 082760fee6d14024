package io.pontoon.sandbox.bench;

import io.pontoon.sandbox.junit.BenchTable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.cluster.scheduler.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale benchmark of the scheduler (prints a table, asserts nothing): 100 nodes, then 10,000 pods
 * created by 16 client threads while the scheduler binds them; reports the time until all are
 * bound, binds per second and the created→bound latency seen by an informer.
 *
 * <p>Run: {@code ./mvnw -B -pl sandbox verify -Pbench -Dtest=SchedulerBenchmark} (optionally
 * {@code -Dbench.nodes=N -Dbench.pods=N}).
 */
@Tag("bench")
class SchedulerBenchmark {
  private static final int NODES = Integer.getInteger("bench.nodes", 100);
  private static final int PODS = Integer.getInteger("bench.pods", 10_000);
  private static final int CLIENT_THREADS = Integer.getInteger("bench.threads", 16);

  @Test
  void tenThousandPodsOnAHundredNodes() throws Exception {
    // nodes here have no kubelets: keep them from going unknown during the run
    ClusterSpec.Timings timings = new ClusterSpec.Timings(Duration.ofSeconds(10), Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofMinutes(30), 300, Duration.ofMillis(50));
    try (SandboxCluster cluster = SandboxCluster.start(ClusterSpec.defaults("bench").withNodes(0)
        .withTimings(timings))) {
      Config config = cluster.apiServer().adminConfig();
      config.setMaxConcurrentRequests(CLIENT_THREADS * 2);
      config.setMaxConcurrentRequestsPerHost(CLIENT_THREADS * 2);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        for (int i = 0; i < NODES; i++) TestNodes.create(client, TestNodes.Spec.of("node-" + i));
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        BoundRecorder recorder = new BoundRecorder(createdAt);
        SharedIndexInformer<Pod> informer = client.pods().inNamespace("default").inform(recorder);

        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < CLIENT_THREADS; t++) {
          pool.execute(() -> {
            int i;
            while ((i = next.getAndIncrement()) < PODS) {
              String name = "pod-" + i;
              Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                  .addNewContainer().withName("c").withImage("busybox").withNewResources()
                  .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi"))).endResources()
                  .endContainer().endSpec().build();
              createdAt.put(name, System.nanoTime());
              client.pods().inNamespace("default").resource(pod).create();
            }
          });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        double createdSeconds = (System.nanoTime() - start) / 1e9;
        boolean all = recorder.done.await(5, TimeUnit.MINUTES);
        double boundSeconds = (System.nanoTime() - start) / 1e9;
        informer.close();

        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap = rt.totalMemory() - rt.freeMemory();
        List<Long> lat;
        synchronized (recorder.latencies) {
          lat = new ArrayList<>(recorder.latencies);
        }
        Collections.sort(lat);
        System.out.println();
        System.out.printf(Locale.ROOT, "Sandbox scheduler: %d nodes, %d pods created by %d client threads%n", NODES,
            PODS, CLIENT_THREADS);
        System.out.printf(Locale.ROOT, "%-34s %12s%n", "measure", "value");
        System.out.printf(Locale.ROOT, "%-34s %12d%n", "pods bound", lat.size());
        System.out.printf(Locale.ROOT, "%-34s %10.2f s%n", "all creates done", createdSeconds);
        System.out.printf(Locale.ROOT, "%-34s %10.2f s%s%n", "all pods bound", boundSeconds, all ? "" : " (timed out)");
        System.out.printf(Locale.ROOT, "%-34s %10.2f s%n", "last bind after last create", boundSeconds - createdSeconds);
        System.out.printf(Locale.ROOT, "%-34s %12.0f%n", "binds/s", lat.size() / boundSeconds);
        System.out.printf(Locale.ROOT, "%-34s %9.1f ms%n", "created→bound p50", BenchTable.percentile(lat, 0.50));
        System.out.printf(Locale.ROOT, "%-34s %9.1f ms%n", "created→bound p99", BenchTable.percentile(lat, 0.99));
        System.out.printf(Locale.ROOT, "%-34s %9.1f ms%n", "created→bound max",
            lat.isEmpty() ? 0 : lat.get(lat.size() - 1) / 1e6);
        System.out.printf(Locale.ROOT, "%-34s %8.1f MiB%n", "heap (process, after GC)", heap / 1048576.0);
        System.out.printf(Locale.ROOT, "target: all bound in well under 60 s%n");
      }
    }
  }

  /** Records, per pod, the time from its create request to the informer seeing it bound. */
  private static final class BoundRecorder implements ResourceEventHandler<Pod> {
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch done = new CountDownLatch(PODS);
    private final Map<String, Long> createdAt;
    private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundRecorder(Map<String, Long> createdAt) {
      this.createdAt = createdAt;
    }

    @Override
    public void onAdd(Pod pod) {
      check(pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      check(newPod);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}

    private void check(Pod pod) {
      String node = pod.getSpec().getNodeName();
      if (node == null || node.isEmpty() || !seen.add(pod.getMetadata().getName())) return;
      Long t0 = createdAt.get(pod.getMetadata().getName());
      if (t0 != null) latencies.add(System.nanoTime() - t0);
      done.countDown();
    }
  }
}
