package io.pontoon.peering.identity;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * This cluster's WireGuard key pair for one peer, kept in Secret {@code pontoon-wireguard-key}
 * of the peer's tenant namespace (keys {@code privateKey}, {@code publicKey}, base64 as wg uses).
 */
public final class WireGuardKeys {
  private WireGuardKeys() {}

  /** A new X25519 key pair as WireGuard's base64 strings: [private, public]. */
  public static String[] generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      // The JDK encodes X25519 keys as X.509/PKCS#8; the raw 32 bytes are the encodings' tails.
      byte[] pub = pair.getPublic().getEncoded();
      byte[] priv = pair.getPrivate().getEncoded();
      return new String[] {
        Base64.getEncoder().encodeToString(Arrays.copyOfRange(priv, priv.length - 32, priv.length)),
        Base64.getEncoder().encodeToString(Arrays.copyOfRange(pub, pub.length - 32, pub.length))
      };
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks X25519", e);
    }
  }

  /** The public key stored in {@code namespace}, creating the pair on first use. */
  public static String ensure(KubernetesClient client, String namespace) {
    Secret s = client.secrets().inNamespace(namespace).withName(PontoonNames.WIREGUARD_KEY_SECRET).get();
    if (s != null && s.getData() != null && s.getData().get(PontoonNames.WIREGUARD_PUBLIC_KEY) != null) {
      return IdentityStore.decode(s.getData().get(PontoonNames.WIREGUARD_PUBLIC_KEY));
    }
    String[] pair = generate();
    try {
      client.secrets().resource(new SecretBuilder().withNewMetadata()
          .withName(PontoonNames.WIREGUARD_KEY_SECRET).withNamespace(namespace)
          .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
          .addToData(PontoonNames.WIREGUARD_PRIVATE_KEY, IdentityStore.encode(pair[0]))
          .addToData(PontoonNames.WIREGUARD_PUBLIC_KEY, IdentityStore.encode(pair[1]))
          .build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return ensure(client, namespace);
      throw e;
    }
    return pair[1];
  }
}
