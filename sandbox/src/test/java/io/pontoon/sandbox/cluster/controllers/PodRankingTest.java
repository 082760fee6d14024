package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodRankingTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private static Pod pod(String name, String node, String phase, Instant readySince, Instant created) {
    PodBuilder b = new PodBuilder()
        .withNewMetadata().withName(name).withUid("uid-" + name).withCreationTimestamp(created.toString()).endMetadata()
        .withNewSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase(phase).endStatus();
    if (readySince != null) {
      b.editStatus().withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
          .withLastTransitionTime(readySince.toString()).build()).endStatus();
    }
    return b.build();
  }

  private static List<String> order(List<Pod> pods, List<Pod> related) {
    return PodRanking.podsToDelete(pods, related, pods.size() - 1, NOW).stream()
        .map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void unscheduledThenPendingThenNotReadyGoFirst() {
    Instant t = NOW.minusSeconds(3600);
    Pod running = pod("running", "n1", "Running", t, t);
    Pod notReady = pod("not-ready", "n1", "Running", null, t);
    Pod pending = pod("pending", "n1", "Pending", null, t);
    Pod unscheduled = pod("unscheduled", null, "Pending", null, t);
    List<Pod> pods = List.of(running, notReady, pending, unscheduled);
    assertThat(order(pods, pods)).containsExactly("unscheduled", "pending", "not-ready");
  }

  @Test
  void lowerDeletionCostGoesFirst() {
    Instant t = NOW.minusSeconds(3600);
    Pod cheap = pod("cheap", "n1", "Running", t, t);
    cheap.getMetadata().setAnnotations(Map.of(PodRanking.DELETION_COST, "-5"));
    Pod dear = pod("dear", "n2", "Running", t, t);
    dear.getMetadata().setAnnotations(Map.of(PodRanking.DELETION_COST, "100"));
    assertThat(PodRanking.podsToDelete(List.of(dear, cheap), List.of(), 1, NOW)).extracting(p -> p.getMetadata()
        .getName()).containsExactly("cheap");
  }

  @Test
  void doubledUpPodsGoBeforeLonelyOnes() {
    Instant t = NOW.minusSeconds(3600);
    Pod lonely = pod("lonely", "n1", "Running", t, t);
    Pod crowdedA = pod("crowded-a", "n2", "Running", t, t);
    Pod crowdedB = pod("crowded-b", "n2", "Running", t, t);
    List<Pod> pods = List.of(lonely, crowdedA, crowdedB);
    assertThat(PodRanking.podsToDelete(pods, pods, 1, NOW).get(0).getMetadata().getName()).startsWith("crowded");
  }

  @Test
  void recentlyReadyAndRestartingAndNewerGoFirst() {
    Pod old = pod("old", "n1", "Running", NOW.minusSeconds(100_000), NOW.minusSeconds(200_000));
    Pod fresh = pod("fresh", "n2", "Running", NOW.minusSeconds(10), NOW.minusSeconds(20));
    assertThat(PodRanking.podsToDelete(List.of(old, fresh), List.of(), 1, NOW).get(0).getMetadata().getName())
        .isEqualTo("fresh");
    // same age bucket: the one that restarts more goes first
    Instant t = NOW.minusSeconds(1000);
    Pod calm = pod("calm", "n1", "Running", t, t);
    Pod flappy = pod("flappy", "n2", "Running", t, t);
    flappy.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("c").withRestartCount(4)
        .build()));
    assertThat(PodRanking.podsToDelete(List.of(calm, flappy), List.of(), 1, NOW).get(0).getMetadata().getName())
        .isEqualTo("flappy");
  }

  @Test
  void ageBucketsArePowersOfTwo() {
    assertThat(PodRanking.logBucket(NOW.minusSeconds(1), NOW)).isEqualTo(29); // 1e9 ns ≈ 2^29.9
    assertThat(PodRanking.logBucket(NOW.plusSeconds(5), NOW)).isZero();
  }
}
