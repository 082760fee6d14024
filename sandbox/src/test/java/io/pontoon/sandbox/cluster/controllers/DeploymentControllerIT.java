package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final AtomicInteger NS = new AtomicInteger();
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
  void namespace() {
    ns = "deploy-" + NS.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  private Deployment create(String name, int replicas, String strategy, Integer historyLimit) {
    DeploymentBuilder b = new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withRevisionHistoryLimit(historyLimit)
          .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
          .withNewStrategy().withType(strategy).endStrategy()
          .withTemplate(TestPods.template(Map.of("app", name), "nginx:1.27"))
        .endSpec();
    return client.apps().deployments().inNamespace(ns).resource(b.build()).create();
  }

  private Deployment get(String name) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d.getStatus() == null) d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
    if (d.getStatus().getConditions() == null) d.getStatus().setConditions(new java.util.ArrayList<>());
    return d;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private List<ReplicaSet> replicaSets() {
    return client.apps().replicaSets().inNamespace(ns).list().getItems();
  }

  private List<Pod> activePods() {
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private void setImage(String name, String image) {
    client.apps().deployments().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  /** Acting as the kubelet: new pods become ready while we wait. */
  private boolean readyAnd(java.util.function.BooleanSupplier condition) {
    TestPods.makeAllReady(client, ns);
    return condition.getAsBoolean();
  }

  @Test
  void createsAReplicaSetAndPodsAndReportsAvailability() {
    Deployment d = create("web", 3, "RollingUpdate", null);
    await().atMost(DEADLINE).until(() -> replicaSets().size() == 1 && activePods().size() == 3);
    ReplicaSet rs = replicaSets().get(0);
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
        .containsEntry("deployment.kubernetes.io/max-replicas", "4");
    assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getUid()).isEqualTo(d.getMetadata().getUid());
      assertThat(r.getController()).isTrue();
      assertThat(r.getBlockOwnerDeletion()).isTrue();
    });
    assertThat(activePods()).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
        .containsEntry("pod-template-hash", hash).containsEntry("app", "web"));
    await().atMost(DEADLINE).until(() -> readyAnd(() -> {
      Deployment cur = get("web");
      return n(cur.getStatus().getAvailableReplicas()) == 3 && cur.getStatus().getConditions().stream()
          .anyMatch(c -> "NewReplicaSetAvailable".equals(c.getReason()));
    }));
    Deployment cur = get("web");
    assertThat(cur.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(cur.getStatus().getReplicas()).isEqualTo(3);
    assertThat(cur.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(cur.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(cur.getStatus().getUnavailableReplicas()).isNull();
    assertThat(cur.getStatus().getObservedGeneration()).isEqualTo(cur.getMetadata().getGeneration());
    assertThat(condition(cur, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(cur, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
    assertThat(condition(cur, "Progressing").getMessage()).isEqualTo("ReplicaSet \"web-" + hash
        + "\" has successfully progressed.");
  }

  @Test
  void scalesUpAndDown() {
    create("api", 2, "RollingUpdate", null);
    await().atMost(DEADLINE).until(() -> activePods().size() == 2);
    client.apps().deployments().inNamespace(ns).withName("api").scale(5);
    await().atMost(DEADLINE).until(() -> activePods().size() == 5 && replicaSets().size() == 1);
    client.apps().deployments().inNamespace(ns).withName("api").scale(1);
    await().atMost(DEADLINE).until(() -> activePods().size() == 1);
    await().atMost(DEADLINE).until(() -> readyAnd(() -> {
      Deployment cur = get("api");
      return n(cur.getStatus().getReplicas()) == 1 && cur.getStatus().getAvailableReplicas() != null
          && cur.getStatus().getAvailableReplicas() == 1;
    }));
    assertThat(replicaSets()).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(1));
  }

  @Test
  void aTemplateChangeRollsToANewReplicaSet() {
    create("roll", 4, "RollingUpdate", null);
    await().atMost(DEADLINE).until(() -> readyAnd(() -> {
      return n(get("roll").getStatus().getAvailableReplicas()) == 4;
    }));
    String firstHash = replicaSets().get(0).getMetadata().getLabels().get("pod-template-hash");
    setImage("roll", "nginx:1.28");
    // during the rollout never more than replicas + maxSurge (4 + 1) pods, never fewer than 3 available
    await().atMost(DEADLINE).until(() -> readyAnd(() -> {
      assertThat(activePods().size()).isLessThanOrEqualTo(5);
      Deployment cur = get("roll");
      return replicaSets().size() == 2 && n(cur.getStatus().getUpdatedReplicas()) == 4
          && cur.getStatus().getObservedGeneration() >= cur.getMetadata().getGeneration()
          && replicaSets().stream().mapToInt(r -> r.getSpec().getReplicas()).sum() == 4 && n(cur.getStatus().getReplicas()) == 4
          && n(cur.getStatus().getAvailableReplicas()) == 4;
    }));
    ReplicaSet old = replicaSets().stream().filter(r -> r.getMetadata().getLabels().get("pod-template-hash")
        .equals(firstHash)).findFirst().orElseThrow();
    ReplicaSet fresh = replicaSets().stream().filter(r -> r != old && !r.getMetadata().getName()
        .equals(old.getMetadata().getName())).findFirst().orElseThrow();
    assertThat(old.getSpec().getReplicas()).isZero();
    assertThat(fresh.getSpec().getReplicas()).isEqualTo(4);
    assertThat(fresh.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(get("roll").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(activePods()).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.28"));
    // rolling back to the first template reuses its ReplicaSet under a new revision
    setImage("roll", "nginx:1.27");
    await().atMost(DEADLINE).until(() -> readyAnd(() -> {
      ReplicaSet back = client.apps().replicaSets().inNamespace(ns).withName(old.getMetadata().getName()).get();
      return back.getSpec().getReplicas() == 4 && "3".equals(back.getMetadata().getAnnotations()
          .get("deployment.kubernetes.io/revision"));
    }));
    assertThat(replicaSets()).hasSize(2);
  }

  @Test
  void recreateScalesTheOldSetDownFirst() {
    create("batch", 2, "Recreate", null);
    await().atMost(DEADLINE).until(() -> readyAnd(() -> activePods().size() == 2));
    setImage("batch", "busybox:1");
    await().atMost(DEADLINE).until(() -> readyAnd(() -> {
      List<Pod> pods = activePods();
      return pods.size() == 2 && pods.stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage()
          .equals("busybox:1"));
    }));
    assertThat(replicaSets()).hasSize(2);
  }

  @Test
  void oldReplicaSetsBeyondTheHistoryLimitGo() {
    create("hist", 1, "RollingUpdate", 1);
    for (String image : List.of("a:1", "a:2", "a:3")) {
      setImage("hist", image);
      await().atMost(DEADLINE).until(() -> readyAnd(() -> {
        List<Pod> pods = activePods();
        return pods.size() == 1 && pods.get(0).getSpec().getContainers().get(0).getImage().equals(image);
      }));
    }
    await().atMost(DEADLINE).until(() -> readyAnd(() -> replicaSets().size() == 2));
  }

  @Test
  void deletingTheDeploymentCascades() {
    create("gone", 3, "RollingUpdate", null);
    await().atMost(DEADLINE).until(() -> activePods().size() == 3);
    client.apps().deployments().inNamespace(ns).withName("gone").delete();
    await().atMost(DEADLINE).until(() -> replicaSets().isEmpty() && client.pods().inNamespace(ns).list()
        .getItems().isEmpty());
  }
}
