package io.pontoon.peering.offloading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.api.v1alpha1.TwinNamespace;
import io.pontoon.api.v1alpha1.TwinNamespacePhase;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provider's TwinNamespace controller against a sandbox API server that enforces RBAC. */
class TwinNamespaceControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String CONSUMER = "consumer";
  private static final String CONSUMER_ID = UUID.randomUUID().toString();
  private static final String TENANT = PontoonNames.tenantNamespace(CONSUMER);
  static SandboxApiServer server;
  static KubernetesClient admin;
  static TwinNamespaceController controller;

  @BeforeAll
  static void start() {
    server = SandboxApiServer.start(SandboxApiServer.Options.defaults("provider"));
    admin = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(admin, Duration.ofSeconds(30));
    Fixtures.namespace(admin, TENANT);
    controller = new TwinNamespaceController(admin);
    controller.start();
  }

  @AfterAll
  static void stop() {
    if (controller != null) controller.close();
    if (admin != null) admin.close();
    if (server != null) server.close();
  }

  static TwinNamespace request(String tenant, String name, String originId, String originName) {
    TwinNamespace t = new TwinNamespace();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(tenant);
    t.getSpec().setOriginClusterID(originId);
    t.getSpec().setOriginClusterName(originName);
    t.getSpec().setHomeNamespace("apps");
    return admin.resources(TwinNamespace.class).inNamespace(tenant).resource(t).create();
  }

  static TwinNamespace get(String tenant, String name) {
    return admin.resources(TwinNamespace.class).inNamespace(tenant).withName(name).get();
  }

  private static boolean allowed(String namespace, String group, String resource, String subresource, String verb) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(PontoonNames.tenantUser(CONSUMER_ID))
        .withNewResourceAttributes().withNamespace(namespace).withGroup(group).withResource(resource)
        .withSubresource(subresource).withVerb(verb).endResourceAttributes().endSpec().build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }

  @Test
  void createsTheNamespaceAndBindsOnlyTheConsumerToShadowPodsAndReflectedKinds() {
    request(TENANT, "apps-consumer", CONSUMER_ID, CONSUMER);

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      TwinNamespace t = get(TENANT, "apps-consumer");
      assertThat(t.getStatus().getPhase()).isEqualTo(TwinNamespacePhase.Ready);
      assertThat(Conditions.isTrue(t.getStatus().getConditions(), ConditionTypes.READY)).isTrue();
      assertThat(t.getMetadata().getFinalizers()).contains(PontoonNames.FINALIZER_TWIN_NAMESPACE);
    });
    Namespace ns = admin.namespaces().withName("apps-consumer").get();
    assertThat(ns.getMetadata().getLabels())
        .containsEntry(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TWIN_NAMESPACE)
        .containsEntry(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, CONSUMER_ID);

    String twin = "apps-consumer";
    String g = PontoonNames.GROUP;
    for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
      assertThat(allowed(twin, g, "shadowpods", "", verb)).as("shadowpods " + verb).isTrue();
      assertThat(allowed(twin, "", "configmaps", "", verb)).as("configmaps " + verb).isTrue();
      assertThat(allowed(twin, "", "secrets", "", verb)).as("secrets " + verb).isTrue();
      assertThat(allowed(twin, "", "services", "", verb)).as("services " + verb).isTrue();
      assertThat(allowed(twin, "discovery.k8s.io", "endpointslices", "", verb)).as("endpointslices " + verb).isTrue();
    }
    assertThat(allowed(twin, g, "shadowpods", "status", "get")).isTrue();
    assertThat(allowed(twin, g, "shadowpods", "status", "update")).isFalse();
    assertThat(allowed(twin, "", "pods", "log", "get")).isTrue();
    for (String verb : List.of("get", "list", "create", "delete")) {
      assertThat(allowed(twin, "", "pods", "", verb)).as("pods " + verb).isFalse();
    }
    assertThat(allowed(twin, "rbac.authorization.k8s.io", "roles", "", "create")).isFalse();
    assertThat(allowed(twin, "", "serviceaccounts", "", "create")).isFalse();
    assertThat(allowed("default", g, "shadowpods", "", "create")).isFalse();
    assertThat(allowed("", "", "namespaces", "", "create")).isFalse();

    // The same rights through a real request with the tenant's own credentials.
    try (KubernetesClient tenant = new KubernetesClientBuilder()
        .withConfig(server.configFor(PontoonNames.tenantUser(CONSUMER_ID), List.of())).build()) {
      ShadowPod sp = Fixtures.shadowPod(twin, "web", CONSUMER_ID, CONSUMER, Fixtures.server("10m"));
      assertThat(tenant.resources(ShadowPod.class).inNamespace(twin).resource(sp).create()).isNotNull();
      assertThatThrownBy(() -> tenant.pods().inNamespace(twin).resource(new PodBuilder().withNewMetadata()
          .withName("direct").endMetadata().withSpec(Fixtures.server("10m")).build()).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void aNamespaceThatIsNotTheOriginsIsAConflict() {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("taken").endMetadata().build()).create();
    request(TENANT, "taken", CONSUMER_ID, CONSUMER);

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      TwinNamespace t = get(TENANT, "taken");
      assertThat(t.getStatus().getPhase()).isEqualTo(TwinNamespacePhase.Failed);
      assertThat(Conditions.find(t.getStatus().getConditions(), ConditionTypes.READY)).hasValueSatisfying(c -> {
        assertThat(c.getReason()).isEqualTo(PontoonNames.Reasons.NAMESPACE_CONFLICT);
        assertThat(c.getMessage()).contains("taken").contains("already exists");
      });
    });
    assertThat(admin.rbac().roleBindings().inNamespace("taken").withName(TenantRole.NAME).get()).isNull();

    // Deleting the refused request leaves the other owner's namespace alone.
    admin.resources(TwinNamespace.class).inNamespace(TENANT).withName("taken").delete();
    await().atMost(DEADLINE).ignoreExceptions().until(() -> get(TENANT, "taken") == null);
    assertThat(admin.namespaces().withName("taken").get()).isNotNull();
  }

  @Test
  void aRequestOutsideTheOriginsTenantNamespaceIsRefused() {
    Fixtures.namespace(admin, PontoonNames.tenantNamespace("other"));
    request(PontoonNames.tenantNamespace("other"), "sneaky", CONSUMER_ID, CONSUMER);

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      TwinNamespace t = get(PontoonNames.tenantNamespace("other"), "sneaky");
      assertThat(t.getStatus().getPhase()).isEqualTo(TwinNamespacePhase.Failed);
      assertThat(Conditions.find(t.getStatus().getConditions(), ConditionTypes.READY))
          .hasValueSatisfying(c -> assertThat(c.getMessage()).contains("must live in its tenant namespace " + TENANT));
    });
    assertThat(admin.namespaces().withName("sneaky").get()).isNull();
  }

  @Test
  void deletingTheRequestDeletesTheNamespaceThenReleasesIt() {
    request(TENANT, "gone-consumer", CONSUMER_ID, CONSUMER);
    await().atMost(DEADLINE).ignoreExceptions().until(() -> {
      TwinNamespace t = get(TENANT, "gone-consumer");
      return t.getStatus() != null && t.getStatus().getPhase() == TwinNamespacePhase.Ready;
    });
    admin.configMaps().inNamespace("gone-consumer").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("content").endMetadata().build()).create();

    admin.resources(TwinNamespace.class).inNamespace(TENANT).withName("gone-consumer").delete();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(admin.namespaces().withName("gone-consumer").get()).isNull();
      assertThat(get(TENANT, "gone-consumer")).isNull();
    });
  }
}
