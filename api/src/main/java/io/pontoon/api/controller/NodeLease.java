package io.pontoon.api.controller;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A node's heartbeat Lease in {@code kube-node-lease}, as kubelet keeps it: created on first
 * renewal (owned by the Node so it goes with it), then its renewTime moved forward. Shared by the
 * sandbox's simulated kubelets and Pontoon's virtual kubelet.
 */
public final class NodeLease {
  public static final String NAMESPACE = "kube-node-lease";
  /** kubelet's default nodeLeaseDurationSeconds. */
  public static final int DURATION_SECONDS = 40;

  private NodeLease() {}

  /** Renews (or creates) the Lease of {@code nodeName}; {@code nodeUid} may be null. */
  public static void renew(KubernetesClient client, String nodeName, String nodeUid) {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    for (int attempt = 0; attempt < 3; attempt++) {
      Lease lease = client.leases().inNamespace(NAMESPACE).withName(nodeName).get();
      try {
        if (lease == null) {
          LeaseBuilder b = new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
              .endMetadata().withNewSpec().withHolderIdentity(nodeName)
              .withLeaseDurationSeconds(DURATION_SECONDS).withRenewTime(now).endSpec();
          if (nodeUid != null) {
            b.editMetadata().addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(nodeName)
                .withUid(nodeUid).endOwnerReference().endMetadata();
          }
          client.leases().inNamespace(NAMESPACE).resource(b.build()).create();
        } else {
          lease.getSpec().setHolderIdentity(nodeName);
          lease.getSpec().setLeaseDurationSeconds(DURATION_SECONDS);
          lease.getSpec().setRenewTime(now);
          client.leases().inNamespace(NAMESPACE).resource(lease).update();
        }
        return;
      } catch (KubernetesClientException e) {
        // 409: someone else wrote it (a restarted kubelet, a test): read again and retry
        if (e.getCode() != 409) throw e;
      }
    }
  }
}
