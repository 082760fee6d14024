package io.pontoon.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster's name and ID, as the agent keeps them in ConfigMap
 * {@code pontoon-system/pontoon-identity}.
 */
public record ClusterIdentity(String id, String name) {
  public ClusterIdentity {
    Objects.requireNonNull(id, "cluster ID");
    Objects.requireNonNull(name, "cluster name");
    if (!id.matches(PontoonNames.CLUSTER_ID_PATTERN)) {
      throw new IllegalArgumentException("cluster ID must be a lowercase UUID, got '" + id + "'");
    }
    if (!PontoonNames.isDns1123Label(name)) {
      throw new IllegalArgumentException("cluster name must be a DNS-1123 label, got '" + name + "'");
    }
  }

  /** The identity stored in {@code client}'s cluster, if the agent has made one. */
  public static Optional<ClusterIdentity> find(KubernetesClient client) {
    ConfigMap cm = client.configMaps()
        .inNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .withName(PontoonNames.IDENTITY_CONFIGMAP)
        .get();
    return cm == null ? Optional.empty() : from(cm.getData());
  }

  /** The identity in a ConfigMap's data, when both keys are present. */
  public static Optional<ClusterIdentity> from(Map<String, String> data) {
    if (data == null) return Optional.empty();
    String id = data.get(PontoonNames.IDENTITY_KEY_CLUSTER_ID);
    String name = data.get(PontoonNames.IDENTITY_KEY_CLUSTER_NAME);
    return id == null || name == null ? Optional.empty() : Optional.of(new ClusterIdentity(id, name));
  }
}
