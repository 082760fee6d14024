package io.pontoon.sandbox.bench;

import io.pontoon.sandbox.junit.BenchTable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import io.vertx.core.buffer.Buffer;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale benchmark of the sandbox API server (not a timed test: it prints a table). Creates
 * 10,000 pods while three informers watch — all pods, a label-selected subset and a
 * {@code spec.nodeName} field-selected subset — and reports create throughput, watch delivery
 * latency (create sent → informer notified) and the server's heap. It runs twice by default: the
 * first round on cold JVMs, the second on a server that has been up a while.
 *
 * <p>Run: {@code ./mvnw -B -pl sandbox verify -Pbench} (optionally {@code -Dbench.pods=N},
 * {@code -Dbench.inflight=N}, {@code -Dbench.rounds=N}, {@code -Dbench.paced=N} creates/s of a last, paced round (0: none), {@code -Dbench.jfr=FILE} to record the server with Flight Recorder, {@code -Dbench.jfc=SETTINGS} for its settings).
 */
@Tag("bench")
class ApiServerBenchmark {
  private static final int PODS = Integer.getInteger("bench.pods", 10_000);
  private static final int CLIENT_THREADS = Integer.getInteger("bench.inflight", 32);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
  /** Creates per second of the last round, paced: latency at a given load, not at saturation (0: none). */
  private static final int PACED = Integer.getInteger("bench.paced", 2000);

  @Test
  void tenThousandPodsWithThreeInformers() throws Exception {
    Path dir = Files.createTempDirectory("pontoon-bench");
    Path kubeconfig = dir.resolve("kubeconfig");
    List<String> cmd = BenchTable.childJvm(BenchServerMain.class, kubeconfig.toString());
    Process server = new ProcessBuilder(cmd).redirectError(dir.resolve("server.log").toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8)); PrintWriter in = new PrintWriter(new OutputStreamWriter(server.getOutputStream(),
        StandardCharsets.UTF_8), true)) {
      String readyLine = out.readLine();
      while (readyLine != null && !readyLine.startsWith("READY")) readyLine = out.readLine(); // skip JVM notices
      if (readyLine == null) throw new IllegalStateException("server did not start");
      long heapBefore = BenchTable.heap(in, out);
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setMaxConcurrentRequests(CLIENT_THREADS * 2);
      config.setMaxConcurrentRequestsPerHost(CLIENT_THREADS * 2);
      List<Round> results = new ArrayList<>();
      // The informers measured are fabric8's; the creates come from the lean load generator.
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
          LeanClient load = new LeanClient(config, CLIENT_THREADS)) {
        // Round 1 runs on cold JVMs (class loading and JIT compilation of server and client);
        // later rounds show the steady state of a server that has been up for a while.
        for (int r = 1; r <= ROUNDS; r++) results.add(round(client, load, server, "bench-" + r, 0));
        if (PACED > 0) results.add(round(client, load, server, "bench-paced", PACED));
      }
      long heapAfter = BenchTable.heap(in, out);

      System.out.println();
      System.out.printf(Locale.ROOT, "Sandbox API server: %d pods per round, %d requests in flight, 3 informers, "
          + "%d rounds (round 1 on cold JVMs)%s%n", PODS, CLIENT_THREADS, ROUNDS,
          PACED > 0 ? ", then one paced at " + PACED + " creates/s (rP)" : "");
      System.out.printf(Locale.ROOT, "%-44s %8s %10s %10s %10s %10s%n", "measure", "count", "rate/s", "p50 ms",
          "p99 ms", "max ms");
      for (int r = 0; r < results.size(); r++) {
        Round x = results.get(r);
        String p = (r == ROUNDS ? "rP" : "r" + (r + 1)) + " ";
        BenchTable.printRow(p + "create (request round trip)", x.createLatencies, PODS / x.createSeconds);
        for (Recorder rec : x.recorders) BenchTable.printRow(p + "watch: " + rec.name, rec.latencies, Double.NaN);
      }
      System.out.printf(Locale.ROOT, "%-44s %10s %10s %10s %10s%n", "per round", "creates s", "delivered s",
          "server CPU", "client CPU");
      for (int r = 0; r < results.size(); r++) {
        Round x = results.get(r);
        System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f %9.2fs %9.2fs%n",
            r == ROUNDS ? "paced round" : "round " + (r + 1), x.createSeconds,
            x.deliveredSeconds, x.serverCpu, x.clientCpu);
      }
      System.out.printf(Locale.ROOT, "%-44s %8.1f MiB%n", "server heap before (after GC)", heapBefore / 1048576.0);
      System.out.printf(Locale.ROOT, "%-44s %8.1f MiB (%d pods)%n", "server heap with pods (after GC)",
          heapAfter / 1048576.0, PODS * results.size());
      System.out.printf(Locale.ROOT, "targets: >= 2000 creates/s, p99 watch delivery < 50 ms%n");
      in.println("quit");
    } finally {
      if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

  private record Round(List<Long> createLatencies, List<Recorder> recorders, double createSeconds,
      double deliveredSeconds, double serverCpu, double clientCpu) {}

  /** Creates {@link #PODS} pods in a new namespace while three informers watch it. */
  private static Round round(KubernetesClient client, LeanClient load, Process server, String ns, int perSecond)
      throws Exception {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(ns).endMetadata().build()).create();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Recorder> recorders = List.of(
        new Recorder("all pods", PODS, sentAt),
        new Recorder("label tier=gold (1/2)", PODS / 2, sentAt),
        new Recorder("field spec.nodeName=node-0 (1/10)", PODS / 10, sentAt));
    List<SharedIndexInformer<Pod>> informers = List.of(
        client.pods().inNamespace(ns).inform(recorders.get(0)),
        client.pods().inNamespace(ns).withLabel("tier", "gold").inform(recorders.get(1)),
        client.pods().inNamespace(ns).withField("spec.nodeName", "node-0").inform(recorders.get(2)));

    LeanClient.Creates creates = load.creates();
    Duration serverCpu0 = BenchTable.cpu(server.toHandle());
    Duration clientCpu0 = BenchTable.cpu(ProcessHandle.current());
    long start = System.nanoTime();
    for (int i = 0; i < PODS; i++) {
      String name = "pod-" + i;
      Buffer body = Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
          + "\",\"labels\":{\"tier\":\"" + (i % 2 == 0 ? "gold" : "silver") + "\"}},\"spec\":{\"nodeName\":\"node-"
          + (i % 10) + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
      if (perSecond > 0) {
        long due = start + i * 1_000_000_000L / perSecond;
        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) LockSupport.parkNanos(due - now);
      }
      creates.post("/api/v1/namespaces/" + ns + "/pods", name, body, t0 -> sentAt.put(name, t0));
    }
    creates.awaitAll("namespace " + ns);
    double createSeconds = (System.nanoTime() - start) / 1e9;
    for (Recorder r : recorders) r.await(Duration.ofMinutes(2));
    double deliveredSeconds = (System.nanoTime() - start) / 1e9;
    double serverCpu = BenchTable.cpu(server.toHandle()).minus(serverCpu0).toMillis() / 1000.0;
    double clientCpu = BenchTable.cpu(ProcessHandle.current()).minus(clientCpu0).toMillis() / 1000.0;
    informers.forEach(SharedIndexInformer::close);
    return new Round(creates.latencies(), recorders, createSeconds, deliveredSeconds, serverCpu, clientCpu);
  }


  /** Records, per informer, the time from a pod's create request to its ADD notification. */
  private static final class Recorder implements ResourceEventHandler<Pod> {
    final String name;
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch done;
    private final Map<String, Long> sentAt;

    Recorder(String name, int expected, Map<String, Long> sentAt) {
      this.name = name;
      this.done = new CountDownLatch(expected);
      this.sentAt = sentAt;
    }

    @Override
    public void onAdd(Pod pod) {
      Long t0 = sentAt.get(pod.getMetadata().getName());
      if (t0 != null) latencies.add(System.nanoTime() - t0);
      done.countDown();
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {}

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}

    void await(Duration d) throws InterruptedException {
      if (!done.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + ": only " + latencies.size() + " events arrived");
      }
    }
  }
}
