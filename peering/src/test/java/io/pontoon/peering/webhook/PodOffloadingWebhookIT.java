package io.pontoon.peering.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import io.pontoon.peering.offloading.NamespaceOffloadingController;
import io.pontoon.peering.offloading.OffloadingControllers;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook as the API server calls it: registered by the consumer side's wiring, reached over
 * HTTPS with the generated CA bundle, its JSONPatch applied to pods created through the API.
 */
class PodOffloadingWebhookIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  static SandboxApiServer server;
  static KubernetesClient client;
  static OffloadingControllers.Component consumer;

  @BeforeAll
  static void start() {
    server = SandboxApiServer.start(SandboxApiServer.Options.defaults("home"));
    client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(client, Duration.ofSeconds(30));
    consumer = OffloadingControllers.consumerSide(client, new ClusterIdentity(UUID.randomUUID().toString(), "home"),
        OffloadingControllers.WebhookOptions.local("127.0.0.1", 0, null));
    consumer.start();
  }

  @AfterAll
  static void stop() {
    if (consumer != null) consumer.close();
    if (client != null) client.close();
    if (server != null) server.close();
  }

  static void offload(String ns, PodOffloadingStrategy strategy, NodeSelectorTerm selector) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    NamespaceOffloading o = new NamespaceOffloading();
    o.getMetadata().setName(PontoonNames.NAMESPACE_OFFLOADING_NAME);
    o.getMetadata().setNamespace(ns);
    o.getSpec().setPodOffloadingStrategy(strategy);
    o.getSpec().setClusterSelector(selector);
    client.resources(NamespaceOffloading.class).inNamespace(ns).resource(o).create();
    await().atMost(DEADLINE).ignoreExceptions().until(() -> strategy.name().equals(client.namespaces().withName(ns).get()
        .getMetadata().getLabels().get(NamespaceOffloadingController.LABEL_OFFLOADING)));
  }

  static PodBuilder pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx").endContainer().endSpec();
  }

  /** Creates the pod once the webhook's cache knows the namespace (a dry run shows it). */
  static Pod create(String ns, Pod pod, java.util.function.Predicate<Pod> mutated) {
    await().atMost(DEADLINE).ignoreExceptions().until(() -> mutated.test(client.pods().inNamespace(ns).resource(pod).dryRun().create()));
    return client.pods().inNamespace(ns).resource(pod).create();
  }

  static boolean tolerates(Pod p, String key) {
    return p.getSpec().getTolerations().stream().anyMatch(t -> key.equals(t.getKey()));
  }

  @Test
  void registersTheConfigurationWithItsCaBundle() {
    MutatingWebhookConfiguration c = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName(WebhookRegistrar.NAME).get();
    assertThat(c.getWebhooks()).singleElement().satisfies(w -> {
      assertThat(w.getClientConfig().getCaBundle()).isNotBlank();
      assertThat(w.getClientConfig().getUrl()).startsWith("https://127.0.0.1:").endsWith(PodOffloadingWebhook.PATH);
      assertThat(w.getFailurePolicy()).isEqualTo("Fail");
      assertThat(w.getNamespaceSelector().getMatchExpressions()).singleElement()
          .satisfies(e -> assertThat(e.getKey()).isEqualTo(NamespaceOffloadingController.LABEL_OFFLOADING));
    });
  }

  @Test
  void remotePodsGetVirtualNodeAffinityMergedWithTheirOwnAndUnboundedNodeFailureTolerations() {
    NodeSelectorTerm selector = new NodeSelectorTermBuilder().addNewMatchExpression().withKey("region")
        .withOperator("In").withValues("eu").endMatchExpression().build();
    offload("remote-ns", PodOffloadingStrategy.Remote, selector);
    Pod pod = pod("r1").editSpec()
        .addNewToleration().withKey("dedicated").withOperator("Equal").withValue("gpu").withEffect("NoSchedule").endToleration()
        .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("disk").withOperator("In").withValues("ssd")
        .endMatchExpression().endNodeSelectorTerm()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("disk").withOperator("In").withValues("nvme")
        .endMatchExpression().endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
        .endSpec().build();

    Pod created = create("remote-ns", pod, p -> tolerates(p, PontoonNames.VIRTUAL_NODE_TAINT_KEY));

    List<Toleration> tolerations = created.getSpec().getTolerations();
    assertThat(tolerations).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(tolerations).filteredOn(t -> PontoonNames.VIRTUAL_NODE_TAINT_KEY.equals(t.getKey())).hasSize(1);
    for (String key : List.of(PodMutation.UNREACHABLE, PodMutation.NOT_READY)) {
      assertThat(tolerations).filteredOn(t -> key.equals(t.getKey()) && "NoExecute".equals(t.getEffect()))
          .singleElement().satisfies(t -> assertThat(t.getTolerationSeconds()).isNull());
    }
    List<NodeSelectorTerm> terms = created.getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    assertThat(terms).hasSize(2).allSatisfy(t -> assertThat(t.getMatchExpressions())
        .extracting(NodeSelectorRequirement::getKey)
        .containsExactly("disk", PontoonNames.LABEL_TYPE, "region"));
    assertThat(terms.get(0).getMatchExpressions().get(1).getOperator()).isEqualTo("In");
    assertThat(terms.get(0).getMatchExpressions().get(1).getValues()).containsExactly(PontoonNames.TYPE_VIRTUAL_NODE);
  }

  @Test
  void localPodsAreKeptOffVirtualNodes() {
    offload("local-ns", PodOffloadingStrategy.Local, null);
    Pod created = create("local-ns", pod("l1").build(), p -> p.getSpec().getAffinity() != null);
    assertThat(created.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()).singleElement().satisfies(t -> assertThat(t.getMatchExpressions()).singleElement()
            .satisfies(e -> {
              assertThat(e.getKey()).isEqualTo(PontoonNames.LABEL_TYPE);
              assertThat(e.getOperator()).isEqualTo("NotIn");
            }));
    assertThat(created.getSpec().getTolerations() == null || !tolerates(created, PontoonNames.VIRTUAL_NODE_TAINT_KEY)).isTrue();
  }

  @Test
  void localAndRemotePodsOnlyTolerateTheVirtualNode() {
    offload("both-ns", PodOffloadingStrategy.LocalAndRemote, null);
    Pod created = create("both-ns", pod("b1").build(), p -> p.getSpec().getTolerations() != null
        && tolerates(p, PontoonNames.VIRTUAL_NODE_TAINT_KEY));
    assertThat(created.getSpec().getAffinity()).isNull();
    assertThat(created.getSpec().getTolerations()).noneSatisfy(t -> {
      assertThat(t.getKey()).isEqualTo(PodMutation.UNREACHABLE);
      assertThat(t.getTolerationSeconds()).isNull();
    });
  }

  @Test
  void podsOfOtherNamespacesAreUntouched() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("plain-ns").endMetadata().build()).create();
    Pod created = client.pods().inNamespace("plain-ns").resource(pod("p1").build()).create();
    assertThat(created.getSpec().getAffinity()).isNull();
    assertThat(created.getSpec().getTolerations() == null || !tolerates(created, PontoonNames.VIRTUAL_NODE_TAINT_KEY)).isTrue();
  }
}
