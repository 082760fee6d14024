package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class ReplicaSetControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static SandboxCluster cluster;
  private static KubernetesClient client;
  private String ns;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(0));
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @BeforeEach
  void namespace(TestInfo info) {
    ns = "rs-" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "").substring(0, 12);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  private ReplicaSet rs(String name, int replicas) {
    return client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
          .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
          .withTemplate(TestPods.template(Map.of("app", name), "nginx:1.27"))
        .endSpec().build()).create();
  }

  private List<Pod> activePods() {
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  @Test
  void createsScalesAndReportsStatus() {
    ReplicaSet rs = rs("web", 3);
    await().atMost(DEADLINE).until(() -> activePods().size() == 3);
    assertThat(activePods()).allSatisfy(p -> {
      assertThat(p.getMetadata().getName()).startsWith("web-");
      assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
        assertThat(r.getUid()).isEqualTo(rs.getMetadata().getUid());
        assertThat(r.getController()).isTrue();
        assertThat(r.getBlockOwnerDeletion()).isTrue();
      });
    });
    TestPods.makeAllReady(client, ns);
    await().atMost(DEADLINE).untilAsserted(() -> {
      ReplicaSet cur = client.apps().replicaSets().inNamespace(ns).withName("web").get();
      assertThat(cur.getStatus().getReplicas()).isEqualTo(3);
      assertThat(cur.getStatus().getReadyReplicas()).isEqualTo(3);
      assertThat(cur.getStatus().getAvailableReplicas()).isEqualTo(3);
      assertThat(cur.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
      assertThat(cur.getStatus().getObservedGeneration()).isEqualTo(cur.getMetadata().getGeneration());
    });
    client.apps().replicaSets().inNamespace(ns).withName("web").scale(6);
    await().atMost(DEADLINE).until(() -> activePods().size() == 6);
    // three not ready: those go first when scaling back down
    List<String> readyOnes = activePods().stream().filter(PodConditions::isReady).map(p -> p.getMetadata().getName())
        .toList();
    client.apps().replicaSets().inNamespace(ns).withName("web").scale(3);
    await().atMost(DEADLINE).until(() -> activePods().size() == 3);
    assertThat(activePods()).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(readyOnes);
    client.apps().replicaSets().inNamespace(ns).withName("web").scale(0);
    await().atMost(DEADLINE).until(() -> activePods().isEmpty());
    await().atMost(DEADLINE).until(() -> client.apps().replicaSets().inNamespace(ns).withName("web").get()
        .getStatus().getReplicas() == 0);
  }

  @Test
  void replacesDeletedPodsAndAdoptsOrphans() {
    Pod orphan = client.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withName("stray").withLabels(Map.of("app", "api")).endMetadata()
        .withSpec(TestPods.template(Map.of(), "nginx").getSpec()).build()).create();
    rs("api", 2);
    await().atMost(DEADLINE).until(() -> activePods().size() == 2);
    Pod adopted = client.pods().inNamespace(ns).withName(orphan.getMetadata().getName()).get();
    assertThat(adopted.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("api"));
    Pod victim = activePods().get(0);
    client.pods().inNamespace(ns).withName(victim.getMetadata().getName()).delete();
    await().atMost(DEADLINE).until(() -> activePods().size() == 2
        && activePods().stream().noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));
    // a pod relabelled away is released and replaced
    Pod leaving = activePods().get(0);
    client.pods().inNamespace(ns).withName(leaving.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"app\":\"elsewhere\"}}}");
    await().atMost(DEADLINE).untilAsserted(() -> {
      Pod released = client.pods().inNamespace(ns).withName(leaving.getMetadata().getName()).get();
      assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(activePods().stream().filter(p -> "api".equals(p.getMetadata().getLabels().get("app")))).hasSize(2);
    });
  }

  @Test
  void aBurstOfResyncsNeverOverCreates() {
    rs("burst", 20);
    await().atMost(DEADLINE).until(() -> activePods().size() == 20);
    // many spec touches while the cache catches up must not create more than asked
    for (int i = 0; i < 10; i++) {
      int n = i;
      client.apps().replicaSets().inNamespace(ns).withName("burst").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"annotations\":{\"touch\":\"" + n + "\"}}}");
    }
    await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(() -> activePods().size() == 20);
  }
}
