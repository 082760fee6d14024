package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 10: CustomResourceDefinitions registered at run time, used through fabric8's generic API. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Fabric8CustomResourceIT {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [size]
                  properties:
                    size: {type: integer, minimum: 1}
                    color: {type: string, enum: [red, blue], default: red}
                    tags: {type: array, items: {type: string}}
                status:
                  type: object
                  properties:
                    ready: {type: boolean}
      """;
  private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
      .withGroup("example.com").withVersion("v1").withPlural("widgets").withKind("Widget").withNamespaced(true)
      .build();
  private KubernetesClient client;

  @BeforeAll
  void setUp(SandboxApiServer server) {
    client = admin(server);
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).create();
    await().atMost(DEADLINE).until(() -> client.apiextensions().v1().customResourceDefinitions()
        .withName(crd.getMetadata().getName()).get().getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
  }

  @AfterAll
  void tearDown() {
    client.close();
  }

  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> widgets() {
    return client.genericKubernetesResources(WIDGETS);
  }

  private static GenericKubernetesResource widget(String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
        .withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .addToAdditionalProperties("spec", spec).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @Test
  @Order(1)
  void customResourcesAreServedPrunedAndDefaulted() {
    GenericKubernetesResource created = widgets().inNamespace("default").resource(widget("w1",
        Map.of("size", 3, "unknownField", "dropped"))).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(spec(created)).containsEntry("size", 3).containsEntry("color", "red").doesNotContainKey("unknownField");
    GenericKubernetesResource read = widgets().inNamespace("default").withName("w1").get();
    assertThat(spec(read)).doesNotContainKey("unknownField");
    // the generic API finds the kind through discovery too
    assertThat(client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("default").list().getItems())
        .extracting(r -> r.getMetadata().getName()).contains("w1");
  }

  @Test
  @Order(2)
  void schemaViolationsAre422WithFieldCauses() {
    Status wrongType = expectStatus(422, "Invalid", () -> widgets().inNamespace("default")
        .resource(widget("bad-type", Map.of("size", "big"))).create());
    assertThat(wrongType.getDetails().getKind()).isEqualTo("Widget");
    assertThat(wrongType.getDetails().getGroup()).isEqualTo("example.com");
    assertThat(wrongType.getMessage()).startsWith("Widget.example.com \"bad-type\" is invalid: spec.size: ");
    assertThat(wrongType.getDetails().getCauses()).extracting(StatusCause::getReason, StatusCause::getField)
        .contains(Tuple.tuple("FieldValueTypeInvalid", "spec.size"));
    Status missing = expectStatus(422, "Invalid", () -> widgets().inNamespace("default")
        .resource(widget("bad-missing", Map.of("color", "blue"))).create());
    assertThat(missing.getDetails().getCauses()).extracting(StatusCause::getReason, StatusCause::getField)
        .contains(Tuple.tuple("FieldValueRequired", "spec.size"));
    Status enumAndMin = expectStatus(422, "Invalid", () -> widgets().inNamespace("default")
        .resource(widget("bad-values", Map.of("size", 0, "color", "green"))).create());
    assertThat(enumAndMin.getDetails().getCauses()).extracting(StatusCause::getReason, StatusCause::getField)
        .contains(Tuple.tuple("FieldValueNotSupported", "spec.color"), Tuple.tuple("FieldValueInvalid", "spec.size"));
  }

  @Test
  @Order(3)
  void statusSubresourceIsSeparate() {
    widgets().inNamespace("default").resource(widget("w2", Map.of("size", 1))).create();
    GenericKubernetesResource r = widgets().inNamespace("default").withName("w2").get();
    r.getAdditionalProperties().put("status", Map.of("ready", true));
    r.getAdditionalProperties().put("spec", Map.of("size", 2));
    GenericKubernetesResource afterMain = widgets().inNamespace("default").resource(r).update();
    assertThat(afterMain.getAdditionalProperties()).doesNotContainKey("status");
    assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(2L);
    afterMain.getAdditionalProperties().put("status", Map.of("ready", true));
    afterMain.getAdditionalProperties().put("spec", Map.of("size", 7));
    GenericKubernetesResource afterStatus = widgets().inNamespace("default").resource(afterMain).updateStatus();
    assertThat(afterStatus.getAdditionalProperties().get("status")).isEqualTo(Map.of("ready", true));
    assertThat(spec(afterStatus)).containsEntry("size", 2);
    assertThat(afterStatus.getMetadata().getGeneration()).as("status writes do not bump generation").isEqualTo(2L);
  }

  @Test
  @Order(4)
  void deletingTheDefinitionDeletesItsObjects() {
    assertThat(widgets().inNamespace("default").list().getItems()).isNotEmpty();
    client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").delete();
    await().atMost(DEADLINE).until(() -> client.apiextensions().v1().customResourceDefinitions()
        .withName("widgets.example.com").get() == null);
    Status gone = expectStatus(404, "NotFound", () -> widgets().inNamespace("default").list());
    assertThat(gone.getMessage()).isEqualTo("the server could not find the requested resource");
    // a new definition of the same name starts empty
    client.apiextensions().v1().customResourceDefinitions()
        .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).create();
    await().atMost(DEADLINE).ignoreExceptions().until(() -> widgets().inNamespace("default").list().getItems()
        .isEmpty());
  }
}
