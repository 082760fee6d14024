package io.pontoon.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;

/** The kinds carry the right names and survive a JSON round trip unchanged. */
class KindsTest {

  private static final String ID = "0d5e3c1a-9b2f-4c4e-8a1d-3f6b7c8d9e0f";
  private static final String OTHER_ID = "7a1c2e3f-0000-4000-8000-000000000002";

  @Test
  void kindsHaveTheGroupVersionAndPlurals() {
    assertThat(HasMetadata.getApiVersion(ForeignCluster.class)).isEqualTo("pontoon.io/v1alpha1");
    assertThat(HasMetadata.getKind(Tunnel.class)).isEqualTo("Tunnel");
    assertThat(CustomResource.getCRDName(ForeignCluster.class))
        .isEqualTo("foreignclusters.pontoon.io");
    assertThat(CustomResource.getCRDName(ResourceSlice.class))
        .isEqualTo("resourceslices.pontoon.io");
    assertThat(CustomResource.getCRDName(NamespaceOffloading.class))
        .isEqualTo("namespaceoffloadings.pontoon.io");
    assertThat(CustomResource.getCRDName(ShadowPod.class)).isEqualTo("shadowpods.pontoon.io");
    assertThat(CustomResource.getCRDName(NetworkConfig.class))
        .isEqualTo("networkconfigs.pontoon.io");
    assertThat(CustomResource.getCRDName(Tunnel.class)).isEqualTo("tunnels.pontoon.io");
    assertThat(CustomResource.getCRDName(TwinNamespace.class))
        .isEqualTo("twinnamespaces.pontoon.io");
  }

  @Test
  void onlyForeignClusterIsClusterScoped() {
    assertThat(Namespaced.class.isAssignableFrom(ForeignCluster.class)).isFalse();
    for (Class<?> kind :
        new Class<?>[] {
          ResourceSlice.class, NamespaceOffloading.class, ShadowPod.class,
          NetworkConfig.class, Tunnel.class, TwinNamespace.class
        }) {
      assertThat(Namespaced.class.isAssignableFrom(kind)).as(kind.getSimpleName()).isTrue();
    }
  }

  @Test
  void newObjectsHaveASpecWithDefaults() {
    Tunnel tunnel = new Tunnel();
    assertThat(tunnel.getSpec().getMtu()).isEqualTo(1420);
    assertThat(tunnel.getSpec().getListenPort()).isEqualTo(51820);
    assertThat(tunnel.getSpec().getPersistentKeepaliveSeconds()).isEqualTo(25);
    assertThat(new ForeignCluster().getSpec().getDiscoveryType()).isEqualTo(DiscoveryType.Manual);
    NamespaceOffloadingSpec offloading = new NamespaceOffloading().getSpec();
    assertThat(offloading.getNamespaceMappingStrategy())
        .isEqualTo(NamespaceMappingStrategy.DefaultName);
    assertThat(offloading.getPodOffloadingStrategy())
        .isEqualTo(PodOffloadingStrategy.LocalAndRemote);
    assertThat(new TunnelStatus().getConditions()).isEmpty();
  }

  @Test
  void foreignClusterRoundTrips() {
    ForeignCluster fc = new ForeignCluster();
    fc.setMetadata(new ObjectMetaBuilder().withName("cluster-2").build());
    fc.getSpec().setClusterID(ID);
    fc.getSpec().setClusterName("cluster-2");
    fc.getSpec().setPeeringURL("https://10.0.0.2:8443");
    fc.getSpec().setFingerprint("sha256:" + "ab".repeat(32));
    fc.getSpec().setDiscoveryType(DiscoveryType.LAN);
    fc.getSpec().setOutgoingEnabled(true);
    ForeignClusterStatus status = new ForeignClusterStatus();
    status.setPhase(ForeignClusterPhase.Peered);
    status.setGrantedResources(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));
    TenantNamespaces tenant = new TenantNamespaces();
    tenant.setLocal(PontoonNames.tenantNamespace("cluster-2"));
    tenant.setRemote(PontoonNames.tenantNamespace("cluster-1"));
    status.setTenantNamespace(tenant);
    Conditions.set(
        status.getConditions(),
        Conditions.of(
            PontoonNames.ConditionTypes.AUTHENTICATED,
            true,
            PontoonNames.Reasons.SUCCEEDED,
            "",
            1L));
    fc.setStatus(status);

    String json = Serialization.asJson(fc);
    assertThat(json)
        .contains("\"apiVersion\":\"pontoon.io/v1alpha1\"", "\"kind\":\"ForeignCluster\"")
        .contains("\"discoveryType\":\"LAN\"", "\"phase\":\"Peered\"");
    assertThat(Serialization.unmarshal(json, ForeignCluster.class)).isEqualTo(fc);
  }

  @Test
  void shadowPodRoundTripsWithFabric8PodTypes() {
    ShadowPod sp = new ShadowPod();
    sp.setMetadata(new ObjectMetaBuilder().withName("web-1").withNamespace("shop-home").build());
    sp.getSpec()
        .setPod(
            new PodSpecBuilder()
                .withContainers(new ContainerBuilder().withName("web").withImage("nginx").build())
                .build());
    sp.getSpec().setOriginClusterID(ID);
    sp.getSpec().setHomePodUID("5f1c0c2e-1111-4222-8333-444455556666");
    sp.getSpec().setHomePodName("web-1");
    sp.getSpec().setHomePodNamespace("shop");
    sp.getSpec().setLabels(Map.of("app", "web"));
    ShadowPodStatus status = new ShadowPodStatus();
    status.setPod(new PodStatusBuilder().withPhase("Running").withPodIP("10.244.1.7").build());
    sp.setStatus(status);

    ShadowPod back = Serialization.unmarshal(Serialization.asYaml(sp), ShadowPod.class);
    assertThat(back).isEqualTo(sp);
    assertThat(back.getSpec().getPod().getContainers().get(0).getImage()).isEqualTo("nginx");
    assertThat(back.getStatus().getPod().getPhase()).isEqualTo("Running");
  }

  @Test
  void namespaceOffloadingRoundTripsWithItsSelector() {
    NamespaceOffloading no = new NamespaceOffloading();
    no.setMetadata(
        new ObjectMetaBuilder()
            .withName(PontoonNames.NAMESPACE_OFFLOADING_NAME)
            .withNamespace("shop")
            .build());
    no.getSpec().setPodOffloadingStrategy(PodOffloadingStrategy.Remote);
    no.getSpec().setNamespaceMappingStrategy(NamespaceMappingStrategy.SelectedName);
    no.getSpec().setSelectedNamespaceName("shop-remote");
    no.getSpec()
        .setClusterSelector(
            new NodeSelectorTermBuilder()
                .withMatchExpressions(
                    new NodeSelectorRequirementBuilder()
                        .withKey(PontoonNames.LABEL_REMOTE_CLUSTER_ID)
                        .withOperator("In")
                        .withValues(ID)
                        .build())
                .build());
    NamespaceOffloadingStatus status = new NamespaceOffloadingStatus();
    TwinNamespaceStatus twin = new TwinNamespaceStatus();
    twin.setClusterID(ID);
    twin.setClusterName("cluster-2");
    twin.setNamespace("shop-remote");
    twin.setPhase(TwinNamespacePhase.Ready);
    status.getClusters().add(twin);
    status.setPhase(OffloadingPhase.Ready);
    no.setStatus(status);

    assertThat(Serialization.unmarshal(Serialization.asJson(no), NamespaceOffloading.class))
        .isEqualTo(no);
  }

  @Test
  void networkAndTunnelRoundTrip() {
    NetworkConfig nc = new NetworkConfig();
    nc.setMetadata(new ObjectMetaBuilder().withName("cluster-2").withNamespace("t").build());
    nc.getSpec().setRemoteClusterID(OTHER_ID);
    ClusterNetwork local = new ClusterNetwork();
    local.setPodCIDR("10.0.0.0/24");
    local.setServiceCIDR("10.96.0.0/12");
    local.setRemappedPodCIDR("10.72.0.0/24");
    ClusterNetwork remote = new ClusterNetwork();
    remote.setPodCIDR("10.0.0.0/24");
    remote.setRemappedPodCIDR("10.71.0.0/24");
    nc.getSpec().setLocal(local);
    nc.getSpec().setRemote(remote);
    assertThat(Serialization.unmarshal(Serialization.asJson(nc), NetworkConfig.class))
        .isEqualTo(nc);

    Tunnel tunnel = new Tunnel();
    tunnel.setMetadata(new ObjectMetaBuilder().withName("cluster-2").withNamespace("t").build());
    tunnel.getSpec().setRemoteClusterID(OTHER_ID);
    tunnel.getSpec().setLocalKeySecretName(PontoonNames.WIREGUARD_KEY_SECRET);
    tunnel.getSpec().setRemotePublicKey("x".repeat(42) + "A=");
    TunnelEndpoint endpoint = new TunnelEndpoint();
    endpoint.setHost("192.0.2.10");
    endpoint.setPort(51820);
    tunnel.getSpec().setEndpoint(endpoint);
    TunnelStatus status = new TunnelStatus();
    status.setState(TunnelState.Up);
    status.setRxBytes(1024L);
    status.setTxBytes(2048L);
    status.setRttMicros(350L);
    status.setInterfaceName(PontoonNames.wireGuardInterface(OTHER_ID));
    tunnel.setStatus(status);
    String json = Serialization.asJson(tunnel);
    assertThat(json).contains("\"mtu\":1420", "\"interfaceName\":\"pt-7a1c2e3f\"");
    assertThat(Serialization.unmarshal(json, Tunnel.class)).isEqualTo(tunnel);
  }

  @Test
  void resourceSliceRoundTrips() {
    ResourceSlice slice = new ResourceSlice();
    slice.setMetadata(new ObjectMetaBuilder().withName("cluster-1").withNamespace("t").build());
    slice.getSpec().setConsumerClusterID(ID);
    slice.getSpec().setProviderClusterID(OTHER_ID);
    slice.getSpec()
        .setResources(
            Map.of(
                "cpu", new Quantity("2"),
                "memory", new Quantity("4Gi"),
                "pods", new Quantity("110"),
                "ephemeral-storage", new Quantity("20Gi")));
    ResourceSliceStatus status = new ResourceSliceStatus();
    status.setResources(Map.of("cpu", new Quantity("1500m")));
    slice.setStatus(status);
    assertThat(Serialization.unmarshal(Serialization.asJson(slice), ResourceSlice.class))
        .isEqualTo(slice);
  }
}
