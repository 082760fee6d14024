package io.pontoon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.client.LeanWrites;
import io.pontoon.api.client.ProcessDefaults;
import io.pontoon.peering.foreigncluster.LocalProcessLauncher;
import io.pontoon.peering.offloading.OffloadingControllers;
import io.pontoon.peering.offloading.ShadowPodController;
import io.pontoon.sandbox.apiserver.Meta;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.ClusterSpec.NodeShape;
import io.pontoon.sandbox.junit.BenchTable;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bursts of 100, 1,000 and 10,000 pods bound to the virtual node, run for real on the provider's
 * sandbox kubelets: time until all home pods are Running, the latency the virtual kubelet adds on
 * its two hops, and its heap, RSS and CPU (it runs as its own process). Prints a table.
 *
 * <p>{@code ./mvnw -B -pl test-e2e -am verify -Pbench -Dtest=VirtualKubeletBenchmark}
 * ({@code -Dbench.sizes=100,1000} for a shorter run; a warm-up burst of
 * {@code -Dbench.warmup=1000} pods comes first; {@code -Dbench.vkopts="..."} adds JVM options to
 * the agent's ones for a virtual kubelet, e.g. {@code -XX:TieredStopAtLevel=4} for C2;
 * {@code -Dbench.workers=N} sets the virtual kubelet's pod workers (16),
 * {@code -Dbench.providerWorkers=N} the provider's ShadowPod workers (the agent's default);
 * {@code -Dbench.nmt=true} prints the committed native memory per area after each burst,
 * {@code -Dbench.histo=N} the N classes that take most of its heap).
 */
@Tag("bench")
class VirtualKubeletBenchmark {
  @TempDir Path dir;

  @Test
  void bursts() throws Exception {
    // The clusters and the provider's controllers run in this JVM; the pontoon binary sets these
    // in its main (in this C1-only JVM, -Pbench, that includes TLS preferring ChaCha20)
    ProcessDefaults.apply();
    List<Integer> sizes = new ArrayList<>();
    for (String s : System.getProperty("bench.sizes", "100,1000,10000").split(",")) sizes.add(Integer.parseInt(s.trim()));
    // A virtual kubelet meets bursts after running a while: a first burst, shown apart, lets the
    // JIT compilers of all processes finish before the measured ones (-Dbench.warmup=0: none).
    int warmup = Integer.getInteger("bench.warmup", 1000);
    if (warmup > 0) sizes.add(0, warmup);
    int total = sizes.stream().mapToInt(Integer::intValue).sum();
    try (Clusters clusters = new Clusters(dir)) {
      Clusters.Member home = clusters.add("home", ClusterSpec.defaults("home").withNodes(0));
      // nodes of kube's default size (110 pods), as many as the pods need with some room
      int nodes = Math.max(2, (total + 99) / 100);
      Clusters.Member provider = clusters.add("provider", ClusterSpec.defaults("provider").withNodes(nodes)
          .withNodeShape(new NodeShape("64", "256Gi", 110, 24)));
      ShadowPodController shadows = clusters.closeLater(new ShadowPodController(provider.client(),
          Integer.getInteger("bench.providerWorkers", OffloadingControllers.DEFAULT_SHADOW_POD_WORKERS)));
      shadows.start();
      int metricsPort = freePort();
      PontoonProcess vk = clusters.closeLater(PontoonProcess.start(dir.resolve("vk.log"),
          jvmOptions(), "virtual-kubelet", "--home-kubeconfig", home.kubeconfig().toString(),
          "--foreign-kubeconfig", provider.kubeconfig().toString(),
          "--foreign-cluster-id", provider.identity().id(), "--foreign-cluster-name", provider.identity().name(),
          "--metrics-port", Integer.toString(metricsPort), "--pod-workers", System.getProperty("bench.workers", "16")));
      String node = PontoonNames.virtualNodeName(provider.identity().name());
      awaitNode(home, node);

      System.out.println();
      System.out.println("Virtual kubelet bursts (home, provider and load generator share the machine; "
          + Runtime.getRuntime().availableProcessors() + " cores)");
      System.out.printf(Locale.ROOT, "%-10s %8s %12s %12s %12s %12s %10s %10s %9s %10s %9s%n", "pods", "allRun s",
          "bound→SP p50", "bound→SP p99", "run→run p50", "run→run p99", "heap MiB", "RSS MiB", "CPU s", "rest CPU s",
          "JIT s");
      List<String> stages = new ArrayList<>();
      LeanWrites homeWrites = new LeanWrites(home.client());
      AtomicReference<Observer> observed = new AtomicReference<>();
      home.cluster().apiServer().store().addListener(c -> {
        Observer o = observed.get();
        if (o != null) o.home(c);
      });
      provider.cluster().apiServer().store().addListener(c -> {
        Observer o = observed.get();
        if (o != null) o.provider(c);
      });
      for (int round = 0; round < sizes.size(); round++) {
        int n = sizes.get(round);
        String label = (warmup > 0 && round == 0 ? "warm " : "") + n;
        String ns = "bench-" + round + "-" + n;
        String twin = PontoonNames.defaultTwinNamespace(ns, "home");
        home.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
            .build()).create();
        provider.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(twin)
            .endMetadata().build()).create();
        Map<String, Long> bound = new ConcurrentHashMap<>();
        Map<String, Long> homeRunning = new ConcurrentHashMap<>();
        Map<String, Long> shadowCreated = new ConcurrentHashMap<>();
        Map<String, Long> shadowRunning = new ConcurrentHashMap<>();
        Map<String, Long> created = new ConcurrentHashMap<>();
        Map<String, Long> remoteCreated = new ConcurrentHashMap<>();
        Map<String, Long> remoteRunning = new ConcurrentHashMap<>();
        Map<String, String> trace = new ConcurrentHashMap<>();
        // Observed in the stores themselves: informers here would take their share of the same
        // 2 cores from the system measured, and time the informer's delivery besides.
        Observer observer = new Observer(ns, twin, bound, homeRunning, shadowCreated, shadowRunning, remoteCreated,
            remoteRunning, trace);
        observed.set(observer);
        long cpuBefore = cpuTicks(vk.pid());
        long restBefore = cpuTicks(ProcessHandle.current().pid());
        CompilerCpu jit = CompilerCpu.start(vk.pid(), ProcessHandle.current().pid());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        // the load generator reads no answers: its CPU is taken from the system it measures
        for (int i = 0; i < n; i++) {
          Pod pod = VirtualKubeletCrashIT.pod(node, "p-" + i);
          pod.getMetadata().setNamespace(ns);
          pool.execute(() -> {
            homeWrites.create(pod);
            created.put(pod.getMetadata().getName(), System.nanoTime());
          });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (homeRunning.size() < n && System.nanoTime() < deadline) Thread.sleep(50);
        long end = homeRunning.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
        double cpu = (cpuTicks(vk.pid()) - cpuBefore) / 100.0;
        double rest = (cpuTicks(ProcessHandle.current().pid()) - restBefore) / 100.0;
        double jitSeconds = jit.stop();
        observed.set(null);
        String traceDir = System.getProperty("bench.trace");
        if (traceDir != null) {
          Files.write(Path.of(traceDir, "trace-" + n + ".txt"), trace.values());
          Files.copy(dir.resolve("vk.log"), Path.of(traceDir, "vk-" + n + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<Long> hop1 = new ArrayList<>();
        List<Long> hop2 = new ArrayList<>();
        for (var e : shadowCreated.entrySet()) {
          Long b = bound.get(e.getKey());
          if (b != null) hop1.add(e.getValue() - b);
        }
        for (var e : homeRunning.entrySet()) {
          Long r = shadowRunning.get(e.getKey());
          if (r != null) hop2.add(Math.max(0, e.getValue() - r));
        }
        hop1.sort(null);
        hop2.sort(null);
        System.out.printf(Locale.ROOT, "%-10s %8.2f %12.1f %12.1f %12.1f %12.1f %10.0f %10.0f %9.1f %10.1f %9.1f%s%n", label,
            (end - start) / 1e9, BenchTable.percentile(hop1, 0.5), BenchTable.percentile(hop1, 0.99),
            BenchTable.percentile(hop2, 0.5), BenchTable.percentile(hop2, 0.99), heapMiB(metricsPort),
            rssKiB(vk.pid()) / 1024.0, cpu, rest, jitSeconds, homeRunning.size() < n ? "  (only " + homeRunning.size() + " Running)" : "");
        stages.add(String.format(Locale.ROOT, "%-10s %s %s %s %s %s %s", label, stage(created, start),
            stage(shadowCreated, start), stage(remoteCreated, start), stage(remoteRunning, start),
            stage(shadowRunning, start), stage(homeRunning, start)));
        if (Boolean.getBoolean("bench.nmt")) {
          System.out.println(nativeMemory(vk.pid()));
          jcmd(vk.pid(), "GC.run");
          System.out.printf(Locale.ROOT, "  heap after a full GC: %.0f MiB%n", heapMiB(metricsPort));
        }
        int histo = Integer.getInteger("bench.histo", 0);
        if (histo > 0) {
          String[] lines = jcmd(vk.pid(), "GC.class_histogram").split("\n");
          for (int i = 0; i < Math.min(lines.length, histo + 3); i++) System.out.println("  " + lines[i]);
        }
      }
      System.out.println();
      System.out.println("Where the time goes: seconds from the first create until half / all pods reached each step");
      System.out.printf(Locale.ROOT, "%-10s %13s %13s %13s %13s %13s %13s%n", "pods", "home created", "ShadowPod",
          "remote pod", "remote Run", "SP status Run", "home Running");
      stages.forEach(System.out::println);
      System.out.println();
      System.out.println("API requests of the whole run, " + total + " pods (apiserver_request_total)");
      for (Clusters.Member m : List.of(home, provider)) {
        for (String line : BenchTable.requestTotals(m.client())) {
          System.out.println("  " + m.identity().name() + " " + line.substring("apiserver_request_total".length()));
        }
      }
      System.out.println("bound→SP: home pod bound → its ShadowPod created; run→run: remote Running (ShadowPod "
          + "status) → home pod Running; heap after the burst (used, not collected), RSS of the process; "
          + "CPU s: the virtual kubelet's; rest CPU s: both sandbox clusters, the provider's agent and the load generator; "
          + "JIT s: of all that CPU, what the JIT compiler threads of both processes took");
    }
  }

  /**
   * Timestamps of one burst, taken by store listeners of both in-process clusters (they run under
   * the store's lock, in revision order, so they only look up a few fields).
   */
  record Observer(String ns, String twin, Map<String, Long> bound, Map<String, Long> homeRunning,
      Map<String, Long> shadowCreated, Map<String, Long> shadowRunning, Map<String, Long> remoteCreated,
      Map<String, Long> remoteRunning, Map<String, String> trace) {
    void home(ObjectStore.Change c) {
      if (c.current() == null || !isPod(c) || !ns.equals(Meta.namespace(c.current()))) return;
      long now = System.nanoTime();
      String name = Meta.name(c.current());
      if (bound.putIfAbsent(name, now) == null) trace.putIfAbsent(name, name + " bound=" + System.currentTimeMillis());
      if (phaseRunning(c.current().path("status"))) homeRunning.putIfAbsent(name, now);
    }

    void provider(ObjectStore.Change c) {
      if (c.current() == null || !twin.equals(Meta.namespace(c.current()))) return;
      long now = System.nanoTime();
      String name = Meta.name(c.current());
      if (isPod(c)) {
        remoteCreated.putIfAbsent(name, now);
        if (phaseRunning(c.current().path("status"))) remoteRunning.putIfAbsent(name, now);
      } else if (c.resource().plural().equals("shadowpods")) {
        if (shadowCreated.putIfAbsent(name, now) == null) {
          trace.merge(name, " sp=" + System.currentTimeMillis(), String::concat);
        }
        if (phaseRunning(c.current().path("status").path("pod"))) shadowRunning.putIfAbsent(name, now);
      }
    }

    private static boolean isPod(ObjectStore.Change c) {
      return c.resource().group().isEmpty() && c.resource().plural().equals("pods");
    }

    private static boolean phaseRunning(JsonNode status) {
      return "Running".equals(status.path("phase").asText());
    }
  }

  /**
   * The options the agent starts a virtual kubelet with, and the heap a 512 MiB container would
   * give it; {@code -Dbench.jfr=FILE} records a profile.
   */
  static List<String> jvmOptions() {
    List<String> options = new ArrayList<>(List.of("-Xmx384m"));
    options.addAll(LocalProcessLauncher.VK_JVM_OPTIONS);
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null) options.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
    if (System.getProperty("bench.trace") != null) options.add("-DPONTOON_TRACE_LEVEL=DEBUG");
    if (Boolean.getBoolean("bench.nmt")) options.add("-XX:NativeMemoryTracking=summary");
    options.addAll(BenchTable.jvmOptions("bench.vkopts"));
    return options;
  }

  /** The committed memory per area, as Native Memory Tracking reports it ({@code -Dbench.nmt=true}). */
  static String nativeMemory(long pid) throws Exception {
    String out = jcmd(pid, "VM.native_memory", "summary", "scale=MB");
    StringBuilder line = new StringBuilder("  NMT committed MB:");
    java.util.regex.Matcher total = java.util.regex.Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB")
        .matcher(out);
    if (total.find()) line.append(" Total=").append(total.group(1));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(?:-\\s+)?(\\w[\\w ]*?) \\(reserved=\\d+MB, committed=(\\d+)MB")
        .matcher(out);
    while (m.find()) if (!m.group(2).equals("0")) line.append(' ').append(m.group(1).trim()).append('=').append(m.group(2));
    return line.toString();
  }

  static String jcmd(long pid, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid)));
    cmd.addAll(List.of(command));
    Process jcmd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    jcmd.waitFor();
    return out;
  }

  /** "half / all" seconds after {@code start} at which the pods reached a step. */
  static String stage(Map<String, Long> reached, long start) {
    List<Long> t = new ArrayList<>(reached.values());
    t.sort(null);
    if (t.isEmpty()) return String.format(Locale.ROOT, "%13s", "-");
    return String.format(Locale.ROOT, "%6.1f /%5.1f", (t.get(t.size() / 2) - start) / 1e9, (t.get(t.size() - 1) - start) / 1e9);
  }

  static void awaitNode(Clusters.Member home, String node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (home.client().nodes().withName(node).get() == null && System.nanoTime() < deadline) Thread.sleep(100);
  }

  static long cpuTicks(long pid) throws java.io.IOException {
    return ticks(Path.of("/proc/" + pid + "/stat"));
  }

  /** utime + stime of a /proc stat file. */
  private static long ticks(Path statFile) throws java.io.IOException {
    String stat = Files.readString(statFile);
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * CPU of the JIT compiler threads of some processes over a burst. The JVM ends compiler threads
   * it no longer needs, so they are sampled every 100 ms and each counts with what it had used
   * when last seen. A thread's name is read once: the sampler runs in the JVM it measures.
   */
  static final class CompilerCpu {
    private final long[] pids;
    private final Map<String, Long> first = new ConcurrentHashMap<>();
    private final Map<String, Long> last = new ConcurrentHashMap<>();
    private final Map<String, Boolean> compiler = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor();

    private CompilerCpu(long... pids) {
      this.pids = pids;
    }

    static CompilerCpu start(long... pids) {
      CompilerCpu c = new CompilerCpu(pids);
      c.sample(true);
      c.sampler.scheduleAtFixedRate(() -> c.sample(false), 100, 100, TimeUnit.MILLISECONDS);
      return c;
    }

    /** Seconds used since {@link #start}, by threads alive then or started since. */
    double stop() throws InterruptedException {
      sampler.shutdown();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      sample(false);
      long ticks = 0;
      for (var e : last.entrySet()) ticks += e.getValue() - first.getOrDefault(e.getKey(), 0L);
      return ticks / 100.0;
    }

    private void sample(boolean initial) {
      for (long pid : pids) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
          for (Path task : tasks.toList()) {
            String key = pid + "/" + task.getFileName();
            try {
              if (!compiler.computeIfAbsent(key, k -> isCompiler(task))) continue;
              long t = ticks(task.resolve("stat"));
              if (initial) first.put(key, t);
              last.put(key, t);
            } catch (java.io.IOException gone) {
              // the thread ended while listed
            }
          }
        } catch (java.io.IOException gone) {
          // the process ended
        }
      }
    }

    private static boolean isCompiler(Path task) {
      try {
        return Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*");
      } catch (java.io.IOException gone) {
        return false;
      }
    }
  }

  static long rssKiB(long pid) throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return -1;
  }

  static double heapMiB(int port) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum / (1024 * 1024);
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
