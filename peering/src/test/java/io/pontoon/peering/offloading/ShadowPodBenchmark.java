package io.pontoon.peering.offloading;

import io.pontoon.api.controller.Handlers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.ResourceSliceStatus;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the provider's ShadowPod controller (prints a table, asserts nothing): N
 * ShadowPods created by 16 client threads against a sandbox API server, with a ResourceSlice so
 * the quota is checked on every admission; reports the time until every Pod exists and every
 * ShadowPod says PodCreated, the ShadowPod→Pod latency, and the controller's CPU and heap.
 *
 * <p>Run: {@code ./mvnw -B -o -pl peering -am verify -Pbench -Dtest=ShadowPodBenchmark}
 * ({@code -Dbench.shadowpods=N}, {@code -Dbench.workers=N}).
 */
@Tag("bench")
class ShadowPodBenchmark {
  private static final int COUNT = Integer.getInteger("bench.shadowpods", 10_000);
  private static final int WORKERS = Integer.getInteger("bench.workers", OffloadingControllers.DEFAULT_SHADOW_POD_WORKERS);
  private static final int CLIENT_THREADS = 16;

  @Test
  void shadowPodsBecomePods() throws Exception {
    try (SandboxApiServer server = SandboxApiServer.start(SandboxApiServer.Options.defaults("bench")
        .withHistoryPerType(Math.max(10_000, COUNT * 4)))) {
      Config config = server.adminConfig();
      config.setMaxConcurrentRequests(64);
      config.setMaxConcurrentRequestsPerHost(64);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        Crds.install(client, Duration.ofSeconds(30));
        String origin = UUID.randomUUID().toString();
        String tenant = PontoonNames.tenantNamespace("bench-home");
        Fixtures.namespace(client, tenant);
        Fixtures.namespace(client, "twin-bench");
        ResourceSlice slice = new ResourceSlice();
        slice.getMetadata().setName("bench-home");
        slice.getMetadata().setNamespace(tenant);
        slice.getSpec().setConsumerClusterID(origin);
        slice.getSpec().setProviderClusterID(UUID.randomUUID().toString());
        slice.getSpec().setResources(Map.of("pods", new Quantity(String.valueOf(COUNT))));
        slice = client.resources(ResourceSlice.class).inNamespace(tenant).resource(slice).create();
        slice.setStatus(new ResourceSliceStatus());
        slice.getStatus().setResources(Map.of("cpu", new Quantity("100000"), "pods", new Quantity(String.valueOf(COUNT))));
        client.resources(ResourceSlice.class).inNamespace(tenant).resource(slice).updateStatus();

        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch podsSeen = new CountDownLatch(COUNT);
        CountDownLatch statusSeen = new CountDownLatch(COUNT);
        Set<String> seenPods = ConcurrentHashMap.newKeySet();
        Set<String> seenStatus = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<Pod> pods = client.pods().inNamespace("twin-bench").inform(Handlers.onAny(p -> {
          if (seenPods.add(p.getMetadata().getName())) {
            Long t0 = createdAt.get(p.getMetadata().getName());
            if (t0 != null) latencies.add(System.nanoTime() - t0);
            podsSeen.countDown();
          }
        }));
        SharedIndexInformer<ShadowPod> sps = client.resources(ShadowPod.class).inNamespace("twin-bench")
            .inform(Handlers.onAny(sp -> {
              if (sp.getStatus() != null && Conditions.isTrue(sp.getStatus().getConditions(),
                  PontoonNames.ConditionTypes.POD_CREATED) && seenStatus.add(sp.getMetadata().getName())) {
                statusSeen.countDown();
              }
            }));

        ShadowPodController controller = new ShadowPodController(client, WORKERS);
        controller.start();
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = controllerCpu(threads);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < CLIENT_THREADS; t++) {
          pool.execute(() -> {
            int i;
            while ((i = next.getAndIncrement()) < COUNT) {
              String name = "sp-" + i;
              ShadowPod sp = Fixtures.shadowPod("twin-bench", name, origin, "bench-home", Fixtures.server("10m"));
              createdAt.put(name, System.nanoTime());
              client.resources(ShadowPod.class).inNamespace("twin-bench").resource(sp).create();
            }
          });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        double createdSeconds = (System.nanoTime() - start) / 1e9;
        boolean allPods = podsSeen.await(10, TimeUnit.MINUTES);
        double podsSeconds = (System.nanoTime() - start) / 1e9;
        boolean allStatus = statusSeen.await(10, TimeUnit.MINUTES);
        double statusSeconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (controllerCpu(threads) - cpu0) / 1e9;
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        controller.close();
        pods.close();
        sps.close();

        List<Long> lat = new ArrayList<>(latencies);
        Collections.sort(lat);
        System.out.println();
        System.out.printf(Locale.ROOT, "ShadowPod controller: %d ShadowPods, %d workers, %d client threads, quota on%n",
            COUNT, WORKERS, CLIENT_THREADS);
        System.out.printf(Locale.ROOT, "%-40s %12s%n", "measure", "value");
        System.out.printf(Locale.ROOT, "%-40s %10.2f s%n", "all ShadowPods created", createdSeconds);
        System.out.printf(Locale.ROOT, "%-40s %10.2f s%s%n", "all Pods exist", podsSeconds, allPods ? "" : " (timed out)");
        System.out.printf(Locale.ROOT, "%-40s %10.2f s%s%n", "all ShadowPods PodCreated=True", statusSeconds,
            allStatus ? "" : " (timed out)");
        System.out.printf(Locale.ROOT, "%-40s %12.0f%n", "pods/s", COUNT / podsSeconds);
        System.out.printf(Locale.ROOT, "%-40s %9.1f ms%n", "ShadowPod create→Pod seen p50", percentile(lat, 0.50));
        System.out.printf(Locale.ROOT, "%-40s %9.1f ms%n", "ShadowPod create→Pod seen p99", percentile(lat, 0.99));
        System.out.printf(Locale.ROOT, "%-40s %10.2f s%n", "controller worker CPU", cpuSeconds);
        System.out.printf(Locale.ROOT, "%-40s %8.1f MiB%n", "heap (whole process incl. API server)", heap / 1048576.0);
      }
    }
  }

  /** CPU of the controller's worker threads (informer and HTTP threads are not included). */
  private static long controllerCpu(java.lang.management.ThreadMXBean threads) {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("shadowpods-worker-")) {
        long c = threads.getThreadCpuTime(t.getId());
        if (c > 0) total += c;
      }
    }
    return total;
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }
}
