package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static Node node(String ready, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2029-12-31T00:00:00Z")
        .endMetadata().withNewSpec().withTaints(taints).endSpec().withNewStatus()
        .addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
        .withLastHeartbeatTime("2029-12-31T23:59:00Z").endCondition()
        .addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition()
        .endStatus().build();
  }

  private static Taint taint(String key, String effect, String added) {
    return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(added).build();
  }

  @Test
  void unreachableTaintsFollowReadyUnknownAndKeepTheirTimeAdded() {
    Taint user = taint("team", "NoSchedule", null);
    List<Taint> t = NodeLifecycleController.desiredTaints(node("Unknown", user), NOW);
    assertThat(t).extracting(Taint::getKey, Taint::getEffect, Taint::getTimeAdded).containsExactly(
        org.assertj.core.groups.Tuple.tuple("team", "NoSchedule", null),
        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoSchedule", null),
        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoExecute", "2030-01-01T00:00:00Z"));
    Taint earlier = taint("node.kubernetes.io/unreachable", "NoExecute", "2029-01-01T00:00:00Z");
    assertThat(NodeLifecycleController.desiredTaints(node("Unknown", earlier), NOW))
        .filteredOn(x -> x.getEffect().equals("NoExecute")).singleElement()
        .satisfies(x -> assertThat(x.getTimeAdded()).isEqualTo("2029-01-01T00:00:00Z"));
  }

  @Test
  void notReadySwapsForUnreachableAndHealthyRemovesBoth() {
    Taint unreachable = taint("node.kubernetes.io/unreachable", "NoExecute", "2029-01-01T00:00:00Z");
    assertThat(NodeLifecycleController.desiredTaints(node("False", unreachable), NOW))
        .extracting(Taint::getKey).containsOnly("node.kubernetes.io/not-ready");
    Taint user = taint("team", "NoExecute", null);
    assertThat(NodeLifecycleController.desiredTaints(node("True", unreachable, user), NOW)).containsExactly(user);
  }

  @Test
  void kubeletConditionsTurnUnknownButNetworkUnavailableStays() {
    List<NodeCondition> c = NodeLifecycleController.unknownConditions(node("True"), NOW).orElseThrow();
    assertThat(c).filteredOn(x -> x.getType().equals("Ready")).singleElement().satisfies(x -> {
      assertThat(x.getStatus()).isEqualTo("Unknown");
      assertThat(x.getReason()).isEqualTo("NodeStatusUnknown");
      assertThat(x.getMessage()).isEqualTo("Kubelet stopped posting node status.");
      assertThat(x.getLastHeartbeatTime()).isEqualTo("2029-12-31T23:59:00Z");
    });
    assertThat(c).filteredOn(x -> x.getType().equals("MemoryPressure")).singleElement()
        .satisfies(x -> assertThat(x.getReason()).isEqualTo("NodeStatusNeverUpdated"));
    assertThat(c).filteredOn(x -> x.getType().equals("NetworkUnavailable")).singleElement()
        .satisfies(x -> assertThat(x.getStatus()).isEqualTo("False"));
    Node already = new NodeBuilder(node("Unknown")).editStatus().withConditions(c).endStatus().build();
    assertThat(NodeLifecycleController.unknownConditions(already, NOW)).isEmpty();
  }

  @Test
  void evictionTimeFollowsTolerations() {
    List<Taint> noExecute = List.of(taint("node.kubernetes.io/unreachable", "NoExecute", "2029-12-31T23:59:50Z"));
    Pod intolerant = new PodBuilder().withNewSpec().endSpec().build();
    Pod defaults = new PodBuilder().withNewSpec().addToTolerations(new TolerationBuilder()
        .withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
        .withTolerationSeconds(300L).build()).endSpec().build();
    Pod forever = new PodBuilder().withNewSpec().addToTolerations(new TolerationBuilder().withOperator("Exists")
        .build()).endSpec().build();
    assertThat(NodeLifecycleController.evictionTime(intolerant, noExecute, NOW)).contains(NOW);
    assertThat(NodeLifecycleController.evictionTime(defaults, noExecute, NOW))
        .contains(Instant.parse("2030-01-01T00:04:50Z"));
    assertThat(NodeLifecycleController.evictionTime(forever, noExecute, NOW)).isEmpty();
  }
}
