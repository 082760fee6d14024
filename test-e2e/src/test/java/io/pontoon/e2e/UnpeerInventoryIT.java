package io.pontoon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.offloading.OffloadingComponent;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpeer returns both clusters to their state before peering, compared object by object over
 * every kind the API servers serve ({@link Inventory}): two sandbox clusters, each with an
 * in-process agent (offloading controllers and webhook included) and cluster-1's agent running the
 * real virtual kubelet as a child process; the user peers, offloads a namespace, runs a
 * Deployment there on cluster-2, removes it, unoffloads and unpeers, all with the {@code pontoon}
 * and {@code kubectl} commands. A second scenario unpeers after cluster-2 is gone.
 */
class UnpeerInventoryIT {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final String NODE = PontoonNames.virtualNodeName("cluster-2");

  /**
   * What a user accepts to find changed after peering and unpeering, and why. Everything else
   * must be exactly as before: same objects, same labels, annotations and finalizers.
   */
  static final List<Inventory.Allowed> ALLOWED = List.of(
      // Events are history, not state: the API server expires them (1 h by default), and unpeer
      // deliberately records one (reason Unpeered) saying how it ended.
      new Inventory.Allowed("events are history and expire", k -> k.startsWith("core/Event ")
          || k.startsWith("events.k8s.io/Event ")),
      // A token is the provider admin's object, not the peering's: 'pontoon peer
      // --remote-kubeconfig' makes a single-use one on the provider, the handshake marks it used,
      // 'pontoon token list' shows it and it expires with its TTL; unpeer does not touch the
      // admin's tokens (a multi-use token may serve other consumers).
      new Inventory.Allowed("peering tokens are the admin's and expire", k -> k.startsWith("core/Secret "
          + PontoonNames.SYSTEM_NAMESPACE + "/pontoon-token-")));

  @TempDir Path dir;

  /** A sandbox cluster with an admin kubeconfig file and an in-process agent as `pontoon agent` runs it. */
  record Side(SandboxCluster cluster, Path kubeconfig, Agent agent, Kubectl kubectl) implements AutoCloseable {
    @Override
    public void close() {
      agent.close();
      cluster.close();
    }
  }

  private Side side(String name) throws Exception {
    SandboxCluster c = SandboxCluster.start(ClusterSpec.defaults(name).withNodes(2).withTimings(ClusterSpec.Timings.fast()));
    Path kubeconfig = c.writeAdminKubeconfig(Files.createDirectories(dir.resolve(name)).resolve("kubeconfig"));
    Agent agent = new Agent(AgentConfig.local(name).withCidrs("10.244.0.0/16", "10.96.0.0/12")
        .withHomeKubeconfig(kubeconfig).withVkLogDir(dir.resolve(name)), c.client())
        .withComponent(new OffloadingComponent(new OffloadingComponent.Webhook(0, null)));
    agent.start();
    return new Side(c, kubeconfig, agent, new Kubectl(kubeconfig));
  }

  private static void pontoon(Side side, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--kubeconfig";
    all[1] = side.kubeconfig().toString();
    System.arraycopy(args, 0, all, 2, args.length);
    PontoonCli.Result r = PontoonCli.run(all);
    assertThat(r.exitCode()).as("pontoon %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
  }

  private static List<Pod> pods(Side side, String namespace) {
    return side.cluster().client().pods().inNamespace(namespace).list().getItems();
  }

  private static boolean running(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
  }

  /** Peer, offload "shop" (Remote), 3 replicas Running on cluster-2 through the virtual node. */
  private static void peerOffloadAndRun(Side c1, Side c2) {
    pontoon(c1, "peer", "--remote-kubeconfig", c2.kubeconfig().toString(), "--wait", "--timeout", "120s");
    pontoon(c1, "offload", "namespace", "shop", "--strategy", "Remote", "--wait", "--timeout", "60s");
    c1.kubectl().ok("-n", "shop", "create", "deployment", "web", "--image=nginx", "--replicas=3");
    String twin = PontoonNames.defaultTwinNamespace("shop", "cluster-1");
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(pods(c1, "shop")).hasSize(3).allMatch(p -> NODE.equals(p.getSpec().getNodeName()))
          .allMatch(UnpeerInventoryIT::running);
      assertThat(pods(c2, twin)).hasSize(3).allMatch(UnpeerInventoryIT::running);
    });
  }

  @Test
  void peerOffloadRunUnoffloadUnpeerLeavesBothClustersAsBefore() throws Exception {
    try (Side c1 = side("cluster-1"); Side c2 = side("cluster-2")) {
      // The user's namespace exists before; the agents have started (identity, CRDs, webhook).
      c1.kubectl().ok("create", "namespace", "shop");
      Inventory before1 = Inventory.of(c1.kubectl());
      Inventory before2 = Inventory.of(c2.kubectl());

      peerOffloadAndRun(c1, c2);
      String twin = PontoonNames.defaultTwinNamespace("shop", "cluster-1");
      // While peered, both sides differ (the check below is not vacuous).
      assertThat(Inventory.of(c1.kubectl()).differencesFrom(before1, ALLOWED)).isNotEmpty();
      assertThat(Inventory.of(c2.kubectl()).differencesFrom(before2, ALLOWED)).isNotEmpty();

      c1.kubectl().ok("-n", "shop", "delete", "deployment", "web");
      await().atMost(DEADLINE).until(() -> pods(c1, "shop").isEmpty() && pods(c2, twin).isEmpty());
      pontoon(c1, "unoffload", "namespace", "shop", "--wait", "--timeout", "60s");
      pontoon(c1, "unpeer", "cluster-2", "--timeout", "60s");

      assertThat(c1.agent().launcher().running("cluster-2")).as("virtual kubelet stopped").isFalse();
      await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(Inventory.of(c1.kubectl()).differencesFrom(before1, ALLOWED)).as("cluster-1 after unpeer").isEmpty();
        assertThat(Inventory.of(c2.kubectl()).differencesFrom(before2, ALLOWED)).as("cluster-2 after unpeer").isEmpty();
      });
    }
  }

  @Test
  void unpeerWithTheProviderGoneLeavesTheConsumerCleanAndNothingStuck() throws Exception {
    try (Side c1 = side("cluster-1")) {
      c1.kubectl().ok("create", "namespace", "shop");
      Inventory before = Inventory.of(c1.kubectl());
      Side c2 = side("cluster-2");
      try {
        peerOffloadAndRun(c1, c2);
      } finally {
        // cluster-2 disappears: its agent and its API server stop without a word.
        c2.close();
      }
      pontoon(c1, "unpeer", "cluster-2", "--timeout", "60s");
      assertThat(c1.cluster().client().resources(ForeignCluster.class).withName("cluster-2").get()).isNull();
      assertThat(c1.agent().launcher().running("cluster-2")).as("virtual kubelet stopped").isFalse();
      // The user tidies up as after any unpeer: neither step may hang on the missing provider.
      pontoon(c1, "unoffload", "namespace", "shop", "--wait", "--timeout", "60s");
      c1.kubectl().ok("-n", "shop", "delete", "deployment", "web", "--wait=false");
      await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        Inventory after = Inventory.of(c1.kubectl());
        assertThat(after.withPontoonFinalizers()).as("objects held by a Pontoon finalizer").isEmpty();
        assertThat(after.differencesFrom(before, ALLOWED)).as("cluster-1 after unpeer").isEmpty();
      });
      assertThat(c1.cluster().client().resources(ShadowPod.class).inAnyNamespace().list().getItems()).isEmpty();
    }
  }
}
