package io.pontoon.peering.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.ipam.IpamConfig;
import io.pontoon.peering.handshake.CidrAssigner;
import io.pontoon.peering.handshake.PeeringException;
import io.pontoon.peering.handshake.Reasons;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handshake's assigner on the gateway's IPAM, against a sandbox API server. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpamCidrAssignerIT {
  private KubernetesClient client;

  @BeforeAll
  void start(SandboxApiServer server) throws Exception {
    client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(client, Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
  }

  @Test
  void blocksPeersAssignedToUsAreNeverHandedOutAndEverythingIsKeptInTheNetworkConfig() {
    IpamCidrAssigner ipam = IpamCidrAssigner.of(client, "10.244.0.0/16", "10.96.0.0/12");
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    // Peer a (provider side): it shows our pods as 10.0.0.0/16, so we must not use that block for it.
    assertThat(ipam.assign(a, "peer-a", "10.244.0.0/16", "10.0.0.0/16")).isEqualTo("10.1.0.0/16");
    assertThat(ipam.assign(a, "peer-a", "10.244.0.0/16", "10.0.0.0/16")).as("stable").isEqualTo("10.1.0.0/16");
    NetworkConfig nc = client.resources(NetworkConfig.class).inNamespace(PontoonNames.tenantNamespace("peer-a"))
        .withName("peer-a").get();
    assertThat(nc.getSpec().getLocal().getRemappedPodCIDR()).isEqualTo("10.0.0.0/16");
    assertThat(nc.getSpec().getRemote().getRemappedPodCIDR()).isEqualTo("10.1.0.0/16");
    // Peer b (consumer side, block for us not known yet) avoids what peer a assigned to us too.
    assertThat(ipam.assign(b, "peer-b", "10.244.0.0/16")).isEqualTo("10.2.0.0/16");
    ipam.assignedByPeer(b, "10.3.0.0/16");
    // A fresh assigner (an agent restart) sees the same state.
    IpamCidrAssigner again = IpamCidrAssigner.of(client, "10.244.0.0/16", "10.96.0.0/12");
    assertThat(again.assign(b, "peer-b", "10.244.0.0/16")).isEqualTo("10.2.0.0/16");
    again.release(a);
    again.release(b);
    assertThat(client.resources(NetworkConfig.class).inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void aBadBlockFromThePeerIsAnInvalidRequestAndExhaustionIsCidrExhausted() {
    IpamCidrAssigner ipam = IpamCidrAssigner.of(client, "10.244.0.0/16", "10.96.0.0/12");
    String c = UUID.randomUUID().toString();
    PeeringException wrongSize = catchThrowableOfType(PeeringException.class,
        () -> ipam.assign(c, "peer-c", "10.244.0.0/16", "10.0.0.0/24"));
    assertThat(wrongSize.reason()).isEqualTo(Reasons.INVALID_REQUEST);
    assertThat(wrongSize.getMessage()).contains("10.0.0.0/24", "not the size");
    PeeringException hostBits = catchThrowableOfType(PeeringException.class,
        () -> ipam.assign(c, "peer-c", "10.244.0.0/16", "10.0.0.7/16"));
    assertThat(hostBits.getMessage()).contains("host bits");

    Cidr own = Cidr.parse("10.244.0.0/16");
    IpamCidrAssigner full = new IpamCidrAssigner(client, IpamConfig.of(own, Cidr.parse("10.96.0.0/12"))
        .withPools(List.of(own)));
    CidrAssigner.CidrExhaustedException e = catchThrowableOfType(CidrAssigner.CidrExhaustedException.class,
        () -> full.assign(c, "peer-c", "10.244.0.0/16", null));
    assertThat(e.getMessage()).contains("no free /16 block for peer peer-c");
    assertThat(client.resources(NetworkConfig.class).inAnyNamespace().list().getItems()).isEmpty();
  }
}
