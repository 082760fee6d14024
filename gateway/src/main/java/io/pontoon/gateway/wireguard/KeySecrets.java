package io.pontoon.gateway.wireguard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;

/**
 * This cluster's WireGuard key pair for one peering, in the Secret a Tunnel names
 * ({@code pontoon-wireguard-key}, keys {@code privateKey}/{@code publicKey}, in the tenant
 * namespace). The private key never leaves the Secret; callers get the public key.
 */
public final class KeySecrets {
  private KeySecrets() {}

  /**
   * The public key of the pair in {@code namespace}/{@code name}, generating and storing a pair
   * when the Secret does not exist (idempotent; a concurrent creator wins and its key is used).
   */
  public static String ensure(KubernetesClient client, String namespace, String name) {
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      WireGuardKeys.KeyPair pair = WireGuardKeys.generate();
      try {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder()
            .withNewMetadata().withName(name).withNamespace(namespace)
            .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
            .withType("Opaque")
            .withData(Map.of(
                PontoonNames.WIREGUARD_PRIVATE_KEY, b64(pair.privateKey()),
                PontoonNames.WIREGUARD_PUBLIC_KEY, b64(pair.publicKey())))
            .build()).create();
        return pair.publicKey();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.secrets().inNamespace(namespace).withName(name).get();
      }
    }
    String priv = existing.getData() == null ? null : existing.getData().get(PontoonNames.WIREGUARD_PRIVATE_KEY);
    if (priv == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + name + " has no "
          + PontoonNames.WIREGUARD_PRIVATE_KEY + "; delete it so a new key pair is made");
    }
    return WireGuardKeys.publicKey(new String(Base64.getDecoder().decode(priv), StandardCharsets.US_ASCII));
  }

  /** {@link #ensure(KubernetesClient, String, String)} with the default Secret name. */
  public static String ensure(KubernetesClient client, String namespace) {
    return ensure(client, namespace, PontoonNames.WIREGUARD_KEY_SECRET);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }
}
