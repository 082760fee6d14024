package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServiceAllocationIT {
  private static SandboxCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(0).withCidrs("10.244.0.0/16", "10.100.0.0/16"));
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private static Service svc(String name, String type, String clusterIp, Integer nodePort) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withType(type).withClusterIP(clusterIp).withSelector(Map.of("app", name))
          .withPorts(new ServicePortBuilder().withPort(80).withNodePort(nodePort).build())
        .endSpec().build();
  }

  private static Service create(Service s) {
    return client.services().inNamespace("default").resource(s).create();
  }

  private static int status(Runnable r) {
    try {
      r.run();
      return 0;
    } catch (KubernetesClientException e) {
      return e.getCode();
    }
  }

  @Test
  void theKubernetesServiceHasTheFirstAddressAndPointsAtTheServer() {
    Service k = client.services().inNamespace("default").withName("kubernetes").get();
    assertThat(k.getSpec().getClusterIP()).isEqualTo("10.100.0.1");
    assertThat(k.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("https");
      assertThat(p.getPort()).isEqualTo(443);
      assertThat(p.getTargetPort().getIntVal()).isEqualTo(cluster.apiServer().port());
    });
    EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").get();
    assertThat(slice.getEndpoints()).singleElement().satisfies(e -> assertThat(e.getAddresses())
        .containsExactly("127.0.0.1"));
    assertThat(slice.getPorts().get(0).getPort()).isEqualTo(cluster.apiServer().port());
    assertThat(client.endpoints().inNamespace("default").withName("kubernetes").get().getSubsets().get(0)
        .getPorts().get(0).getPort()).isEqualTo(cluster.apiServer().port());
  }

  @Test
  void clusterIpsAreAllocatedHonouredRefusedAndReleased() {
    Service auto = create(svc("auto", "ClusterIP", null, null));
    assertThat(auto.getSpec().getClusterIP()).startsWith("10.100.").isNotEqualTo("10.100.0.1");
    assertThat(auto.getSpec().getClusterIPs()).containsExactly(auto.getSpec().getClusterIP());
    Service fixed = create(svc("fixed", "ClusterIP", "10.100.0.10", null));
    assertThat(fixed.getSpec().getClusterIP()).isEqualTo("10.100.0.10");
    assertThatThrownBy(() -> create(svc("clash", "ClusterIP", "10.100.0.10", null)))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("provided IP is already allocated");
    assertThatThrownBy(() -> create(svc("outside", "ClusterIP", "10.96.0.10", null)))
        .hasMessageContaining("is not in the valid range");
    Service headless = create(svc("headless", "ClusterIP", "None", null));
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    // immutable once set
    assertThat(status(() -> client.services().inNamespace("default").withName("fixed")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"clusterIP\":\"10.100.0.11\",\"clusterIPs\":[\"10.100.0.11\"]}}")))
        .isEqualTo(422);
    // released on delete, then free for the asking
    client.services().inNamespace("default").withName("fixed").delete();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> client.services().inNamespace("default").withName("fixed").get() == null);
    assertThat(create(svc("again", "ClusterIP", "10.100.0.10", null)).getSpec().getClusterIP())
        .isEqualTo("10.100.0.10");
    // a dry run takes nothing
    client.services().inNamespace("default").resource(svc("dry", "ClusterIP", "10.100.0.20", null)).dryRun().create();
    assertThat(create(svc("wet", "ClusterIP", "10.100.0.20", null)).getSpec().getClusterIP()).isEqualTo("10.100.0.20");
  }

  @Test
  void nodePortsAreAllocatedAndConflictsRefused() {
    Service np = create(svc("np", "NodePort", null, null));
    assertThat(np.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
    create(svc("np-fixed", "NodePort", null, 30080));
    assertThatThrownBy(() -> create(svc("np-clash", "NodePort", null, 30080)))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    Service lb = create(svc("lb", "LoadBalancer", null, null));
    assertThat(lb.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
    client.services().inNamespace("default").withName("np-fixed").delete();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> client.services().inNamespace("default").withName("np-fixed").get() == null);
    assertThat(create(svc("np-reuse", "NodePort", null, 30080)).getSpec().getPorts().get(0).getNodePort())
        .isEqualTo(30080);
  }
}
