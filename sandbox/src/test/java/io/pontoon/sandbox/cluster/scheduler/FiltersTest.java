package io.pontoon.sandbox.cluster.scheduler;

import static io.pontoon.sandbox.cluster.scheduler.Models.node;
import static io.pontoon.sandbox.cluster.scheduler.Models.podRequesting;
import static io.pontoon.sandbox.cluster.scheduler.Models.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
  private static final NodeView NODE = NodeView.of(node("n", "2", "4Gi", 3).build());

  @Test
  void cordonedNodeFailsUnlessTheUnschedulableTaintIsTolerated() {
    NodeView cordoned = NodeView.of(node("n", "2", "4Gi", 3).editSpec().withUnschedulable(true).endSpec().build());
    Pod plain = Models.pod("p").build();
    Pod tolerant = Models.pod("p").editSpec()
        .withTolerations(toleration(Taints.UNSCHEDULABLE, "Exists", null, "NoSchedule")).endSpec().build();
    assertThat(Filters.filter(PodInfo.of(plain), cordoned, NodeUsage.EMPTY).reasons())
        .containsExactly("node(s) were unschedulable");
    assertThat(Filters.filter(PodInfo.of(tolerant), cordoned, NodeUsage.EMPTY).fits()).isTrue();
  }

  @Test
  void untoleratedTaintIsReportedWithKeyAndValueAndPreferNoScheduleDoesNotFilter() {
    NodeView tainted = NodeView.of(Models.tainted(node("n", "2", "4Gi", 3), "dedicated", "gpu", "NoExecute"));
    NodeView preferred = NodeView.of(Models.tainted(node("n", "2", "4Gi", 3), "spare", "", "PreferNoSchedule"));
    FilterResult r = Filters.filter(PodInfo.of(Models.pod("p").build()), tainted, NodeUsage.EMPTY);
    assertThat(r.reasons()).containsExactly("node(s) had untolerated taint {dedicated: gpu}");
    assertThat(r.resolvable()).isFalse();
    assertThat(Filters.filter(PodInfo.of(Models.pod("p").build()), preferred, NodeUsage.EMPTY).fits()).isTrue();
  }

  @Test
  void nodesNotReadyCarryAnImpliedNoScheduleTaint() {
    NodeView notReady = NodeView.of(node("n", "2", "4Gi", 3).editStatus().editFirstCondition().withStatus("False")
        .endCondition().endStatus().build());
    NodeView unknown = NodeView.of(node("n", "2", "4Gi", 3).editStatus().editFirstCondition().withStatus("Unknown")
        .endCondition().endStatus().build());
    NodeView noStatus = NodeView.of(node("n", "2", "4Gi", 3).editStatus().withConditions(List.of()).endStatus()
        .build());
    Pod pod = Models.pod("p").build();
    assertThat(Filters.filter(PodInfo.of(pod), notReady, NodeUsage.EMPTY).reasons())
        .containsExactly("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    assertThat(Filters.filter(PodInfo.of(pod), unknown, NodeUsage.EMPTY).reasons())
        .containsExactly("node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
    assertThat(Filters.filter(PodInfo.of(pod), noStatus, NodeUsage.EMPTY).fits()).isFalse();
    Pod tolerant = Models.pod("p").editSpec()
        .withTolerations(toleration(Taints.NOT_READY, "Exists", null, "NoSchedule")).endSpec().build();
    assertThat(Filters.filter(PodInfo.of(tolerant), notReady, NodeUsage.EMPTY).fits()).isTrue();
  }

  @Test
  void resourcesAgainstAllocatableMinusRequested() {
    NodeUsage used = new NodeUsage(new Resources(1500, 1L << 30, 0, Map.of()), Resources.ZERO, 1);
    assertThat(Filters.filter(PodInfo.of(podRequesting("p", "500m", "1Gi")), NODE, used).fits()).isTrue();
    FilterResult r = Filters.filter(PodInfo.of(podRequesting("p", "501m", "4Gi")), NODE, used);
    assertThat(r.reasons()).containsExactly("Insufficient cpu", "Insufficient memory");
    assertThat(r.resolvable()).isTrue();
  }

  @Test
  void podCountCountsEvenForPodsWithoutRequests() {
    NodeUsage full = new NodeUsage(Resources.ZERO, Resources.ZERO, 3);
    assertThat(Filters.filter(PodInfo.of(Models.pod("p").build()), NODE, full).reasons())
        .containsExactly("Too many pods");
  }

  @Test
  void extendedResourcesMissingOnTheNodeAreInsufficient() {
    Pod gpu = Models.pod("p").editSpec().editFirstContainer().withNewResources()
        .withLimits(Map.of("example.com/gpu", new Quantity("1"))).endResources().endContainer().endSpec().build();
    assertThat(Filters.filter(PodInfo.of(gpu), NODE, NodeUsage.EMPTY).reasons())
        .containsExactly("Insufficient example.com/gpu");
  }

  @Test
  void podRequestsSumContainersAndTakeTheLargestInitContainerAndSidecars() {
    Pod pod = Models.pod("p").editSpec()
        .addNewContainer().withName("c2").withNewResources().withRequests(Map.of("cpu", new Quantity("200m")))
        .endResources().endContainer()
        .addNewInitContainer().withName("init").withNewResources().withRequests(Map.of("cpu", new Quantity("1"),
            "memory", new Quantity("10Mi"))).endResources().endInitContainer()
        .addNewInitContainer().withName("sidecar").withRestartPolicy("Always").withNewResources()
        .withRequests(Map.of("cpu", new Quantity("100m"))).endResources().endInitContainer()
        .withOverhead(Map.of("cpu", new Quantity("10m"))).endSpec().build();
    Resources r = Resources.requestsOf(pod);
    // max(200m + sidecar 100m, init 1000m) + overhead 10m
    assertThat(r.milliCpu()).isEqualTo(1010);
    assertThat(r.memory()).isEqualTo(10L * 1024 * 1024);
    assertThat(Resources.nonZeroRequestsOf(Models.pod("p").build()))
        .isEqualTo(new Resources(100, 200L * 1024 * 1024, 0, Map.of()));
  }
}
