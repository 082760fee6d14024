package io.pontoon.peering.offloading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.OffloadingPhase;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import io.pontoon.api.v1alpha1.TwinNamespace;
import io.pontoon.api.v1alpha1.TwinNamespacePhase;
import io.pontoon.api.v1alpha1.TwinNamespaceStatus;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The consumer's NamespaceOffloading controller against three sandbox API servers: the consumer
 * ("home") and two providers running the TwinNamespace controller. Admin kubeconfigs stand in for
 * the tenant credentials peering will issue.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceOffloadingControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  static final ClusterIdentity HOME = new ClusterIdentity(UUID.randomUUID().toString(), "home");
  static SandboxApiServer home;
  static KubernetesClient homeClient;
  static final List<Provider> providers = new ArrayList<>();
  static NamespaceOffloadingController controller;
  static final List<AutoCloseable> closeables = new ArrayList<>();

  record Provider(String name, String id, SandboxApiServer server, KubernetesClient client) {}

  @BeforeAll
  static void start() {
    home = SandboxApiServer.start(SandboxApiServer.Options.defaults("home"));
    homeClient = new KubernetesClientBuilder().withConfig(home.adminConfig()).build();
    Crds.install(homeClient, Duration.ofSeconds(30));
    providers.add(provider("bravo", Map.of("region", "us")));
    providers.add(provider("charlie", Map.of("region", "eu")));
    controller = new NamespaceOffloadingController(homeClient, HOME);
    controller.start();
  }

  static Provider provider(String name, Map<String, String> nodeLabels) {
    SandboxApiServer server = SandboxApiServer.start(SandboxApiServer.Options.defaults(name));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(client, Duration.ofSeconds(30));
    Fixtures.namespace(client, PontoonNames.tenantNamespace(HOME.name()));
    TwinNamespaceController twins = new TwinNamespaceController(client);
    twins.start();
    closeables.add(twins);
    String id = UUID.randomUUID().toString();
    peer(name, id, server.adminKubeconfig(), nodeLabels);
    return new Provider(name, id, server, client);
  }

  /** What peering leaves on the consumer: ForeignCluster, credentials Secret, virtual node. */
  static void peer(String name, String id, String kubeconfig, Map<String, String> nodeLabels) {
    ForeignCluster fc = new ForeignCluster();
    fc.getMetadata().setName(name);
    fc.getSpec().setClusterID(id);
    fc.getSpec().setClusterName(name);
    fc.getSpec().setOutgoingEnabled(true);
    homeClient.resources(ForeignCluster.class).resource(fc).create();
    String tenant = PontoonNames.tenantNamespace(name);
    Fixtures.namespace(homeClient, tenant);
    homeClient.secrets().inNamespace(tenant).resource(new SecretBuilder().withNewMetadata()
        .withName(PontoonNames.PEER_CREDENTIALS_SECRET).endMetadata()
        .addToData(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY,
            Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    homeClient.nodes().resource(new NodeBuilder().withNewMetadata().withName(PontoonNames.virtualNodeName(name))
        .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE)
        .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, id)
        .addToLabels(nodeLabels).endMetadata().build()).create();
  }

  @AfterAll
  static void stop() throws Exception {
    if (controller != null) controller.close();
    for (AutoCloseable c : closeables) c.close();
    for (Provider p : providers) {
      p.client().close();
      p.server().close();
    }
    if (homeClient != null) homeClient.close();
    if (home != null) home.close();
  }

  static NamespaceOffloading offload(String ns, NamespaceMappingStrategy mapping, String selected,
      io.fabric8.kubernetes.api.model.NodeSelectorTerm selector) {
    Fixtures.namespace(homeClient, ns);
    NamespaceOffloading o = new NamespaceOffloading();
    o.getMetadata().setName(PontoonNames.NAMESPACE_OFFLOADING_NAME);
    o.getMetadata().setNamespace(ns);
    o.getSpec().setNamespaceMappingStrategy(mapping);
    o.getSpec().setSelectedNamespaceName(selected);
    o.getSpec().setPodOffloadingStrategy(PodOffloadingStrategy.Remote);
    o.getSpec().setClusterSelector(selector);
    return homeClient.resources(NamespaceOffloading.class).inNamespace(ns).resource(o).create();
  }

  static NamespaceOffloading get(String ns) {
    return homeClient.resources(NamespaceOffloading.class).inNamespace(ns).withName(PontoonNames.NAMESPACE_OFFLOADING_NAME).get();
  }

  static TwinNamespace twin(Provider p, String name) {
    return p.client().resources(TwinNamespace.class).inNamespace(PontoonNames.tenantNamespace(HOME.name())).withName(name).get();
  }

  static boolean namespaceExists(Provider p, String name) {
    return p.client().namespaces().withName(name).get() != null;
  }

  static io.fabric8.kubernetes.api.model.NodeSelectorTerm region(String value) {
    return new NodeSelectorTermBuilder().addNewMatchExpression().withKey("region").withOperator("In")
        .withValues(value).endMatchExpression().build();
  }

  @Test
  @Order(1)
  void defaultNameOnEveryProviderThenUnoffloadRemovesThem() {
    offload("apps", NamespaceMappingStrategy.DefaultName, null, null);

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading o = get("apps");
      assertThat(o.getStatus().getPhase()).isEqualTo(OffloadingPhase.Ready);
      assertThat(o.getStatus().getRemoteNamespaceName()).isEqualTo("apps-home");
      assertThat(o.getStatus().getClusters()).extracting(TwinNamespaceStatus::getClusterName)
          .containsExactly("bravo", "charlie");
      assertThat(o.getStatus().getClusters()).allSatisfy(c -> {
        assertThat(c.getPhase()).isEqualTo(TwinNamespacePhase.Ready);
        assertThat(c.getNamespace()).isEqualTo("apps-home");
      });
      assertThat(Conditions.isTrue(o.getStatus().getConditions(), ConditionTypes.READY)).isTrue();
    });
    for (Provider p : providers) {
      assertThat(namespaceExists(p, "apps-home")).as(p.name()).isTrue();
      assertThat(twin(p, "apps-home").getSpec().getOriginClusterID()).isEqualTo(HOME.id());
    }
    assertThat(homeClient.namespaces().withName("apps").get().getMetadata().getLabels())
        .containsEntry(NamespaceOffloadingController.LABEL_OFFLOADING, "Remote");

    homeClient.resources(NamespaceOffloading.class).inNamespace("apps").withName(PontoonNames.NAMESPACE_OFFLOADING_NAME).delete();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(get("apps")).isNull();
      for (Provider p : providers) {
        assertThat(twin(p, "apps-home")).isNull();
        assertThat(namespaceExists(p, "apps-home")).isFalse();
      }
      assertThat(homeClient.namespaces().withName("apps").get().getMetadata().getLabels())
          .doesNotContainKey(NamespaceOffloadingController.LABEL_OFFLOADING);
    });
  }

  @Test
  @Order(2)
  void enforceSameNameOnlyWhereTheSelectorPointsAndFollowsItsChanges() {
    offload("web", NamespaceMappingStrategy.EnforceSameName, null, region("eu"));
    Provider bravo = providers.get(0);
    Provider charlie = providers.get(1);

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading o = get("web");
      assertThat(o.getStatus().getPhase()).isEqualTo(OffloadingPhase.Ready);
      assertThat(o.getStatus().getClusters()).singleElement().satisfies(c -> {
        assertThat(c.getClusterName()).isEqualTo("charlie");
        assertThat(c.getClusterID()).isEqualTo(charlie.id());
        assertThat(c.getNamespace()).isEqualTo("web");
      });
      assertThat(namespaceExists(charlie, "web")).isTrue();
    });
    assertThat(twin(bravo, "web")).isNull();

    NamespaceOffloading o = get("web");
    o.getSpec().setClusterSelector(region("us"));
    homeClient.resources(NamespaceOffloading.class).inNamespace("web").resource(o).update();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading now = get("web");
      assertThat(now.getStatus().getPhase()).isEqualTo(OffloadingPhase.Ready);
      assertThat(now.getStatus().getClusters()).extracting(TwinNamespaceStatus::getClusterName).containsExactly("bravo");
      assertThat(namespaceExists(bravo, "web")).isTrue();
      assertThat(namespaceExists(charlie, "web")).isFalse();
      assertThat(twin(charlie, "web")).isNull();
    });
  }

  @Test
  @Order(3)
  void selectedNameAndASelectorMatchingNothing() {
    offload("shop", NamespaceMappingStrategy.SelectedName, "chosen-one", null);
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(get("shop").getStatus().getPhase()).isEqualTo(OffloadingPhase.Ready);
      assertThat(get("shop").getStatus().getRemoteNamespaceName()).isEqualTo("chosen-one");
      for (Provider p : providers) {
        assertThat(namespaceExists(p, "chosen-one")).isTrue();
      }
    });

    offload("nowhere", NamespaceMappingStrategy.DefaultName, null, region("mars"));
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading o = get("nowhere");
      assertThat(o.getStatus().getPhase()).isEqualTo(OffloadingPhase.NoClusterSelected);
      assertThat(Conditions.find(o.getStatus().getConditions(), ConditionTypes.READY))
          .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(PontoonNames.Reasons.NO_CLUSTER_SELECTED));
    });
  }

  @Test
  @Order(4)
  void enabledLabelMakesADefaultOffloadingAndRemovingItUnoffloads() {
    homeClient.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("labelled").addToLabels(PontoonNames.LABEL_ENABLED, "true").endMetadata().build()).create();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading o = get("labelled");
      assertThat(o.getSpec().getNamespaceMappingStrategy()).isEqualTo(NamespaceMappingStrategy.DefaultName);
      assertThat(o.getSpec().getPodOffloadingStrategy()).isEqualTo(PodOffloadingStrategy.LocalAndRemote);
      assertThat(o.getStatus().getPhase()).isEqualTo(OffloadingPhase.Ready);
      for (Provider p : providers) {
        assertThat(namespaceExists(p, "labelled-home")).isTrue();
      }
    });

    homeClient.namespaces().withName("labelled").edit(n -> {
      n.getMetadata().getLabels().remove(PontoonNames.LABEL_ENABLED);
      return n;
    });

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(get("labelled")).isNull();
      for (Provider p : providers) {
        assertThat(namespaceExists(p, "labelled-home")).isFalse();
      }
    });
  }

  @Test
  @Order(5)
  void anUnreachableProviderIsNamedInTheStatusWhileTheOthersAreReady() {
    SandboxApiServer gone = SandboxApiServer.start(SandboxApiServer.Options.defaults("delta"));
    String kubeconfig = gone.adminKubeconfig();
    gone.close();
    peer("delta", UUID.randomUUID().toString(), kubeconfig, Map.of("region", "moon"));

    offload("partial", NamespaceMappingStrategy.DefaultName, null, null);

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading o = get("partial");
      assertThat(o.getStatus().getPhase()).isEqualTo(OffloadingPhase.SomeFailed);
      assertThat(o.getStatus().getClusters()).hasSize(3);
      assertThat(o.getStatus().getClusters()).filteredOn(c -> "delta".equals(c.getClusterName())).singleElement()
          .satisfies(c -> {
            assertThat(c.getPhase()).isEqualTo(TwinNamespacePhase.Failed);
            assertThat(c.getMessage()).startsWith(PontoonNames.Reasons.API_SERVER_UNREACHABLE);
          });
      assertThat(o.getStatus().getClusters()).filteredOn(c -> !"delta".equals(c.getClusterName()))
          .allSatisfy(c -> assertThat(c.getPhase()).isEqualTo(TwinNamespacePhase.Ready));
      assertThat(Conditions.find(o.getStatus().getConditions(), ConditionTypes.READY)).hasValueSatisfying(c -> {
        assertThat(c.getReason()).isEqualTo(PontoonNames.Reasons.API_SERVER_UNREACHABLE);
        assertThat(c.getMessage()).contains("delta");
      });
    });

    // Unpeering delta (its ForeignCluster goes) lets the unoffload finish instead of waiting forever.
    homeClient.resources(NamespaceOffloading.class).inNamespace("partial").withName(PontoonNames.NAMESPACE_OFFLOADING_NAME).delete();
    homeClient.resources(ForeignCluster.class).withName("delta").delete();
    homeClient.nodes().withName(PontoonNames.virtualNodeName("delta")).delete();
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(get("partial")).isNull();
      for (Provider p : providers) {
        assertThat(namespaceExists(p, "partial-home")).isFalse();
      }
    });
  }
  @Test
  @Order(6)
  void withTenantCredentialsOnlyTheTenantRoleIsNeeded() {
    SandboxApiServer server = SandboxApiServer.start(SandboxApiServer.Options.defaults("echo"));
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(admin, Duration.ofSeconds(30));
    String tenant = PontoonNames.tenantNamespace(HOME.name());
    Fixtures.namespace(admin, tenant);
    // What peering grants the consumer in its tenant namespace, and nothing else.
    admin.rbac().roles().inNamespace(tenant).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
        .withNewMetadata().withName("tenant").endMetadata()
        .addNewRule().withApiGroups(PontoonNames.GROUP).withResources("twinnamespaces")
        .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
        .addNewRule().withApiGroups(PontoonNames.GROUP).withResources("twinnamespaces/status").withVerbs("get").endRule()
        .build()).create();
    admin.rbac().roleBindings().inNamespace(tenant).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
        .withNewMetadata().withName("tenant").endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "tenant")
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName(PontoonNames.tenantUser(HOME.id())).endSubject().build()).create();
    TwinNamespaceController twins = new TwinNamespaceController(admin);
    twins.start();
    closeables.add(twins);
    Provider echo = new Provider("echo", UUID.randomUUID().toString(), server, admin);
    providers.add(echo);
    peer("echo", echo.id(), server.kubeconfigFor(PontoonNames.tenantUser(HOME.id()), List.of()), Map.of("region", "ap"));

    offload("tenant-creds", NamespaceMappingStrategy.DefaultName, null, region("ap"));

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      NamespaceOffloading o = get("tenant-creds");
      assertThat(o.getStatus().getPhase()).isEqualTo(OffloadingPhase.Ready);
      assertThat(o.getStatus().getClusters()).singleElement()
          .satisfies(c -> assertThat(c.getClusterName()).isEqualTo("echo"));
      assertThat(namespaceExists(echo, "tenant-creds-home")).isTrue();
    });
    // The twin namespace's binding lets the same credentials write ShadowPods there, as the virtual kubelet does.
    try (KubernetesClient asTenant = new KubernetesClientBuilder()
        .withConfig(server.configFor(PontoonNames.tenantUser(HOME.id()), List.of())).build()) {
      asTenant.resources(io.pontoon.api.v1alpha1.ShadowPod.class).inNamespace("tenant-creds-home")
          .resource(Fixtures.shadowPod("tenant-creds-home", "web", HOME.id(), HOME.name(), Fixtures.server("10m"))).create();
    }

    homeClient.resources(NamespaceOffloading.class).inNamespace("tenant-creds").withName(PontoonNames.NAMESPACE_OFFLOADING_NAME).delete();
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(get("tenant-creds")).isNull();
      assertThat(namespaceExists(echo, "tenant-creds-home")).isFalse();
    });
  }
}
