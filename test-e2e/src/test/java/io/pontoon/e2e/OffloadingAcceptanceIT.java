package io.pontoon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.ResourceSliceStatus;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.peering.offloading.OffloadingControllers;
import io.pontoon.vk.VirtualKubelet;
import io.pontoon.vk.VirtualKubeletConfig;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offloading end to end on two sandbox clusters, driven with kubectl and pontoon as a user
 * would: the agent's controllers on both sides (admin credentials stand in for the peering's
 * tenant credentials), the webhook at home, the virtual kubelet between them.
 */
class OffloadingAcceptanceIT {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  @TempDir static Path dir;
  static Clusters clusters;
  static Clusters.Member home;
  static Clusters.Member provider;
  static Kubectl kubectl;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    clusters = new Clusters(dir);
    home = clusters.add("home");
    provider = clusters.add("provider");
    // the peering's result, made by hand: the provider's ForeignCluster and credentials at home
    String tenant = PontoonNames.tenantNamespace(provider.identity().name());
    home.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(tenant).endMetadata()
        .build()).create();
    home.client().secrets().inNamespace(tenant).resource(new SecretBuilder().withNewMetadata()
        .withName(PontoonNames.PEER_CREDENTIALS_SECRET).endMetadata()
        .addToData(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
            Files.readString(provider.kubeconfig()).getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    ForeignCluster fc = new ForeignCluster();
    fc.getMetadata().setName(provider.identity().name());
    fc.getSpec().setClusterID(provider.identity().id());
    fc.getSpec().setClusterName(provider.identity().name());
    fc.getSpec().setOutgoingEnabled(true);
    home.client().resource(fc).create();
    provider.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName(PontoonNames.tenantNamespace(home.identity().name())).endMetadata().build()).create();

    clusters.closeLater(OffloadingControllers.providerSide(provider.client())).start();
    Vertx vertx = Vertx.vertx();
    clusters.<AutoCloseable>closeLater(() -> vertx.close().await());
    clusters.closeLater(OffloadingControllers.consumerSide(home.client(), home.identity(),
        OffloadingControllers.WebhookOptions.local("127.0.0.1", 0, vertx))).start();
    VirtualKubelet vk = clusters.closeLater(new VirtualKubelet(home.client(), provider.client(),
        VirtualKubeletConfig.of(home.identity(), provider.identity())
            .withTimings(VirtualKubeletConfig.Timings.fast())).start());
    node = vk.config().nodeName();
    kubectl = new Kubectl(home.kubeconfig());
    await().atMost(DEADLINE).until(() -> home.client().nodes().withName(node).get() != null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (clusters != null) clusters.close();
  }

  static void offload(String namespace, String strategy) {
    kubectl.ok("create", "namespace", namespace);
    PontoonCli.Result r = PontoonCli.run("--kubeconfig", home.kubeconfig().toString(), "offload", "namespace",
        namespace, "--strategy", strategy, "--wait", "--timeout", "60s");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
  }

  static List<Pod> homePods(String namespace) {
    return home.client().pods().inNamespace(namespace).list().getItems();
  }

  static boolean running(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
  }

  @Test
  void remoteDeploymentRunsOnTheProviderAndScalesAndDeletes() {
    offload("shop", "Remote");
    String twin = PontoonNames.defaultTwinNamespace("shop", home.identity().name());
    kubectl.ok("-n", "shop", "create", "deployment", "web", "--image=nginx", "--replicas=5");
    await().atMost(DEADLINE).untilAsserted(() -> {
      List<Pod> pods = homePods("shop");
      assertThat(pods).hasSize(5).allMatch(p -> node.equals(p.getSpec().getNodeName())).allMatch(OffloadingAcceptanceIT::running);
      List<Pod> remote = provider.client().pods().inNamespace(twin).list().getItems();
      assertThat(remote).hasSize(5).allMatch(OffloadingAcceptanceIT::running);
      assertThat(provider.client().resources(ShadowPod.class).inNamespace(twin).list().getItems()).hasSize(5);
      // home pods carry the remote IPs (no remap before the gateway assigns one)
      assertThat(pods).extracting(p -> p.getStatus().getPodIP())
          .containsExactlyInAnyOrderElementsOf(remote.stream().map(p -> p.getStatus().getPodIP()).toList());
    });
    // logs through the virtual kubelet: home API server → kubelet endpoint → remote pod
    String pod = homePods("shop").get(0).getMetadata().getName();
    Kubectl.Result logs = kubectl.run("-n", "shop", "logs", pod);
    assertThat(logs.exitCode()).as(logs.err()).isZero();

    kubectl.ok("-n", "shop", "scale", "deployment", "web", "--replicas=2");
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(homePods("shop")).hasSize(2);
      assertThat(provider.client().pods().inNamespace(twin).list().getItems()).hasSize(2);
      assertThat(provider.client().resources(ShadowPod.class).inNamespace(twin).list().getItems()).hasSize(2);
    });
    kubectl.ok("-n", "shop", "delete", "deployment", "web");
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(homePods("shop")).isEmpty();
      assertThat(provider.client().pods().inNamespace(twin).list().getItems()).isEmpty();
      assertThat(provider.client().resources(ShadowPod.class).inNamespace(twin).list().getItems()).isEmpty();
    });
  }

  @Test
  void localAndRemoteSpreadsAndLocalNeverUsesTheVirtualNode() {
    offload("mixed", "LocalAndRemote");
    kubectl.ok("-n", "mixed", "create", "deployment", "web", "--image=nginx", "--replicas=9");
    await().atMost(DEADLINE).untilAsserted(() -> {
      List<Pod> pods = homePods("mixed");
      assertThat(pods).hasSize(9).allMatch(OffloadingAcceptanceIT::running);
      assertThat(pods).anyMatch(p -> node.equals(p.getSpec().getNodeName()));
      assertThat(pods).anyMatch(p -> !node.equals(p.getSpec().getNodeName()));
    });
    offload("local", "Local");
    kubectl.ok("-n", "local", "create", "deployment", "web", "--image=nginx", "--replicas=6");
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(homePods("local")).hasSize(6)
        .allMatch(OffloadingAcceptanceIT::running).noneMatch(p -> node.equals(p.getSpec().getNodeName())));
    kubectl.ok("-n", "mixed", "delete", "deployment", "web");
    kubectl.ok("-n", "local", "delete", "deployment", "web");
    await().atMost(DEADLINE).until(() -> homePods("mixed").isEmpty() && homePods("local").isEmpty());
  }

  @Test
  void aProviderOverItsGrantSaysSo() {
    String tenantThere = PontoonNames.tenantNamespace(home.identity().name());
    ResourceSlice slice = new ResourceSlice();
    slice.getMetadata().setName("grant");
    slice.getMetadata().setNamespace(tenantThere);
    slice.getSpec().setConsumerClusterID(home.identity().id());
    slice.getSpec().setProviderClusterID(provider.identity().id());
    slice.getSpec().setResources(Map.of("pods", new Quantity("2")));
    slice = provider.client().resource(slice).create();
    ResourceSliceStatus granted = new ResourceSliceStatus();
    granted.setResources(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("2")));
    slice.setStatus(granted);
    provider.client().resource(slice).updateStatus();
    try {
      offload("quota", "Remote");
      kubectl.ok("-n", "quota", "create", "deployment", "web", "--image=nginx", "--replicas=2");
      await().atMost(DEADLINE).until(() -> homePods("quota").stream().filter(OffloadingAcceptanceIT::running).count() == 2);
      // pods beyond the grant: the virtual node's capacity stops the scheduler, or the provider refuses
      kubectl.ok("-n", "quota", "scale", "deployment", "web", "--replicas=4");
      await().atMost(DEADLINE).untilAsserted(() -> {
        List<Pod> pending = homePods("quota").stream().filter(p -> !running(p)).toList();
        assertThat(pending).hasSize(2);
        assertThat(pending).allSatisfy(p -> assertThat(p.getStatus().getConditions().toString() + p.getStatus().getMessage())
            .containsAnyOf("Too many pods", "QuotaExceeded", "Insufficient"));
      });
    } finally {
      provider.client().resources(ResourceSlice.class).inNamespace(tenantThere).withName("grant").delete();
    }
  }
}
