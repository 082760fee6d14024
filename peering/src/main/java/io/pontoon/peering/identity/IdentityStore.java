package io.pontoon.peering.identity;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, on first start, the cluster's identity (ConfigMap {@code pontoon-system/pontoon-identity})
 * and the peering key and certificate (Secret {@code pontoon-system/pontoon-peering-tls}), and
 * finds them again on every later start, so the ID and the fingerprint never change.
 */
public final class IdentityStore {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
  static final String TLS_CERT_KEY = "tls.crt";
  static final String TLS_KEY_KEY = "tls.key";

  private final KubernetesClient client;

  public IdentityStore(KubernetesClient client) {
    this.client = client;
  }

  public void ensureSystemNamespace() {
    if (client.namespaces().withName(PontoonNames.SYSTEM_NAMESPACE).get() == null) {
      try {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
            .withName(PontoonNames.SYSTEM_NAMESPACE)
            .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
            .endMetadata().build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
  }

  /**
   * The stored identity, or a new one named {@code clusterName}. A stored identity with a
   * different name is an error: renaming would orphan every peering.
   */
  public ClusterIdentity ensureIdentity(String clusterName) {
    ConfigMap cm = configMap();
    if (cm != null) {
      ClusterIdentity existing = ClusterIdentity.from(cm.getData()).orElse(null);
      if (existing != null) {
        if (!existing.name().equals(clusterName)) {
          throw new IllegalStateException("this cluster is already named '" + existing.name()
              + "' (ConfigMap " + PontoonNames.SYSTEM_NAMESPACE + "/" + PontoonNames.IDENTITY_CONFIGMAP
              + "); start the agent with --cluster-name " + existing.name());
        }
        return existing;
      }
    }
    ClusterIdentity identity = new ClusterIdentity(UUID.randomUUID().toString(), clusterName);
    Map<String, String> data = new HashMap<>(cm == null || cm.getData() == null ? Map.of() : cm.getData());
    data.put(PontoonNames.IDENTITY_KEY_CLUSTER_ID, identity.id());
    data.put(PontoonNames.IDENTITY_KEY_CLUSTER_NAME, identity.name());
    ConfigMap desired = new ConfigMapBuilder().withNewMetadata()
        .withName(PontoonNames.IDENTITY_CONFIGMAP).withNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .endMetadata().withData(data).build();
    try {
      if (cm == null) client.configMaps().resource(desired).create();
      else client.configMaps().resource(desired).update();
    } catch (KubernetesClientException e) {
      // Another agent replica won the race: use its identity.
      if (e.getCode() == 409) return ensureIdentity(clusterName);
      throw e;
    }
    LOG.info("event=identity-created clusterName={} clusterID={}", identity.name(), identity.id());
    return identity;
  }

  /** The stored key and certificate, or new ones (kept for good: the fingerprint is the identity). */
  public PeeringTls ensurePeeringTls(String clusterName, List<String> hosts) {
    Secret s = client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .withName(PontoonNames.PEERING_TLS_SECRET).get();
    if (s != null && s.getData() != null && s.getData().containsKey(TLS_CERT_KEY)
        && s.getData().containsKey(TLS_KEY_KEY)) {
      return new PeeringTls(decode(s.getData().get(TLS_CERT_KEY)), decode(s.getData().get(TLS_KEY_KEY)));
    }
    PeeringTls tls = PeeringTls.generate(clusterName, hosts);
    Secret desired = new SecretBuilder().withNewMetadata()
        .withName(PontoonNames.PEERING_TLS_SECRET).withNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .endMetadata().withType("kubernetes.io/tls")
        .addToData(TLS_CERT_KEY, encode(tls.certificatePem()))
        .addToData(TLS_KEY_KEY, encode(tls.privateKeyPem())).build();
    try {
      if (s == null) client.secrets().resource(desired).create();
      else client.secrets().resource(desired).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return ensurePeeringTls(clusterName, hosts);
      throw e;
    }
    LOG.info("event=peering-certificate-created fingerprint={}", tls.fingerprint());
    return tls;
  }

  /** Publishes the peering URL and fingerprint in the identity ConfigMap. */
  public void publish(String peeringUrl, String fingerprint) {
    client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName(PontoonNames.IDENTITY_CONFIGMAP)
        .edit(cm -> {
          Map<String, String> data = new HashMap<>(cm.getData() == null ? Map.of() : cm.getData());
          data.put(PontoonNames.IDENTITY_KEY_PEERING_URL, peeringUrl);
          data.put(PontoonNames.IDENTITY_KEY_FINGERPRINT, fingerprint);
          cm.setData(data);
          return cm;
        });
  }

  /** The identity ConfigMap's data, or an empty map. */
  public Map<String, String> published() {
    ConfigMap cm = configMap();
    return cm == null || cm.getData() == null ? Map.of() : cm.getData();
  }

  private ConfigMap configMap() {
    return client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .withName(PontoonNames.IDENTITY_CONFIGMAP).get();
  }

  static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
