package io.pontoon.peering.offloading;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ProviderClientsTest {
  private static Secret credentials(String resourceVersion) {
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters: [{name: p, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: p, user: u}}]
        current-context: c
        """;
    return new SecretBuilder().withNewMetadata().withName(PontoonNames.PEER_CREDENTIALS_SECRET)
        .withNamespace("pontoon-tenant-p").withResourceVersion(resourceVersion).endMetadata()
        .addToData(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY,
            Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void aReplacedOrForgottenClientStaysOpenForRequestsInFlightAndCloseEndsAll() {
    ProviderClients clients = new ProviderClients();
    KubernetesClient first = clients.get("p", credentials("1"));
    assertThat(clients.get("p", credentials("1"))).as("same Secret version, same client").isSameAs(first);

    KubernetesClient second = clients.get("p", credentials("2"));
    assertThat(second).isNotSameAs(first);
    assertThat(first.getHttpClient().isClosed()).as("a reconcile may still be using it").isFalse();
    assertThat(clients.retiredCount()).isEqualTo(1);

    clients.forget("p");
    assertThat(clients.size()).isZero();
    assertThat(second.getHttpClient().isClosed()).isFalse();
    assertThat(clients.retiredCount()).isEqualTo(2);

    clients.close();
    assertThat(first.getHttpClient().isClosed()).isTrue();
    assertThat(second.getHttpClient().isClosed()).isTrue();
    assertThat(clients.retiredCount()).isZero();
  }
}
