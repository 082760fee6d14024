package io.pontoon.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.client.ProcessDefaults;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.foreigncluster.ClassDataArchive;
import io.pontoon.peering.foreigncluster.LocalProcessLauncher;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import io.pontoon.peering.offloading.OffloadingComponent;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer → VirtualNodeReady with the real virtual kubelet: two sandbox clusters, two in-process
 * agents, cluster-1's agent launching {@code pontoon virtual-kubelet} as a child process exactly as
 * in {@code sandbox up}. Each round peers with a fresh token, waits for VirtualNodeReady, then
 * unpeers; the table splits the time into its legs (handshake, launch, JVM start-up to node
 * registration, node Ready, condition). The virtual kubelet runs from Pontoon's jar when it is
 * built; round 1 records its classes and the later rounds map the class data archive.
 *
 * <p>{@code ./mvnw -B -o -pl test-e2e -am verify -Pbench -Dtest=PeerToReadyBenchmark}
 * ({@code -Dbench.rounds=N}, default 8).
 */
@Tag("bench")
class PeerToReadyBenchmark {
  @TempDir Path dir;

  @Test
  void peerToVirtualNodeReady() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 8);
    String node = PontoonNames.virtualNodeName("cluster-2");
    // The agents run in this JVM; `pontoon agent` sets this in its main, so measure with it.
    ProcessDefaults.apply();
    // Default timings, as `sandbox up`: the virtual kubelet (a real process with its own defaults)
    // renews its Lease every 10 s, which the fast test timings (4 s grace) would call a dead node.
    try (SandboxCluster c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1));
        SandboxCluster c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(1)
            .withTimings(ClusterSpec.Timings.fast()))) {
      Path kubeconfig = c1.writeAdminKubeconfig(Files.createDirectories(dir.resolve("cluster-1")).resolve("kubeconfig"));
      Path logs = Files.createDirectories(Path.of("target", "peer-to-ready-vk-logs"));
      try (var old = Files.list(logs)) {
        for (Path p : old.toList()) Files.delete(p);
      }
      // As `./pontoon` runs it: from Pontoon's jar, with a class data archive recorded in round 1
      // (a fresh directory, so round 1 is the first launch on a new install).
      Path jar = Path.of("..", "cli", "target", "pontoon.jar").toAbsolutePath().normalize();
      String classPath = Files.exists(jar) ? jar.toString() : System.getProperty("java.class.path");
      Path cds = Path.of("target", "peer-to-ready-cds").toAbsolutePath();
      deleteRecursively(cds);
      ClassDataArchive archive = ClassDataArchive.of(cds, classPath, LocalProcessLauncher.CLASS_RECORDING);
      System.out.println("virtual kubelet classpath " + classPath + "; class data archive: "
          + archive.disabledBecause().map(why -> "none, " + why).orElse(archive.archive().toString()));
      LocalProcessLauncher launcher = new LocalProcessLauncher(LocalProcessLauncher.virtualKubeletCommand(kubeconfig,
          classPath, archive), logs, Duration.ofSeconds(1));
      try (Agent a1 = new Agent(AgentConfig.local("cluster-1").withCidrs("10.244.0.0/16", "10.96.0.0/12")
              .withHomeKubeconfig(kubeconfig).withVkLogDir(logs), c1.client()).withLauncher(launcher)
              .withComponent(new OffloadingComponent(new OffloadingComponent.Webhook(0, null)));
          Agent a2 = new Agent(AgentConfig.local("cluster-2").withCidrs("10.244.0.0/16", "10.96.0.0/12"), c2.client())
              .withLauncher(VirtualKubeletLauncher.none())
              .withComponent(new OffloadingComponent(new OffloadingComponent.Webhook(0, null)))) {
        a1.start();
        a2.start();
        // Namespace "bench" offloaded (Remote) before any peering: each round's pod goes to the new
        // virtual node as soon as it is Ready, through the webhook, the scheduler and a ShadowPod.
        c1.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata()
            .build()).create();
        NamespaceOffloading offloading = new NamespaceOffloading();
        offloading.getMetadata().setName(PontoonNames.NAMESPACE_OFFLOADING_NAME);
        offloading.getMetadata().setNamespace("bench");
        offloading.getSpec().setPodOffloadingStrategy(PodOffloadingStrategy.Remote);
        c1.client().resource(offloading).create();
        // Node events as the agent sees them, stamped on arrival (no polling delay in the numbers).
        AtomicLong nodeAdded = new AtomicLong();
        AtomicLong nodeReady = new AtomicLong();
        SharedIndexInformer<Node> nodes = c1.client().nodes().withName(node).inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node n) {
            nodeAdded.compareAndSet(0, System.nanoTime());
            if (ready(n)) nodeReady.compareAndSet(0, System.nanoTime());
          }

          @Override
          public void onUpdate(Node o, Node n) {
            onAdd(n);
          }

          @Override
          public void onDelete(Node n, boolean unknown) {}
        }, 0);
        try {
          Map<String, List<Long>> legs = new LinkedHashMap<>();
          for (String leg : List.of("peer request -> Authenticated", "Authenticated -> VK process started",
              "VK process started -> node registered", "node registered -> node Ready",
              "node Ready -> VirtualNodeReady", "peer request -> VirtualNodeReady",
              "VirtualNodeReady -> pod created, Running", "peer request -> first offloaded pod Running",
              "unpeer -> FC and node gone", "unpeer -> provider's tenant gone")) {
            legs.put(leg, new ArrayList<>());
          }
          for (int i = 0; i < rounds; i++) {
            nodeAdded.set(0);
            nodeReady.set(0);
            String token = new TokenStore(c2.client()).create(Duration.ofMinutes(5), true).secret();
            long t0 = System.nanoTime();
            PeeringRequests.request(c1.client(), a2.identity().id(), "cluster-2", a2.peeringUrl(), a2.fingerprint(), token);
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
                .until(() -> isTrue(c1.client(), ConditionTypes.AUTHENTICATED));
            long tAuth = System.nanoTime();
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
                .until(() -> isTrue(c1.client(), ConditionTypes.VIRTUAL_NODE_READY));
            long tCond = System.nanoTime();
            long tProc = processStart(launcher.pid("cluster-2"));
            System.out.println("round " + i + " vk log (ms after process start): " + vkLog(logs.resolve("vk-cluster-2.log"),
                tProc, tCond, List.of("event=starting", "kubelet-endpoint-listening",
                    "event=node-registered", "event=started", "kubelet-certificate-issued")));
            legs.get("peer request -> Authenticated").add(tAuth - t0);
            legs.get("Authenticated -> VK process started").add(tProc - tAuth);
            legs.get("VK process started -> node registered").add(nodeAdded.get() - tProc);
            legs.get("node registered -> node Ready").add(nodeReady.get() - nodeAdded.get());
            legs.get("node Ready -> VirtualNodeReady").add(tCond - nodeReady.get());
            legs.get("peer request -> VirtualNodeReady").add(tCond - t0);
            // The first offloaded pod: created once the node is Ready, Running at home once it runs there.
            String pod = "first-" + i;
            c1.client().pods().inNamespace("bench").resource(new PodBuilder().withNewMetadata().withName(pod)
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build()).create();
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60)).until(() -> {
              Pod p = c1.client().pods().inNamespace("bench").withName(pod).get();
              return p != null && node.equals(p.getSpec().getNodeName()) && p.getStatus() != null
                  && "Running".equals(p.getStatus().getPhase());
            });
            long tPod = System.nanoTime();
            legs.get("VirtualNodeReady -> pod created, Running").add(tPod - tCond);
            legs.get("peer request -> first offloaded pod Running").add(tPod - t0);
            System.out.printf(Locale.ROOT, "round %d: peer -> VirtualNodeReady %d ms, -> first offloaded pod Running %d ms%n",
                i, (tCond - t0) / 1_000_000, (tPod - t0) / 1_000_000);
            c1.client().pods().inNamespace("bench").withName(pod).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> c1.client().pods().inNamespace("bench").withName(pod).get() == null);
            long t1 = System.nanoTime();
            c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
                .until(() -> c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null
                    && c1.client().nodes().withName(node).get() == null
                    && !launcher.running("cluster-2"));
            legs.get("unpeer -> FC and node gone").add(System.nanoTime() - t1);
            // Each round is a first peering: the provider has finished removing the last one's tenant.
            await().atMost(Duration.ofSeconds(60)).until(() -> c2.client().namespaces()
                .withName(PontoonNames.tenantNamespace("cluster-1")).get() == null);
            legs.get("unpeer -> provider's tenant gone").add(System.nanoTime() - t1);
            Files.move(logs.resolve("vk-cluster-2.log"), logs.resolve("vk-cluster-2-round" + i + ".log"));
            if (i == 0 && archive.disabledBecause().isEmpty()) {
              long w = System.nanoTime();
              await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(archive.archive()));
              System.out.printf(Locale.ROOT, "class data archive written %d ms after round 1 (%d MiB)%n",
                  (System.nanoTime() - w) / 1_000_000, Files.size(archive.archive()) >> 20);
            }
          }
          System.out.println();
          System.out.printf(Locale.ROOT, "PeerToReadyBenchmark: real virtual kubelet, %d rounds, %d cores (ms)%n", rounds,
              Runtime.getRuntime().availableProcessors());
          System.out.printf(Locale.ROOT, "%-42s %8s %8s %8s %8s%n", "leg", "first", "median", "p90", "max");
          legs.forEach(PeerToReadyBenchmark::row);
        } finally {
          nodes.close();
        }
      }
    }
  }

  private static void deleteRecursively(Path p) throws java.io.IOException {
    if (!Files.exists(p)) return;
    try (var all = Files.walk(p)) {
      for (Path f : all.sorted(Collections.reverseOrder()).toList()) Files.delete(f);
    }
  }

  private static boolean ready(Node n) {
    return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean isTrue(KubernetesClient c, String type) {
    ForeignCluster fc = c.resources(ForeignCluster.class).withName("cluster-2").get();
    return fc != null && fc.getStatus() != null && fc.getStatus().getConditions() != null
        && Conditions.isTrue(fc.getStatus().getConditions(), type);
  }

  /**
   * The child's start as a System.nanoTime() value, from /proc (clock ticks since boot, 10 ms);
   * ProcessHandle's startInstant rounds the boot time to seconds, too coarse here.
   */
  private static long processStart(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    double startedSecs = Long.parseLong(f[19]) / 100.0;
    long now = System.nanoTime();
    double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    return now - (long) ((uptime - startedSecs) * 1e9);
  }

  /** Milliseconds from the child's start to the first line with each marker of its log. */
  private static Map<String, Long> vkLog(Path log, long startNanos, long nowNanos, List<String> markers) throws java.io.IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    long wallNowMs = System.currentTimeMillis() - (System.nanoTime() - nowNanos) / 1_000_000;
    long startWallMs = wallNowMs - (nowNanos - startNanos) / 1_000_000;
    for (String line : Files.readAllLines(log)) {
      if (!line.startsWith("ts=")) continue;
      long ts = java.time.Instant.parse(line.substring(3, line.indexOf(' '))).toEpochMilli();
      out.putIfAbsent("first log line", ts - startWallMs);
      for (String m : markers) if (line.contains(m)) out.putIfAbsent(m, ts - startWallMs);
    }
    return out;
  }

  private static void row(String name, List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    long first = s.get(0);
    Collections.sort(s);
    System.out.printf(Locale.ROOT, "%-42s %8d %8d %8d %8d%n", name, first / 1_000_000, s.get(s.size() / 2) / 1_000_000,
        s.get((int) Math.ceil(s.size() * 0.9) - 1) / 1_000_000, s.get(s.size() - 1) / 1_000_000);
  }
}
