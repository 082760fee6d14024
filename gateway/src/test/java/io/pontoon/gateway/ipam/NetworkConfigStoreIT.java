package io.pontoon.gateway.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
class NetworkConfigStoreIT {
  static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
  static final String B = "bbbbbbbb-0000-4000-8000-000000000002";

  @Test
  void allocationsLiveInNetworkConfigsAndSurviveRestart(SandboxApiServer server) {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      Crds.install(client, Duration.ofSeconds(30));
      Cidr pods = Cidr.parse("10.244.0.0/16");
      IpamConfig config = IpamConfig.of(pods, Cidr.parse("10.96.0.0/12"));
      NetworkConfigStore store = new NetworkConfigStore(client, pods, config.serviceCidr());
      Ipam ipam = new Ipam(config, store);
      Cidr a = ipam.assign(A, "alpha", Cidr.parse("10.244.0.0/16"));
      Cidr b = ipam.assign(B, "beta", Cidr.parse("10.50.0.0/16"));
      assertThat(a).hasToString("10.0.0.0/16");
      assertThat(b).hasToString("10.50.0.0/16");

      NetworkConfig nc = client.resources(NetworkConfig.class)
          .inNamespace(PontoonNames.tenantNamespace("alpha")).withName("alpha").get();
      assertThat(nc.getSpec().getRemoteClusterID()).isEqualTo(A);
      assertThat(nc.getSpec().getRemote().getPodCIDR()).isEqualTo("10.244.0.0/16");
      assertThat(nc.getSpec().getRemote().getRemappedPodCIDR()).isEqualTo("10.0.0.0/16");
      assertThat(nc.getSpec().getLocal().getPodCIDR()).isEqualTo("10.244.0.0/16");
      assertThat(nc.getMetadata().getLabels()).containsEntry(PontoonNames.LABEL_REMOTE_CLUSTER_ID, A);

      store.saveAssignedByPeer(A, Cidr.parse("10.72.0.0/16"));
      Ipam restarted = new Ipam(config, new NetworkConfigStore(client, pods, config.serviceCidr()));
      assertThat(restarted.assign(A, "alpha", Cidr.parse("10.244.0.0/16"))).isEqualTo(a);
      assertThat(restarted.allocation(B).orElseThrow().remapped()).isEqualTo(b);
      // an IPAM write keeps what the peer assigned to us
      assertThat(client.resources(NetworkConfig.class).inNamespace(PontoonNames.tenantNamespace("alpha"))
          .withName("alpha").get().getSpec().getLocal().getRemappedPodCIDR()).isEqualTo("10.72.0.0/16");

      restarted.release(A);
      assertThat(store.find(A)).isEmpty();
      assertThat(new Ipam(config, store).assign(B, "beta", Cidr.parse("10.244.0.0/16")))
          .hasToString("10.0.0.0/16");
    }
  }
}
