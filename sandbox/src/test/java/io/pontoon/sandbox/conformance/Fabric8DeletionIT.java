package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.container;
import static io.pontoon.sandbox.conformance.Fabric8Support.createNamespace;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static io.pontoon.sandbox.conformance.Fabric8Support.pod;
import static io.pontoon.sandbox.conformance.Fabric8Support.podOnNode;
import static io.pontoon.sandbox.conformance.Fabric8Support.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 6: graceful deletion, finalizers, propagation policies, namespaces and preconditions. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8DeletionIT {
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private SandboxApiServer server;
  private KubernetesClient client;

  @BeforeAll
  void connect(SandboxApiServer server) {
    this.server = server;
    client = admin(server);
  }

  @AfterAll
  void disconnect() {
    client.close();
  }

  @Test
  void podBoundToANodeIsDeletedGracefully() {
    var pods = client.pods().inNamespace("default");
    pods.resource(podOnNode("graceful", "node-a")).create();
    Instant before = Instant.now();
    assertThat(pods.withName("graceful").delete()).hasSize(1);
    Pod terminating = pods.withName("graceful").get();
    assertThat(terminating).as("a bound pod waits for its kubelet").isNotNull();
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    Instant deadline = Instant.parse(terminating.getMetadata().getDeletionTimestamp());
    assertThat(deadline).isBetween(before.plusSeconds(28), Instant.now().plusSeconds(31));
    // a later delete may shorten the grace period
    pods.withName("graceful").withGracePeriod(10).delete();
    assertThat(pods.withName("graceful").get().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(10L);
    // the kubelet's final delete with grace 0 removes it
    pods.withName("graceful").withGracePeriod(0).delete();
    assertThat(pods.withName("graceful").get()).isNull();
  }

  @Test
  void unboundPodGoesAtOnce() {
    var pods = client.pods().inNamespace("default");
    pods.resource(pod("unbound", Map.of())).create();
    pods.withName("unbound").delete();
    assertThat(pods.withName("unbound").get()).isNull();
  }

  @Test
  void terminationGracePeriodOfThePodIsTheDefault() {
    var pods = client.pods().inNamespace("default");
    Pod p = podOnNode("short-grace", "node-a");
    p.getSpec().setTerminationGracePeriodSeconds(5L);
    pods.resource(p).create();
    pods.withName("short-grace").delete();
    assertThat(pods.withName("short-grace").get().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5L);
    pods.withName("short-grace").withGracePeriod(0).delete();
  }

  @Test
  void finalizersHoldAnObjectUntilRemoved() {
    var cms = client.configMaps().inNamespace("default");
    cms.resource(new ConfigMapBuilder().withNewMetadata().withName("held").addToFinalizers("example.com/hold")
        .endMetadata().build()).create();
    cms.withName("held").delete();
    ConfigMap held = cms.withName("held").get();
    assertThat(held).isNotNull();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(held.getMetadata().getDeletionGracePeriodSeconds()).isZero();
    // deleting again changes nothing
    cms.withName("held").delete();
    assertThat(cms.withName("held").get().getMetadata().getResourceVersion())
        .isEqualTo(held.getMetadata().getResourceVersion());
    cms.withName("held").edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers(List.of()).endMetadata()
        .build());
    assertThat(cms.withName("held").get()).isNull();
  }

  private ReplicaSet replicaSet(String ns, String name) {
    return client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("rs", name)
        .endSelector().withNewTemplate().withNewMetadata().addToLabels("rs", name).endMetadata().withNewSpec()
        .withContainers(container("app")).endSpec().endTemplate().endSpec().build()).create();
  }

  /** Pods owned by the ReplicaSet, as its controller would create them. */
  private void ownedPods(String ns, ReplicaSet rs, String node, String... names) {
    for (String n : names) {
      Pod p = node == null ? pod(n, Map.of("rs", rs.getMetadata().getName())) : podOnNode(n, node);
      p.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("apps/v1")
          .withKind("ReplicaSet").withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid())
          .withController(true).withBlockOwnerDeletion(true).build()));
      client.pods().inNamespace(ns).resource(p).create();
    }
  }

  @Test
  void backgroundPropagationDeletesTheOwnerFirstThenItsDependents() {
    createNamespace(client, "gc-background", Map.of());
    ReplicaSet rs = replicaSet("gc-background", "bg");
    ownedPods("gc-background", rs, null, "bg-1", "bg-2");
    client.apps().replicaSets().inNamespace("gc-background").withName("bg")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    assertThat(client.apps().replicaSets().inNamespace("gc-background").withName("bg").get()).isNull();
    await().atMost(DEADLINE).until(() -> client.pods().inNamespace("gc-background").list().getItems().isEmpty());
  }

  @Test
  void foregroundPropagationKeepsTheOwnerUntilItsDependentsAreGone() {
    createNamespace(client, "gc-foreground", Map.of());
    ReplicaSet rs = replicaSet("gc-foreground", "fg");
    // bound pods terminate gracefully, so the owner has to wait for them
    ownedPods("gc-foreground", rs, "node-a", "fg-1", "fg-2");
    var rsOps = client.apps().replicaSets().inNamespace("gc-foreground").withName("fg");
    rsOps.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    ReplicaSet waiting = rsOps.get();
    assertThat(waiting).isNotNull();
    assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(waiting.getMetadata().getFinalizers()).contains("foregroundDeletion");
    await().atMost(DEADLINE).until(() -> client.pods().inNamespace("gc-foreground").list().getItems().stream()
        .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    assertThat(rsOps.get()).as("the owner waits while dependents terminate").isNotNull();
    for (String p : List.of("fg-1", "fg-2")) {
      client.pods().inNamespace("gc-foreground").withName(p).withGracePeriod(0).delete();
    }
    await().atMost(DEADLINE).until(() -> rsOps.get() == null);
  }

  @Test
  void dependentWhoseOwnersAreAllAbsentIsCollectedOneWithALiveOwnerStays() {
    createNamespace(client, "gc-absent", Map.of());
    ReplicaSet rs = replicaSet("gc-absent", "live");
    var gone = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("gone")
        .withUid("00000000-0000-0000-0000-00000000dead").build();
    var live = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("live")
        .withUid(rs.getMetadata().getUid()).build();
    var cms = client.configMaps().inNamespace("gc-absent");
    cms.resource(new ConfigMapBuilder().withNewMetadata().withName("dangling").withOwnerReferences(gone).endMetadata()
        .build()).create();
    cms.resource(new ConfigMapBuilder().withNewMetadata().withName("half").withOwnerReferences(gone, live)
        .endMetadata().build()).create();
    await().atMost(DEADLINE).until(() -> cms.withName("dangling").get() == null);
    assertThat(cms.withName("half").get()).as("one owner is still there").isNotNull();
    client.apps().replicaSets().inNamespace("gc-absent").withName("live").delete();
    await().atMost(DEADLINE).until(() -> cms.withName("half").get() == null);
  }

  @Test
  void orphanPropagationLeavesDependentsWithoutOwner() {
    createNamespace(client, "gc-orphan", Map.of());
    ReplicaSet rs = replicaSet("gc-orphan", "or");
    ownedPods("gc-orphan", rs, null, "or-1", "or-2");
    client.apps().replicaSets().inNamespace("gc-orphan").withName("or")
        .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    await().atMost(DEADLINE).until(() -> client.apps().replicaSets().inNamespace("gc-orphan").withName("or")
        .get() == null);
    await().atMost(DEADLINE).until(() -> client.pods().inNamespace("gc-orphan").list().getItems().stream()
        .allMatch(p -> p.getMetadata().getOwnerReferences().isEmpty()));
    assertThat(client.pods().inNamespace("gc-orphan").list().getItems()).hasSize(2);
  }

  @Test
  void namespaceDeletionTerminatesRemovesContentThenTheNamespace() {
    createNamespace(client, "doomed", Map.of());
    client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("c")
        .endMetadata().build()).create();
    client.pods().inNamespace("doomed").resource(podOnNode("running", "node-a")).create();
    client.namespaces().withName("doomed").delete();
    Namespace ns = client.namespaces().withName("doomed").get();
    assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(ns.getMetadata().getDeletionTimestamp()).isNotNull();
    Status s = expectStatus(403, "Forbidden", () -> client.configMaps().inNamespace("doomed").resource(
        new ConfigMapBuilder().withNewMetadata().withName("late").endMetadata().build()).create());
    assertThat(s.getMessage()).contains("unable to create new content in namespace doomed because it is being "
        + "terminated");
    await().atMost(DEADLINE).until(() -> client.configMaps().inNamespace("doomed").list().getItems().isEmpty());
    // the bound pod terminates gracefully; the namespace waits for it
    await().atMost(DEADLINE).until(() -> client.pods().inNamespace("doomed").withName("running").get()
        .getMetadata().getDeletionTimestamp() != null);
    await().atMost(DEADLINE).until(() -> client.namespaces().withName("doomed").get().getStatus().getConditions()
        .stream().anyMatch(c -> c.getType().equals("NamespaceContentRemaining") && c.getStatus().equals("True")));
    assertThat(client.namespaces().withName("doomed").get()).isNotNull();
    client.pods().inNamespace("doomed").withName("running").withGracePeriod(0).delete();
    await().atMost(DEADLINE).until(() -> client.namespaces().withName("doomed").get() == null);
  }

  @Test
  void deletePreconditionsAreChecked() {
    var cms = client.configMaps().inNamespace("default");
    ConfigMap cm = cms.resource(new ConfigMapBuilder().withNewMetadata().withName("pre").endMetadata().build())
        .create();
    var r = raw(server);
    var wrongUid = r.send("DELETE", "/api/v1/namespaces/default/configmaps/pre", "application/json",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"00000000-0000-0000-0000-000000000000\"}}");
    assertThat(wrongUid.statusCode()).isEqualTo(409);
    assertThat(wrongUid.body()).contains("\"reason\":\"Conflict\"").contains("Precondition failed: UID in precondition: "
        + "00000000-0000-0000-0000-000000000000, UID in object meta: " + cm.getMetadata().getUid());
    cms.withName("pre").edit(c -> new ConfigMapBuilder(c).addToData("v", "2").build());
    Status stale = expectStatus(409, "Conflict", () -> cms.withName("pre")
        .lockResourceVersion(cm.getMetadata().getResourceVersion()).delete());
    assertThat(stale.getMessage()).contains("Precondition failed: ResourceVersion in precondition: "
        + cm.getMetadata().getResourceVersion());
    assertThat(cms.withName("pre").get()).isNotNull();
    var rightUid = r.send("DELETE", "/api/v1/namespaces/default/configmaps/pre", "application/json",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"" + cm.getMetadata().getUid()
            + "\"}}");
    assertThat(rightUid.statusCode()).isEqualTo(200);
    assertThat(cms.withName("pre").get()).isNull();
  }

  @Test
  void deleteOfAMissingObjectIs404() {
    var r = raw(server);
    var resp = r.send("DELETE", "/api/v1/namespaces/default/configmaps/never", null, (byte[]) null);
    assertThat(resp.statusCode()).isEqualTo(404);
    assertThat(resp.body()).contains("\"reason\":\"NotFound\"").contains("configmaps \\\"never\\\" not found");
    // fabric8 reports a delete of nothing as an empty result
    assertThat(client.configMaps().inNamespace("default").withName("never").delete()).isEmpty();
  }
}
