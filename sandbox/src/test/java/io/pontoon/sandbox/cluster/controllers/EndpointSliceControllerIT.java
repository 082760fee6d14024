package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final AtomicInteger NS = new AtomicInteger();
  private static SandboxCluster cluster;
  private static KubernetesClient client;
  private String ns;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(0));
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @BeforeEach
  void namespace() {
    ns = "eps-" + NS.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  private Pod pod(String name, String app, String nodeName) {
    return client.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("app", app)).endMetadata()
        .withSpec(TestPods.template(Map.of(), "nginx").getSpec())
        .editSpec().withNodeName(nodeName).endSpec()
        .build()).create();
  }

  private Service service(String name, String app, IntOrString targetPort) {
    return client.services().inNamespace(ns).resource(new ServiceBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("team", "blue")).endMetadata()
        .withNewSpec().withSelector(Map.of("app", app))
          .withPorts(new ServicePortBuilder().withName("web").withPort(80).withTargetPort(targetPort).build())
        .endSpec().build()).create();
  }

  private List<EndpointSlice> slices(String service) {
    return client.discovery().v1().endpointSlices().inNamespace(ns)
        .withLabel("kubernetes.io/service-name", service).list().getItems();
  }

  private List<Endpoint> endpoints(String service) {
    return slices(service).stream().flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.empty()
        : s.getEndpoints().stream()).toList();
  }

  @Test
  void readyPodsWithIpsBecomeEndpointsWithResolvedNamedPorts() {
    Service svc = service("web", "web", new IntOrString("http"));
    // no endpoints yet: one placeholder slice
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(slices("web")).singleElement()
        .satisfies(s -> assertThat(s.getEndpoints()).isNullOrEmpty()));
    Pod a = pod("a", "web", "n1");
    Pod b = pod("b", "web", "n2");
    pod("other", "db", "n1");
    pod("no-ip", "web", null);
    TestPods.makeReady(client, a);
    TestPods.makeRunningNotReady(client, b);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(endpoints("web")).hasSize(2));
    EndpointSlice slice = slices("web").get(0);
    assertThat(slices("web")).hasSize(1);
    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getMetadata().getName()).startsWith("web-");
    assertThat(slice.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
        "endpointslice-controller.k8s.io").containsEntry("team", "blue");
    assertThat(slice.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getUid()).isEqualTo(svc.getMetadata().getUid());
      assertThat(r.getController()).isTrue();
    });
    assertThat(slice.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("web");
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    Endpoint ea = slice.getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals("a")).findFirst()
        .orElseThrow();
    assertThat(ea.getConditions().getReady()).isTrue();
    assertThat(ea.getConditions().getServing()).isTrue();
    assertThat(ea.getConditions().getTerminating()).isFalse();
    assertThat(ea.getNodeName()).isEqualTo("n1");
    assertThat(ea.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(ea.getTargetRef().getUid()).isEqualTo(a.getMetadata().getUid());
    assertThat(ea.getAddresses()).singleElement().asString().startsWith("10.244.");
    Endpoint eb = slice.getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals("b")).findFirst()
        .orElseThrow();
    assertThat(eb.getConditions().getReady()).isFalse();
  }

  @Test
  void terminatingPodsStayAsNotReadyUntilGone() {
    service("api", "api", new IntOrString(9090));
    Pod a = pod("a", "api", "n1");
    TestPods.makeReady(client, a);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(endpoints("api")).singleElement()
        .satisfies(e -> assertThat(e.getConditions().getReady()).isTrue()));
    assertThat(slices("api").get(0).getPorts().get(0).getPort()).isEqualTo(9090);
    // a pod bound to a node is deleted gracefully: terminating, serving, not ready
    client.pods().inNamespace(ns).withName("a").delete();
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(endpoints("api")).singleElement().satisfies(e -> {
      assertThat(e.getConditions().getTerminating()).isTrue();
      assertThat(e.getConditions().getReady()).isFalse();
      assertThat(e.getConditions().getServing()).isTrue();
    }));
    client.pods().inNamespace(ns).withName("a").withGracePeriod(0).delete();
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(endpoints("api")).isEmpty());
    assertThat(slices("api")).hasSize(1);
  }

  @Test
  void manyPodsSpreadOverSlicesOfAtMostAHundred() {
    service("big", "big", new IntOrString(8080));
    for (int i = 0; i < 230; i++) TestPods.makeReady(client, pod("p" + i, "big", "n1"));
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(endpoints("big")).hasSize(230);
      assertThat(slices("big")).hasSize(3).allSatisfy(s -> assertThat(s.getEndpoints().size()).isLessThanOrEqualTo(100));
    });
    // deleting the service takes its slices along
    client.services().inNamespace(ns).withName("big").delete();
    await().atMost(DEADLINE).until(() -> slices("big").isEmpty());
  }
}
