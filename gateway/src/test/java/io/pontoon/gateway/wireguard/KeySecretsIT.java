package io.pontoon.gateway.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
class KeySecretsIT {
  @Test
  void makesAPairOnceAndReturnsItsPublicKey(SandboxApiServer server) {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      String ns = PontoonNames.tenantNamespace("keys");
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      String first = KeySecrets.ensure(client, ns);
      assertThat(KeySecrets.ensure(client, ns)).isEqualTo(first);
      Secret s = client.secrets().inNamespace(ns).withName(PontoonNames.WIREGUARD_KEY_SECRET).get();
      String priv = new String(Base64.getDecoder().decode(s.getData().get(PontoonNames.WIREGUARD_PRIVATE_KEY)),
          StandardCharsets.US_ASCII);
      assertThat(WireGuardKeys.publicKey(priv)).isEqualTo(first);
    }
  }
}
