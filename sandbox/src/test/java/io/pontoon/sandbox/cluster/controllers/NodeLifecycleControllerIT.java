package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.cluster.scheduler.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle controller with fast timings (grace 4 s, default tolerations 3 s), against
 * nodes whose Leases the test renews in the background, as kubelets would, or stops renewing.
 */
class NodeLifecycleControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String NS = "default";

  private SandboxCluster cluster;
  private KubernetesClient client;
  private ScheduledExecutorService kubelets;
  private final Set<String> alive = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(0).withTimings(ClusterSpec.Timings.fast()));
    client = cluster.client();
    kubelets = Executors.newSingleThreadScheduledExecutor();
    kubelets.scheduleWithFixedDelay(() -> alive.forEach(n -> {
      try {
        TestNodes.renewLease(client, n);
      } catch (RuntimeException e) {
        // the next renewal tries again, as a kubelet would
      }
    }), 0, 300, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    kubelets.shutdownNow();
    cluster.close();
  }

  @Test
  void silentNodeTurnsUnknownIsTaintedItsPodsAreEvictedAfterTheirTolerationThenRecovers() {
    startNode(TestNodes.Spec.of("silent"));
    startNode(TestNodes.Spec.of("healthy"));
    Pod defaults = runPod("default-tolerations", "silent", p -> p);
    runPod("tolerates-everything", "silent", p -> p.editSpec()
        .withTolerations(new TolerationBuilder().withOperator("Exists").build()).endSpec());
    runPod("tolerates-unreachable", "silent", p -> p.editSpec().withTolerations(new TolerationBuilder()
        .withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute").build()).endSpec());
    runPod("elsewhere", "healthy", p -> p);
    assertThat(defaults.getSpec().getTolerations()).anySatisfy(t -> {
      assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable");
      assertThat(t.getTolerationSeconds()).isEqualTo(3L);
    });

    alive.remove("silent");
    Node unknown = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
        .until(() -> node("silent"), n -> hasTaint(n, "node.kubernetes.io/unreachable", "NoExecute"));
    NodeCondition ready = condition(unknown, "Ready");
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    assertThat(hasTaint(unknown, "node.kubernetes.io/unreachable", "NoSchedule")).isTrue();
    Taint noExecute = taint(unknown, "node.kubernetes.io/unreachable", "NoExecute");
    assertThat(noExecute.getTimeAdded()).isNotNull();
    Instant tainted = Instant.parse(noExecute.getTimeAdded());

    await().atMost(DEADLINE).until(() -> podReady(pod("tolerates-everything")), "False"::equals);
    Pod evicted = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
        .until(() -> pod("default-tolerations"), p -> p == null || p.getMetadata().getDeletionTimestamp() != null);
    // tolerationSeconds (3 s) counted from the taint's timeAdded (second precision)
    assertThat(Duration.between(tainted, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    if (evicted != null) {
      assertThat(evicted.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("DisruptionTarget");
        assertThat(c.getReason()).isEqualTo("DeletionByTaintManager");
      });
    }
    assertThat(pod("tolerates-everything").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(pod("tolerates-unreachable").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(pod("elsewhere").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(node("healthy").getSpec().getTaints()).isNullOrEmpty();
    assertThat(condition(node("healthy"), "Ready").getStatus()).isEqualTo("True");

    // the kubelet comes back: renews its lease and posts Ready
    alive.add("silent");
    TestNodes.postReady(client, "silent", "True");
    Node recovered = await().atMost(DEADLINE).until(() -> node("silent"), n -> n.getSpec().getTaints() == null
        || n.getSpec().getTaints().isEmpty());
    assertThat(condition(recovered, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void notReadyNodeGetsNotReadyTaintsUntilReadyAgain() {
    startNode(TestNodes.Spec.of("sick").ready("False"));
    Node sick = await().atMost(DEADLINE).until(() -> node("sick"),
        n -> hasTaint(n, "node.kubernetes.io/not-ready", "NoExecute") && hasTaint(n, "node.kubernetes.io/not-ready",
            "NoSchedule"));
    assertThat(hasTaint(sick, "node.kubernetes.io/unreachable", "NoExecute")).isFalse();
    TestNodes.postReady(client, "sick", "True");
    await().atMost(DEADLINE).until(() -> node("sick"), n -> n.getSpec().getTaints() == null
        || n.getSpec().getTaints().isEmpty());
  }

  @Test
  void cordonedNodeGetsTheUnschedulableTaintAndKeepsOtherTaints() {
    startNode(TestNodes.Spec.of("cordoned").cordoned().taint("team", "a", "NoSchedule"));
    Node n = await().atMost(DEADLINE).until(() -> node("cordoned"),
        x -> hasTaint(x, "node.kubernetes.io/unschedulable", "NoSchedule"));
    assertThat(hasTaint(n, "team", "NoSchedule")).isTrue();
  }

  @Test
  void noExecuteTaintEvictsIntolerantPodsAtOnceAndKeepsTolerantOnes() {
    startNode(TestNodes.Spec.of("maint"));
    runPod("intolerant", "maint", p -> p);
    runPod("tolerant", "maint", p -> p.editSpec().addToTolerations(new TolerationBuilder().withKey("maintenance")
        .withOperator("Equal").withValue("true").withEffect("NoExecute").build()).endSpec());
    runPod("tolerant-for-a-while", "maint", p -> p.editSpec().addToTolerations(new TolerationBuilder()
        .withKey("maintenance").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(1L).build())
        .endSpec());
    Node n = client.nodes().withName("maint").get();
    List<Taint> taints = new ArrayList<>();
    taints.add(new TaintBuilder().withKey("maintenance").withValue("true").withEffect("NoExecute")
        .withTimeAdded(Instant.now().toString()).build());
    n.getSpec().setTaints(taints);
    client.nodes().resource(n).update();

    await().atMost(DEADLINE).until(() -> deleting(pod("intolerant")));
    await().atMost(DEADLINE).until(() -> deleting(pod("tolerant-for-a-while")));
    assertThat(deleting(pod("tolerant"))).isFalse();
  }

  // ---- helpers

  private void startNode(TestNodes.Spec spec) {
    TestNodes.renewLease(client, spec.name());
    TestNodes.create(client, spec);
    alive.add(spec.name());
  }

  /** A pod bound to the node and running Ready, as its kubelet would report it. */
  private Pod runPod(String name, String node, UnaryOperator<PodBuilder> customize) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
        .endSpec();
    Pod pod = client.pods().inNamespace(NS).resource(customize.apply(b).build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
            .withLastTransitionTime(Instant.now().toString()).build()).build());
    return client.pods().inNamespace(NS).resource(pod).updateStatus();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private static boolean deleting(Pod p) {
    return p == null || p.getMetadata().getDeletionTimestamp() != null;
  }

  private static String podReady(Pod p) {
    return p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
        .map(c -> c.getStatus()).orElse(null);
  }

  private Node node(String name) {
    return client.nodes().withName(name).get();
  }

  private static NodeCondition condition(Node n, String type) {
    return n.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static boolean hasTaint(Node n, String key, String effect) {
    return taint(n, key, effect) != null;
  }

  private static Taint taint(Node n, String key, String effect) {
    if (n.getSpec().getTaints() == null) return null;
    return n.getSpec().getTaints().stream().filter(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()))
        .findFirst().orElse(null);
  }
}
