package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.api.client.LeanWrites;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 5: JSON, merge and strategic merge patches; fabric8's edit and patch; no server-side apply. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8PatchIT {
  private KubernetesClient client;

  @BeforeAll
  void connect(SandboxApiServer server) {
    client = admin(server);
  }

  @AfterAll
  void disconnect() {
    client.close();
  }

  private Deployment create(String name) {
    Container web = new ContainerBuilder().withName("web").withImage("registry.example/web:1")
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .addNewEnv().withName("MODE").withValue("a").endEnv()
        .addNewEnv().withName("KEEP").withValue("k").endEnv().build();
    Container log = new ContainerBuilder().withName("log").withImage("registry.example/log:1").build();
    return client.apps().deployments().resource(new DeploymentBuilder().withNewMetadata().withName(name)
        .addToLabels("app", name).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().withContainers(web, log).endSpec().endTemplate().endSpec().build()).create();
  }

  private static Container container(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
        .findFirst().orElseThrow();
  }

  private static List<String> containerNames(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getName).toList();
  }

  @Test
  void jsonPatch() {
    Deployment before = create("json");
    Deployment d = client.apps().deployments().withName("json").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
            + "{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"json\"},"
            + "{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/1\"}]");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getMetadata().getLabels()).containsEntry("patched", "json");
    assertThat(containerNames(d)).containsExactly("web");
    assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(Long.parseLong(d.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(before.getMetadata().getResourceVersion()));
    // a failed "test" operation rejects the whole patch
    Status s = expectStatus(422, "Invalid", () -> client.apps().deployments().withName("json")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9},"
            + "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":9}]"));
    assertThat(s.getCode()).isEqualTo(422);
    assertThat(client.apps().deployments().withName("json").get().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void mergePatchReplacesLists() {
    create("merge");
    Deployment d = client.apps().deployments().withName("merge").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"patched\":\"merge\",\"app\":null}},"
            + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"only\",\"image\":\"registry.example/o:1\"}]}}}}");
    assertThat(d.getMetadata().getLabels()).containsEntry("patched", "merge").doesNotContainKey("app");
    // RFC 7386: a list in the patch replaces the whole list
    assertThat(containerNames(d)).containsExactly("only");
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    create("smp");
    Deployment d = client.apps().deployments().withName("smp").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
            + "{\"name\":\"web\",\"image\":\"registry.example/web:2\",\"env\":[{\"name\":\"MODE\",\"value\":\"b\"}]},"
            + "{\"name\":\"sidecar\",\"image\":\"registry.example/sidecar:1\"}]}}}}");
    assertThat(containerNames(d)).containsExactlyInAnyOrder("web", "log", "sidecar");
    Container web = container(d, "web");
    assertThat(web.getImage()).isEqualTo("registry.example/web:2");
    // fields and list items the patch does not name stay
    assertThat(web.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(8080);
    assertThat(web.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("MODE", "b"), org.assertj.core.groups.Tuple.tuple("KEEP", "k"));
    // $patch: delete removes one element by its merge key
    Deployment after = client.apps().deployments().withName("smp").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"log\",\"$patch\":\"delete\"}]}}}}");
    assertThat(containerNames(after)).containsExactlyInAnyOrder("web", "sidecar");
  }

  @Test
  void fabric8EditAndPatchOfAnObject() {
    create("edit");
    Deployment edited = client.apps().deployments().withName("edit").edit(d -> new DeploymentBuilder(d)
        .editSpec().withReplicas(4).endSpec().editMetadata().addToAnnotations("note", "edited").endMetadata()
        .build());
    assertThat(edited.getSpec().getReplicas()).isEqualTo(4);
    assertThat(edited.getMetadata().getAnnotations()).containsEntry("note", "edited");
    // patch(item) sends the difference to what the server has
    Deployment desired = new DeploymentBuilder(edited).editSpec().withReplicas(2).endSpec().build();
    Deployment patched = client.apps().deployments().resource(desired).patch();
    assertThat(patched.getSpec().getReplicas()).isEqualTo(2);
    // a strategic merge patch built from a partial object
    Deployment partial = new DeploymentBuilder().withNewMetadata().withName("edit").addToLabels("smp", "yes")
        .endMetadata().build();
    Deployment merged = client.apps().deployments().withName("edit")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), partial);
    assertThat(merged.getMetadata().getLabels()).containsEntry("smp", "yes").containsEntry("app", "edit");
    assertThat(containerNames(merged)).containsExactly("web", "log");
  }

  @Test
  void patchPinnedToAStaleResourceVersionIsAConflict() {
    Deployment d = create("pinned");
    client.apps().deployments().withName("pinned").edit(x -> new DeploymentBuilder(x).editSpec().withReplicas(2)
        .endSpec().build());
    Status s = expectStatus(409, "Conflict", () -> client.apps().deployments().withName("pinned")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"resourceVersion\":\""
            + d.getMetadata().getResourceVersion() + "\"},\"spec\":{\"replicas\":7}}"));
    assertThat(s.getMessage()).contains("the object has been modified");
  }

  @Test
  void serverSideApplyIsAClear415() {
    create("ssa");
    Deployment desired = new DeploymentBuilder().withNewMetadata().withName("ssa").endMetadata()
        .withNewSpec().withReplicas(5).endSpec().build();
    Status s = expectStatus(415, "UnsupportedMediaType", () -> client.apps().deployments().resource(desired)
        .fieldManager("test").forceConflicts().serverSideApply());
    assertThat(s.getMessage()).contains("server-side apply").contains("application/apply-patch+yaml");
    assertThat(client.apps().deployments().withName("ssa").get().getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void aPatchNamingAnotherUidIsRefusedOnTheObjectAndItsStatus() {
    Deployment d = create("uid-check");
    String uid = d.getMetadata().getUid();
    LeanWrites writes = new LeanWrites(client);
    for (String sub : new String[] {null, "status"}) {
      Status s = expectStatus(422, "Invalid", () -> writes.patch(Deployment.class, client.getNamespace(), "uid-check", sub,
          PatchType.STRATEGIC_MERGE, "{\"metadata\":{\"uid\":\"00000000-0000-0000-0000-000000000000\"},"
              + "\"spec\":{\"replicas\":4}}"));
      assertThat(s.getMessage()).isEqualTo("Deployment.apps \"uid-check\" is invalid: metadata.uid: Invalid value: "
          + "\"00000000-0000-0000-0000-000000000000\": field is immutable");
    }
    // its own UID is a precondition that holds
    client.apps().deployments().withName("uid-check").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"metadata\":{\"uid\":\"" + uid + "\"},\"spec\":{\"replicas\":3}}");
    Deployment after = client.apps().deployments().withName("uid-check").get();
    assertThat(after.getMetadata().getUid()).isEqualTo(uid);
    assertThat(after.getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void patchOfAMissingObjectIs404() {
    Status s = expectStatus(404, "NotFound", () -> client.apps().deployments().withName("absent")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":1}}"));
    assertThat(s.getMessage()).isEqualTo("deployments.apps \"absent\" not found");
  }
}
