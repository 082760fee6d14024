package io.pontoon.peering.foreigncluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.DiscoveryType;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * How a user (the CLI) asks its own cluster's agent to peer: the token goes into Secret
 * {@code pontoon-peering-token} of the tenant namespace, and the ForeignCluster gets
 * {@code outgoingEnabled}, the URL and the fingerprint. The agent does the handshake, so the
 * client key is made and kept in the consumer cluster.
 */
public final class PeeringRequests {
  public static final String TOKEN_SECRET = "pontoon-peering-token";
  public static final String TOKEN_KEY = "token";
  /** On a ForeignCluster being deleted: keep the twin namespaces on the provider. */
  public static final String ANNOTATION_KEEP_NAMESPACES = "pontoon.io/keep-namespaces";
  /** Set by each peer request, so a retried request is looked at at once. */
  public static final String ANNOTATION_REQUESTED_AT = "pontoon.io/peer-requested-at";
  /** Event reason recorded when unpeering finished (message says whether the peer was told). */
  public static final String EVENT_UNPEERED = "Unpeered";

  private PeeringRequests() {}

  public static void request(KubernetesClient home, String providerId, String providerName, String url,
      String fingerprint, String token) {
    String ns = PontoonNames.tenantNamespace(providerName);
    try {
      home.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
          .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TENANT_NAMESPACE)
          .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, providerId)
          .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata().build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
    home.secrets().resource(new SecretBuilder().withNewMetadata().withName(TOKEN_SECRET).withNamespace(ns)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
        .addToData(TOKEN_KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
        .build()).createOr(s -> s.update());
    var fcs = home.resources(ForeignCluster.class);
    ForeignCluster fc = fcs.withName(providerName).get();
    if (fc != null && fc.getSpec() != null && !fc.getSpec().getOutgoingEnabled()) {
      // Before outgoing is enabled, so the agent's own result cannot be overwritten.
      markOutgoingPending(home, providerName);
    }
    String requestedAt = Instant.now().toString();
    if (fc == null) {
      fc = new ForeignCluster();
      fc.getMetadata().setName(providerName);
      ForeignClusterSpec spec = new ForeignClusterSpec();
      spec.setClusterID(providerId);
      spec.setClusterName(providerName);
      spec.setDiscoveryType(DiscoveryType.Manual);
      spec.setPeeringURL(url);
      spec.setFingerprint(fingerprint);
      spec.setOutgoingEnabled(true);
      fc.setSpec(spec);
      fc.getMetadata().setAnnotations(Map.of(ANNOTATION_REQUESTED_AT, requestedAt));
      try {
        fcs.resource(fc).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e; // discovery recorded it meanwhile: patch that record
      }
    }
    // A merge patch, not a read-modify-write: the agent and discovery keep writing this record
    // (status, finalizers, discovered fields), and a request must not lose to them on a conflict.
    // A new token for the same URL changes no spec field: the annotation wakes the agent up.
    Map<String, Object> patch = Map.of(
        "metadata", Map.of("annotations", Map.of(ANNOTATION_REQUESTED_AT, requestedAt)),
        "spec", Map.of("peeringURL", url, "fingerprint", fingerprint, "outgoingEnabled", true));
    fcs.withName(providerName).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }

  /**
   * The record of an incoming peering says Authenticated for the other direction; until this
   * cluster's agent has peered outwards it must not, or a caller waiting for it stops too early.
   */
  private static void markOutgoingPending(KubernetesClient home, String name) {
    var fcs = home.resources(ForeignCluster.class);
    for (int attempt = 1; attempt <= 5; attempt++) {
      ForeignCluster cur = fcs.withName(name).get();
      if (cur == null || cur.getStatus() == null || cur.getStatus().getConditions() == null) return;
      java.util.List<io.fabric8.kubernetes.api.model.Condition> conds = new java.util.ArrayList<>(cur.getStatus().getConditions());
      if (!io.pontoon.api.Conditions.set(conds, io.pontoon.api.Conditions.of(PontoonNames.ConditionTypes.AUTHENTICATED,
          PontoonNames.ConditionStatus.UNKNOWN, PontoonNames.Reasons.IN_PROGRESS,
          "waiting for this cluster's agent to peer with " + name, null))) {
        return;
      }
      cur.getStatus().setConditions(conds);
      try {
        fcs.resource(cur).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
  }
}
