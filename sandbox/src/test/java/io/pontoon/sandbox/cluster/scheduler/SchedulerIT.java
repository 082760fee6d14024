package io.pontoon.sandbox.cluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against a sandbox cluster, with nodes the test writes itself. */
class SchedulerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final String NS = "default";

  private SandboxCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(0).withTimings(ClusterSpec.Timings.fast()));
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void taintedAndCordonedNodesGetNoPodsButTolerantPodsLandThere() {
    TestNodes.create(client, TestNodes.Spec.of("gpu").taint("dedicated", "gpu", "NoSchedule"));
    TestNodes.create(client, TestNodes.Spec.of("cordoned").cordoned());
    TestNodes.create(client, TestNodes.Spec.of("plain"));
    for (int i = 0; i < 6; i++) create("plain-" + i, p -> p);
    create("tolerant", p -> p.editSpec().withTolerations(toleration("dedicated", "Equal", "gpu", "NoSchedule"))
        .withNodeSelector(Map.of("kubernetes.io/hostname", "gpu")).endSpec());
    create("cordon-tolerant", p -> p.editSpec()
        .withTolerations(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule"))
        .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchFields(new NodeSelectorRequirementBuilder()
            .withKey("metadata.name").withOperator("In").withValues("cordoned").build()).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec());

    for (int i = 0; i < 6; i++) assertThat(awaitBound("plain-" + i)).isEqualTo("plain");
    assertThat(awaitBound("tolerant")).isEqualTo("gpu");
    assertThat(awaitBound("cordon-tolerant")).isEqualTo("cordoned");
  }

  @Test
  void nodeSelectorAndRequiredAffinityOperators() {
    TestNodes.create(client, TestNodes.Spec.of("n1").label("zone", "a").label("gen", "1"));
    TestNodes.create(client, TestNodes.Spec.of("n2").label("zone", "b").label("gen", "2").label("ssd", "true"));
    TestNodes.create(client, TestNodes.Spec.of("n3").label("zone", "c").label("gen", "3"));
    create("selector", p -> p.editSpec().withNodeSelector(Map.of("zone", "b")).endSpec());
    create("not-in", p -> affinity(p, List.of(expr("zone", "NotIn", "a", "b"))));
    create("gt-lt", p -> affinity(p, List.of(expr("gen", "Gt", "1"), expr("gen", "Lt", "3"))));
    create("exists", p -> affinity(p, List.of(expr("ssd", "Exists"))));
    create("does-not-exist", p -> affinity(p, List.of(expr("ssd", "DoesNotExist"), expr("zone", "In", "a", "b"))));
    // two terms are OR'ed: the first matches nothing, the second only n3
    create("or-terms", p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(
            new NodeSelectorTermBuilder().withMatchExpressions(expr("zone", "In", "nowhere")).build(),
            new NodeSelectorTermBuilder().withMatchExpressions(expr("gen", "In", "3")).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec());
    create("no-match", p -> p.editSpec().withNodeSelector(Map.of("zone", "z")).endSpec());

    assertThat(awaitBound("selector")).isEqualTo("n2");
    assertThat(awaitBound("not-in")).isEqualTo("n3");
    assertThat(awaitBound("gt-lt")).isEqualTo("n2");
    assertThat(awaitBound("exists")).isEqualTo("n2");
    assertThat(awaitBound("does-not-exist")).isEqualTo("n1");
    assertThat(awaitBound("or-terms")).isEqualTo("n3");
    assertThat(awaitUnschedulable("no-match").getMessage()).isEqualTo(
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
            + "available: 3 Preemption is not helpful for scheduling.");
  }

  @Test
  void resourceRequestsAndPodCountAreHonoured() {
    TestNodes.create(client, TestNodes.Spec.of("small").allocatable("cpu", "2").allocatable("memory", "4Gi")
        .allocatable("pods", "3").allocatable("example.com/gpu", "1"));
    create("big", p -> requests(p, "1500m", "1Gi"));
    assertThat(awaitBound("big")).isEqualTo("small");
    create("too-big", p -> requests(p, "1", "1Gi"));
    assertThat(awaitUnschedulable("too-big").getMessage()).startsWith("0/1 nodes are available: 1 Insufficient cpu.");

    create("gpu-1", p -> extended(p, "example.com/gpu", "1"));
    assertThat(awaitBound("gpu-1")).isEqualTo("small");
    create("gpu-2", p -> extended(p, "example.com/gpu", "1"));
    assertThat(awaitUnschedulable("gpu-2").getMessage()).contains("1 Insufficient example.com/gpu");

    // three pods are bound (big, gpu-1 and the freed slot below): the pod count is the limit now
    client.pods().inNamespace(NS).withName("big").withGracePeriod(0).delete();
    assertThat(awaitBound("too-big")).isEqualTo("small");
    create("tiny", p -> p);
    assertThat(awaitBound("tiny")).isEqualTo("small");
    create("one-too-many", p -> p);
    assertThat(awaitUnschedulable("one-too-many").getMessage()).contains("Too many pods");
  }

  @Test
  void unschedulablePodReportsWhyWithConditionAndEventThenIsScheduledWhenANodeFits() {
    TestNodes.create(client, TestNodes.Spec.of("tainted").taint("dedicated", "gpu", "NoSchedule"));
    TestNodes.create(client, TestNodes.Spec.of("a").allocatable("cpu", "1"));
    TestNodes.create(client, TestNodes.Spec.of("b").allocatable("cpu", "1"));
    create("greedy", p -> requests(p, "2", "1Gi"));

    PodCondition c = awaitUnschedulable("greedy");
    String message = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient "
        + "cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption "
        + "victims found for incoming pod.";
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(c.getMessage()).isEqualTo(message);
    Event failed = awaitEvent("greedy", "FailedScheduling");
    assertThat(failed.getType()).isEqualTo("Warning");
    assertThat(failed.getMessage()).isEqualTo(message);
    assertThat(failed.getSource().getComponent()).isEqualTo("default-scheduler");
    assertThat(failed.getInvolvedObject().getKind()).isEqualTo("Pod");
    assertThat(failed.getInvolvedObject().getUid()).isEqualTo(pod("greedy").getMetadata().getUid());

    TestNodes.create(client, TestNodes.Spec.of("large").allocatable("cpu", "4"));
    assertThat(awaitBound("greedy")).isEqualTo("large");
    Event scheduled = awaitEvent("greedy", "Scheduled");
    assertThat(scheduled.getType()).isEqualTo("Normal");
    assertThat(scheduled.getMessage()).isEqualTo("Successfully assigned default/greedy to large");
    assertThat(pod("greedy").getStatus().getConditions()).filteredOn(x -> x.getType().equals("PodScheduled"))
        .singleElement().satisfies(x -> assertThat(x.getStatus()).isEqualTo("True"));
  }

  @Test
  void notReadyNodesAndTheVirtualNodeTaintKeepPlainPodsAway() {
    TestNodes.create(client, TestNodes.Spec.of("not-ready").ready("False"));
    TestNodes.create(client, TestNodes.Spec.of("pontoon-remote").label("type", "virtual-kubelet")
        .taint("virtual-node.pontoon.io/not-allowed", "true", "NoExecute"));
    create("plain", p -> p);
    assertThat(awaitUnschedulable("plain").getMessage()).isEqualTo("0/2 nodes are available: 1 node(s) had "
        + "untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint "
        + "{virtual-node.pontoon.io/not-allowed: true}. preemption: 0/2 nodes are available: 2 Preemption is not "
        + "helpful for scheduling.");
    create("offloaded", p -> p.editSpec()
        .withTolerations(toleration("virtual-node.pontoon.io/not-allowed", "Exists", null, "NoExecute")).endSpec());
    assertThat(awaitBound("offloaded")).isEqualTo("pontoon-remote");

    TestNodes.postReady(client, "not-ready", "True");
    assertThat(awaitBound("plain")).isEqualTo("not-ready");
  }

  @Test
  void leastAllocatedSpreadsAndPreferNoScheduleIsAvoided() {
    for (int i = 1; i <= 4; i++) TestNodes.create(client, TestNodes.Spec.of("n" + i));
    TestNodes.create(client, TestNodes.Spec.of("preferably-not").taint("spare", "", "PreferNoSchedule"));
    for (int i = 0; i < 40; i++) create("p" + i, p -> requests(p, "100m", "128Mi"));
    for (int i = 0; i < 40; i++) awaitBound("p" + i);
    Map<String, Long> perNode = client.pods().inNamespace(NS).list().getItems().stream()
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting()));
    assertThat(perNode).doesNotContainKey("preferably-not");
    assertThat(perNode.values()).hasSize(4).allSatisfy(n -> assertThat(n).isBetween(9L, 11L));
  }

  // ---- helpers

  private void create(String name, UnaryOperator<PodBuilder> customize) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec();
    client.pods().inNamespace(NS).resource(customize.apply(b).build()).create();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private String awaitBound(String name) {
    return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> pod(name).getSpec().getNodeName(), n -> n != null && !n.isEmpty());
  }

  private PodCondition awaitUnschedulable(String name) {
    return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> podScheduled(pod(name)),
        c -> c != null && "Unschedulable".equals(c.getReason()));
  }

  private static PodCondition podScheduled(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) return null;
    return p.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst()
        .orElse(null);
  }

  private Event awaitEvent(String pod, String reason) {
    return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).findFirst()
        .orElse(null), e -> e != null);
  }

  private static Toleration toleration(String key, String op, String value, String effect) {
    return new TolerationBuilder().withKey(key).withOperator(op).withValue(value).withEffect(effect).build();
  }

  private static io.fabric8.kubernetes.api.model.NodeSelectorRequirement expr(String key, String op,
      String... values) {
    return new NodeSelectorRequirementBuilder().withKey(key).withOperator(op).withValues(values).build();
  }

  private static PodBuilder affinity(PodBuilder p, List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> r) {
    return p.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchExpressions(r).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec();
  }

  private static PodBuilder requests(PodBuilder p, String cpu, String memory) {
    return p.editSpec().editFirstContainer().withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources()
        .endContainer().endSpec();
  }

  private static PodBuilder extended(PodBuilder p, String resource, String amount) {
    return p.editSpec().editFirstContainer().withNewResources()
        .withRequests(Map.of(resource, new Quantity(amount))).withLimits(Map.of(resource, new Quantity(amount)))
        .endResources().endContainer().endSpec();
  }
}
