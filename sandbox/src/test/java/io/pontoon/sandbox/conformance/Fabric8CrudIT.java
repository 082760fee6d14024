package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.container;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static io.pontoon.sandbox.conformance.Fabric8Support.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 2: create, read, update and the metadata the server owns, through fabric8. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8CrudIT {
  private KubernetesClient client;

  @BeforeAll
  void connect(SandboxApiServer server) {
    client = admin(server);
  }

  @AfterAll
  void disconnect() {
    client.close();
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().withContainers(container("web")).endSpec().endTemplate()
        .endSpec().build();
  }

  @Test
  void createSetsUidCreationTimestampAndResourceVersion() {
    Instant before = Instant.now().minusSeconds(2);
    Pod created = client.pods().resource(pod("meta-1", Map.of("a", "b"))).create();
    assertThat(UUID.fromString(created.getMetadata().getUid())).isNotNull();
    assertThat(Instant.parse(created.getMetadata().getCreationTimestamp())).isAfter(before);
    assertThat(Long.parseLong(created.getMetadata().getResourceVersion())).isPositive();
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
    // what comes back from create is what a get returns
    Pod read = client.pods().withName("meta-1").get();
    assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(read.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void resourceVersionsGrowAcrossWritesAndKinds() {
    ConfigMap cm = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("rv-1")
        .endMetadata().addToData("k", "1").build()).create();
    long rv1 = Long.parseLong(cm.getMetadata().getResourceVersion());
    Pod p = client.pods().resource(pod("rv-pod", Map.of())).create();
    long rv2 = Long.parseLong(p.getMetadata().getResourceVersion());
    cm.getData().put("k", "2");
    ConfigMap updated = client.configMaps().resource(cm).update();
    long rv3 = Long.parseLong(updated.getMetadata().getResourceVersion());
    assertThat(rv2).isGreaterThan(rv1);
    assertThat(rv3).isGreaterThan(rv2);
    // an update that changes nothing writes nothing: resourceVersion stays
    ConfigMap same = client.configMaps().resource(updated).update();
    assertThat(same.getMetadata().getResourceVersion()).isEqualTo(updated.getMetadata().getResourceVersion());
  }

  @Test
  void generationFollowsSpecChangesOnly() {
    Deployment d = client.apps().deployments().resource(deployment("gen", 1)).create();
    assertThat(d.getMetadata().getGeneration()).isEqualTo(1L);
    d.getMetadata().setLabels(Map.of("tier", "web"));
    d = client.apps().deployments().resource(d).update();
    assertThat(d.getMetadata().getGeneration()).as("a label change is not a spec change").isEqualTo(1L);
    d.getSpec().setReplicas(3);
    d = client.apps().deployments().resource(d).update();
    assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
    d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(3)
        .withObservedGeneration(2L).build());
    d = client.apps().deployments().resource(d).updateStatus();
    assertThat(d.getMetadata().getGeneration()).as("a status write is not a spec change").isEqualTo(2L);
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(2L);
    d = client.apps().deployments().withName("gen").edit(x -> {
      x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/web:2");
      return x;
    });
    assertThat(d.getMetadata().getGeneration()).isEqualTo(3L);
  }

  @Test
  void generateNameAddsARandomSuffix() {
    Pod template = pod(null, Map.of());
    template.getMetadata().setGenerateName("worker-");
    Pod a = client.pods().resource(template).create();
    Pod b = client.pods().resource(template).create();
    assertThat(a.getMetadata().getName()).matches("worker-[a-z0-9]{5}");
    assertThat(b.getMetadata().getName()).matches("worker-[a-z0-9]{5}").isNotEqualTo(a.getMetadata().getName());
    assertThat(a.getMetadata().getGenerateName()).isEqualTo("worker-");
  }

  @Test
  void invalidNamesAre422WithCauses() {
    Status s = expectStatus(422, "Invalid", () -> client.pods().resource(pod("Not_Valid", Map.of())).create());
    assertThat(s.getMessage()).startsWith("Pod \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\"");
    assertThat(s.getDetails().getKind()).isEqualTo("Pod");
    assertThat(s.getDetails().getName()).isEqualTo("Not_Valid");
    assertThat(s.getDetails().getCauses()).extracting(StatusCause::getReason, StatusCause::getField)
        .contains(org.assertj.core.groups.Tuple.tuple("FieldValueInvalid", "metadata.name"));
    // namespaces are DNS-1123 labels: a dot is not allowed
    Status ns = expectStatus(422, "Invalid", () -> client.namespaces().resource(
        new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("a.b").endMetadata()
            .build()).create());
    assertThat(ns.getDetails().getCauses()).extracting(StatusCause::getField).containsExactly("metadata.name");
    assertThat(ns.getMessage()).contains("a lowercase RFC 1123 label");
    // a pod without containers' images
    Pod noImage = new PodBuilder().withNewMetadata().withName("no-image").endMetadata().withNewSpec()
        .addNewContainer().withName("c").endContainer().endSpec().build();
    Status img = expectStatus(422, "Invalid", () -> client.pods().resource(noImage).create());
    assertThat(img.getDetails().getCauses()).extracting(StatusCause::getReason, StatusCause::getField)
        .contains(org.assertj.core.groups.Tuple.tuple("FieldValueRequired", "spec.containers[0].image"));
  }

  @Test
  void duplicateCreateIs409AlreadyExists() {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("dup").endMetadata().build())
        .create();
    Status s = expectStatus(409, "AlreadyExists", () -> client.configMaps().resource(new ConfigMapBuilder()
        .withNewMetadata().withName("dup").endMetadata().build()).create());
    assertThat(s.getMessage()).isEqualTo("configmaps \"dup\" already exists");
    assertThat(s.getDetails().getName()).isEqualTo("dup");
    assertThat(s.getDetails().getKind()).isEqualTo("configmaps");
  }

  @Test
  void staleResourceVersionIs409Conflict() {
    ConfigMap first = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("cas")
        .endMetadata().addToData("v", "1").build()).create();
    ConfigMap winner = new ConfigMapBuilder(first).addToData("v", "2").build();
    client.configMaps().resource(winner).update();
    ConfigMap loser = new ConfigMapBuilder(first).addToData("v", "3").build();
    Status s = expectStatus(409, "Conflict", () -> client.configMaps().resource(loser).update());
    assertThat(s.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"cas\": the object has been "
        + "modified; please apply your changes to the latest version and try again");
    assertThat(client.configMaps().withName("cas").get().getData()).containsEntry("v", "2");
  }

  @Test
  void anUpdateWithoutResourceVersionNeverConflicts() throws Exception {
    // fabric8's scale(n) PUTs a Scale without a resourceVersion: unconditional, as kubectl scale.
    // A controller writing the status meanwhile must not make it fail with 409.
    client.apps().deployments().resource(deployment("unpinned", 1)).create();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture<Integer> statusWrites = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      int n = 0;
      while (!done.get()) {
        client.apps().deployments().withName("unpinned").subresource("status").patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"observedGeneration\":" + (++n) + "}}");
      }
      return n;
    });
    for (int i = 1; i <= 60; i++) client.apps().deployments().withName("unpinned").scale(i % 7);
    done.set(true);
    assertThat(statusWrites.get(30, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
    assertThat(client.apps().deployments().withName("unpinned").get().getSpec().getReplicas()).isEqualTo(60 % 7);
  }

  @Test
  void podStatusAndSpecAreWrittenSeparately() {
    client.pods().resource(pod("split", Map.of())).create();
    // a write of the main resource ignores status
    Pod p = client.pods().withName("split").get();
    p.getMetadata().setLabels(Map.of("changed", "yes"));
    p.getStatus().setPhase("Running");
    Pod afterMain = client.pods().resource(p).update();
    assertThat(afterMain.getMetadata().getLabels()).containsEntry("changed", "yes");
    assertThat(afterMain.getStatus().getPhase()).isEqualTo("Pending");
    // a write of the status subresource ignores everything else
    Pod q = client.pods().withName("split").get();
    q.getStatus().setPhase("Running");
    q.getMetadata().setLabels(Map.of("changed", "by-status"));
    q.getSpec().getContainers().get(0).setImage("registry.example/other:9");
    Pod afterStatus = client.pods().resource(q).updateStatus();
    assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
    assertThat(afterStatus.getMetadata().getLabels()).containsEntry("changed", "yes");
    assertThat(afterStatus.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/app:1");
  }

  @Test
  void aNodeKeepsTheStatusItIsCreatedWithOtherKindsDoNot() {
    // kube's node strategy lets all fields, status included, be set on create (kubelets register
    // with theirs); a pod's or deployment's status on create is dropped.
    io.fabric8.kubernetes.api.model.Node node = client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
        .withNewMetadata().withName("registers-ready").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
        .addToCapacity("cpu", new io.fabric8.kubernetes.api.model.Quantity("4")).endStatus().build()).create();
    assertThat(node.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Ready=True");
    assertThat(client.nodes().withName("registers-ready").get().getStatus().getCapacity()).containsKey("cpu");

    Pod withStatus = pod("created-running", Map.of());
    withStatus.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    assertThat(client.pods().resource(withStatus).create().getStatus().getPhase()).isEqualTo("Pending");
    client.nodes().withName("registers-ready").delete();
  }

  @Test
  void deploymentStatusAndSpecAreWrittenSeparately() {
    Deployment d = client.apps().deployments().resource(deployment("split-d", 2)).create();
    assertThat(d.getStatus() == null || d.getStatus().getReplicas() == null).isTrue();
    d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(7).build());
    d.getSpec().setReplicas(4);
    Deployment afterMain = client.apps().deployments().resource(d).update();
    assertThat(afterMain.getSpec().getReplicas()).isEqualTo(4);
    assertThat(afterMain.getStatus() == null || afterMain.getStatus().getReplicas() == null)
        .as("status sent to the main resource is dropped").isTrue();
    afterMain.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(4)
        .build());
    afterMain.getSpec().setReplicas(9);
    Deployment afterStatus = client.apps().deployments().resource(afterMain).updateStatus();
    assertThat(afterStatus.getStatus().getReplicas()).isEqualTo(4);
    assertThat(afterStatus.getSpec().getReplicas()).as("spec sent to status is dropped").isEqualTo(4);
  }

  @Test
  void getOfAMissingObjectIsNullAnd404() {
    assertThat(client.pods().withName("nope").get()).isNull();
    Status s = expectStatus(404, "NotFound", () -> client.pods().withName("nope").edit(p -> p));
    assertThat(s.getMessage()).isEqualTo("pods \"nope\" not found");
  }
}
