package io.pontoon.sandbox.cluster.scheduler;

import static io.pontoon.sandbox.cluster.scheduler.Models.node;
import static io.pontoon.sandbox.cluster.scheduler.Models.podRequesting;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  @Test
  void assumedPodsTakeRoomSoConcurrentDecisionsNeverOvercommit() {
    SchedulerCache cache = new SchedulerCache();
    cache.upsertNode(node("n", "1", "4Gi", 110).build());
    assertThat(cache.scheduleAndAssume("ns/a", PodInfo.of(podRequesting("a", "600m", "1Gi"))).node()).isEqualTo("n");
    SchedulerCache.Decision second = cache.scheduleAndAssume("ns/b", PodInfo.of(podRequesting("b", "600m", "1Gi")));
    assertThat(second.node()).isNull();
    assertThat(second.error().message()).startsWith("0/1 nodes are available: 1 Insufficient cpu.");
    assertThat(cache.scheduleAndAssume("ns/a", PodInfo.of(podRequesting("a", "600m", "1Gi"))))
        .as("already placed").isNull();

    cache.forgetAssumed("ns/a");
    assertThat(cache.scheduleAndAssume("ns/b", PodInfo.of(podRequesting("b", "600m", "1Gi"))).node()).isEqualTo("n");
  }

  @Test
  void informerViewsConfirmAssumptionsAndLateUnboundViewsDoNotDropThem() {
    SchedulerCache cache = new SchedulerCache();
    cache.upsertNode(node("n", "1", "4Gi", 110).build());
    Pod pending = podRequesting("a", "600m", "1Gi");
    cache.scheduleAndAssume("ns/a", PodInfo.of(pending));
    assertThat(cache.observe("ns/a", pending)).isFalse();
    assertThat(cache.usage("n").requested().milliCpu()).isEqualTo(600);
    Pod bound = new PodBuilder(pending).editSpec().withNodeName("n").endSpec().build();
    cache.observe("ns/a", bound);
    cache.forgetAssumed("ns/a");
    assertThat(cache.usage("n").pods()).as("confirmed, no longer assumed").isEqualTo(1);

    Pod done = new PodBuilder(bound).withNewStatus().withPhase("Succeeded").endStatus().build();
    assertThat(cache.observe("ns/a", done)).as("a finished pod frees its node").isTrue();
    assertThat(cache.usage("n")).isEqualTo(NodeUsage.EMPTY);
  }

  @Test
  void podsBoundToUnknownNodesAreCountedWhenTheNodeAppears() {
    SchedulerCache cache = new SchedulerCache();
    cache.observe("ns/a", new PodBuilder(podRequesting("a", "900m", "1Gi")).editSpec().withNodeName("late").endSpec()
        .build());
    cache.upsertNode(node("late", "1", "4Gi", 110).build());
    assertThat(cache.scheduleAndAssume("ns/b", PodInfo.of(podRequesting("b", "200m", "1Gi"))).node()).isNull();
  }

  @Test
  void leastAllocatedSpreadsAndPreferNoScheduleIsAvoided() {
    SchedulerCache cache = new SchedulerCache();
    cache.upsertNode(node("a", "4", "8Gi", 110).build());
    cache.upsertNode(node("b", "4", "8Gi", 110).build());
    cache.upsertNode(Models.tainted(node("c", "4", "8Gi", 110), "spare", "", "PreferNoSchedule"));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      counts.merge(cache.scheduleAndAssume("ns/p" + i, PodInfo.of(podRequesting("p" + i, "100m", "100Mi"))).node(), 1,
          Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("a", "b").containsEntry("a", 10).containsEntry("b", 10);
  }

  @Test
  void nodeHeartbeatsAreNotSchedulingChanges() {
    SchedulerCache cache = new SchedulerCache();
    assertThat(cache.upsertNode(node("n", "1", "4Gi", 110).build())).isTrue();
    var beat = node("n", "1", "4Gi", 110).editStatus().editFirstCondition().withLastHeartbeatTime("later")
        .endCondition().endStatus().build();
    assertThat(cache.upsertNode(beat)).isFalse();
    assertThat(cache.upsertNode(node("n", "2", "4Gi", 110).build())).isTrue();
  }
}
