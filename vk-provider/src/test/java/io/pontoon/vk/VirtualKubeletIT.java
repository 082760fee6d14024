package io.pontoon.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ClusterNetwork;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.ResourceSliceStatus;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.api.v1alpha1.ShadowPodStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The virtual kubelet between two sandbox clusters. The provider's ShadowPod controller is
 * played by the test where needed (it writes ShadowPod status as that controller would); the
 * whole chain with the real controller is in test-e2e.
 */
class VirtualKubeletIT {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static TwoClusters clusters;
  static VirtualKubelet vk;

  @BeforeAll
  static void start() throws Exception {
    clusters = new TwoClusters();
    vk = clusters.startVirtualKubelet();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clusters != null) clusters.close();
  }

  Node node() {
    return clusters.home.client().nodes().withName(clusters.nodeName()).get();
  }

  static String ready(Node n) {
    return n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .map(NodeCondition::getStatus).findFirst().orElse(null);
  }

  @Test
  void registersTheVirtualNodeWithItsLabelsTaintAddressAndLease() {
    await().atMost(DEADLINE).until(() -> node() != null && "True".equals(ready(node())));
    Node n = node();
    assertThat(n.getMetadata().getLabels())
        .containsEntry(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE)
        .containsEntry(PontoonNames.LABEL_REMOTE_CLUSTER_ID, clusters.providerId.id())
        .containsEntry("type", "virtual-kubelet")
        .containsEntry("kubernetes.io/role", "agent");
    assertThat(n.getSpec().getTaints()).anySatisfy(t -> {
      assertThat(t.getKey()).isEqualTo(PontoonNames.VIRTUAL_NODE_TAINT_KEY);
      assertThat(t.getEffect()).isEqualTo("NoExecute");
    });
    assertThat(n.getStatus().getAddresses()).anySatisfy(a -> assertThat(a.getType()).isEqualTo("InternalIP"));
    assertThat(n.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(vk.kubeletPort());
    assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isNotBlank();
    // 2 provider nodes of 8 CPU and 110 pods, half of it shared, minus nothing running
    await().atMost(DEADLINE).until(() -> new Quantity("8").equals(node().getStatus().getCapacity().get("cpu")));
    assertThat(node().getStatus().getAllocatable().get("pods")).isEqualTo(new Quantity("110"));
    Lease lease = clusters.home.client().leases().inNamespace("kube-node-lease").withName(clusters.nodeName()).get();
    String first = lease.getSpec().getRenewTime().toString();
    await().atMost(DEADLINE).until(() -> !clusters.home.client().leases().inNamespace("kube-node-lease")
        .withName(clusters.nodeName()).get().getSpec().getRenewTime().toString().equals(first));
  }

  @Test
  void capacityIsTheGrantOnceAResourceSliceExists() {
    String tenant = PontoonNames.tenantNamespace(clusters.homeId.name());
    clusters.provider.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(tenant).endMetadata().build()).createOr(c -> c.update());
    ResourceSlice slice = new ResourceSlice();
    slice.getMetadata().setName("grant");
    slice.getMetadata().setNamespace(tenant);
    slice.getSpec().setConsumerClusterID(clusters.homeId.id());
    slice.getSpec().setProviderClusterID(clusters.providerId.id());
    slice.getSpec().setResources(Map.of("cpu", new Quantity("3")));
    slice = clusters.provider.client().resource(slice).create();
    ResourceSliceStatus status = new ResourceSliceStatus();
    status.setResources(Map.of("cpu", new Quantity("3"), "memory", new Quantity("4Gi"), "pods", new Quantity("40")));
    slice.setStatus(status);
    clusters.provider.client().resource(slice).updateStatus();
    try {
      await().atMost(DEADLINE).until(() -> new Quantity("40").equals(node().getStatus().getCapacity().get("pods")));
      assertThat(node().getStatus().getAllocatable()).containsEntry("cpu", new Quantity("3"))
          .containsEntry("memory", new Quantity("4Gi"));
    } finally {
      clusters.provider.client().resources(ResourceSlice.class).inNamespace(tenant).withName("grant").delete();
    }
  }

  @Test
  void offloadsAPodAndCopiesTheRemoteStatusBack() {
    String twin = clusters.offloadedNamespace("shop");
    Pod home = clusters.create(clusters.podOnVirtualNode("shop", "web-1").build());
    ShadowPod shadow = await().atMost(DEADLINE).until(
        () -> clusters.provider.client().resources(ShadowPod.class).inNamespace(twin).withName("web-1").get(),
        s -> s != null);
    assertThat(shadow.getMetadata().getLabels())
        .containsEntry(PontoonNames.LABEL_HOME_POD_UID, home.getMetadata().getUid())
        .containsEntry(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, clusters.homeId.id());
    assertThat(shadow.getSpec().getPod().getNodeName()).isNull();
    assertThat(shadow.getSpec().getPod().getTolerations()).noneMatch(
        t -> PontoonNames.VIRTUAL_NODE_TAINT_KEY.equals(t.getKey()));

    // the provider reports the pod running (as its ShadowPod controller would)
    ShadowPodStatus st = new ShadowPodStatus();
    st.setPod(new PodStatusBuilder().withPhase("Running").withPodIP("10.244.7.7").addNewPodIP("10.244.7.7")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("web").withReady(true).withRestartCount(0).withImage("nginx")
        .withImageID("").withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning()
        .endState().endContainerStatus().build());
    shadow.setStatus(st);
    clusters.provider.client().resource(shadow).updateStatus();
    Pod running = await().atMost(DEADLINE).until(
        () -> clusters.home.client().pods().inNamespace("shop").withName("web-1").get(),
        p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    assertThat(running.getStatus().getPodIP()).isEqualTo("10.244.7.7");
    assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");

    // deletion: the ShadowPod goes (its finalizer, sent by the virtual kubelet, released as the
    // provider's controller does once the pod is gone), then the home pod
    assertThat(shadow.getMetadata().getFinalizers()).containsExactly(PontoonNames.FINALIZER_SHADOW_POD);
    clusters.home.client().pods().inNamespace("shop").withName("web-1").delete();
    await().atMost(DEADLINE).until(() -> clusters.provider.client().resources(ShadowPod.class).inNamespace(twin)
        .withName("web-1").get().getMetadata().getDeletionTimestamp() != null);
    clusters.provider.client().resources(ShadowPod.class).inNamespace(twin).withName("web-1")
        .edit(s -> {
          s.getMetadata().setFinalizers(java.util.List.of());
          return s;
        });
    await().atMost(DEADLINE).until(() ->
        clusters.provider.client().resources(ShadowPod.class).inNamespace(twin).withName("web-1").get() == null
            && clusters.home.client().pods().inNamespace("shop").withName("web-1").get() == null);
  }

  @Test
  void podIpsAreReportedAsTheHomeClusterSeesTheProvider() {
    String twin = clusters.offloadedNamespace("remap");
    String tenant = PontoonNames.tenantNamespace(clusters.providerId.name());
    clusters.home.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(tenant).endMetadata().build()).createOr(c -> c.update());
    NetworkConfig nc = new NetworkConfig();
    nc.getMetadata().setName(clusters.providerId.name());
    nc.getMetadata().setNamespace(tenant);
    nc.getSpec().setRemoteClusterID(clusters.providerId.id());
    ClusterNetwork local = new ClusterNetwork();
    local.setPodCIDR("10.244.0.0/16");
    local.setRemappedPodCIDR("10.72.0.0/16");
    ClusterNetwork remote = new ClusterNetwork();
    remote.setPodCIDR("10.244.0.0/16");
    remote.setRemappedPodCIDR("10.71.0.0/16");
    nc.getSpec().setLocal(local);
    nc.getSpec().setRemote(remote);
    clusters.home.client().resource(nc).create();
    try {
      clusters.create(clusters.podOnVirtualNode("remap", "api").build());
      ShadowPod shadow = await().atMost(DEADLINE).until(
          () -> clusters.provider.client().resources(ShadowPod.class).inNamespace(twin).withName("api").get(),
          x -> x != null);
      ShadowPodStatus st = new ShadowPodStatus();
      st.setPod(new PodStatusBuilder().withPhase("Running").withPodIP("10.244.3.4").addNewPodIP("10.244.3.4").build());
      shadow.setStatus(st);
      clusters.provider.client().resource(shadow).updateStatus();
      Pod p = await().atMost(DEADLINE).until(
          () -> clusters.home.client().pods().inNamespace("remap").withName("api").get(),
          x -> x.getStatus() != null && "10.71.3.4".equals(x.getStatus().getPodIP()));
      assertThat(p.getStatus().getPodIPs()).extracting("ip").containsExactly("10.71.3.4");
    } finally {
      clusters.home.client().resource(nc).delete();
    }
  }

  @Test
  void refusesPodsThatCannotRunRemotelyWithAReasonAndAnEvent() {
    clusters.offloadedNamespace("tools");
    clusters.create(clusters.podOnVirtualNode("tools", "agent").editSpec().withHostNetwork(true).endSpec().build());
    Pod p = await().atMost(DEADLINE).until(
        () -> clusters.home.client().pods().inNamespace("tools").withName("agent").get(),
        x -> x.getStatus() != null && "Failed".equals(x.getStatus().getPhase()));
    assertThat(p.getStatus().getReason()).isEqualTo(PontoonNames.Reasons.OFFLOADING_BACK_OFF);
    assertThat(p.getStatus().getMessage()).contains("hostNetwork");
    await().atMost(DEADLINE).until(() -> clusters.home.client().v1().events().inNamespace("tools").list().getItems()
        .stream().anyMatch(e -> "agent".equals(e.getInvolvedObject().getName())
            && PontoonNames.Reasons.OFFLOADING_BACK_OFF.equals(e.getReason())));
  }

  @Test
  void aPodInANamespaceThatIsNotOffloadedBacksOffWithAnActionableMessage() {
    clusters.home.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName("plain").endMetadata().build()).create();
    clusters.create(clusters.podOnVirtualNode("plain", "lost").build());
    Pod p = await().atMost(DEADLINE).until(
        () -> clusters.home.client().pods().inNamespace("plain").withName("lost").get(),
        x -> x.getStatus() != null && PontoonNames.Reasons.OFFLOADING_BACK_OFF.equals(x.getStatus().getReason()));
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getMessage()).contains("pontoon offload namespace plain");
  }

  @Test
  void goesNotReadyWhenTheProviderIsUnreachableAndRecoversByItself() {
    await().atMost(DEADLINE).until(() -> "True".equals(ready(node())));
    clusters.link.cut();
    try {
      await().atMost(DEADLINE).until(() -> "False".equals(ready(node())));
      NodeCondition c = node().getStatus().getConditions().stream().filter(x -> x.getType().equals("Ready"))
          .findFirst().orElseThrow();
      assertThat(c.getReason()).isEqualTo(PontoonNames.Reasons.API_SERVER_UNREACHABLE);
      assertThat(c.getMessage()).contains("unreachable");
    } finally {
      clusters.link.restore();
    }
    await().atMost(DEADLINE).until(() -> "True".equals(ready(node())));
  }

  @Test
  void servesMetricsAndHealth() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + vk.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("pontoon_vk_queue_depth", "pontoon_vk_pods_offloaded",
        "pontoon_vk_reconcile_duration");
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + vk.metricsPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).isEqualTo("ok");
  }
}
