package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RootCaPublisherIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static SandboxCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(0));
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private ConfigMap rootCa(String ns) {
    return client.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get();
  }

  private boolean published(String ns) {
    ConfigMap cm = rootCa(ns);
    return cm != null && cluster.apiServer().ca().certificatePem().equals(cm.getData().get("ca.crt"));
  }

  @Test
  void everyNamespaceGetsTheClusterCaAndItComesBack() {
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      await().atMost(DEADLINE).until(() -> published(ns));
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata().build())
        .create();
    await().atMost(DEADLINE).until(() -> published("fresh"));
    assertThat(rootCa("fresh").getMetadata().getAnnotations()).containsKey("kubernetes.io/description");
    assertThat(client.serviceAccounts().inNamespace("fresh").withName("default").get()).isNotNull();
    client.configMaps().inNamespace("fresh").withName("kube-root-ca.crt").delete();
    await().atMost(DEADLINE).until(() -> published("fresh"));
    client.configMaps().inNamespace("fresh").withName("kube-root-ca.crt").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"data\":{\"ca.crt\":\"tampered\"}}");
    await().atMost(DEADLINE).until(() -> published("fresh"));
  }
}
