package io.pontoon.peering.network;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ClusterNetwork;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.api.v1alpha1.Tunnel;

/**
 * A ForeignCluster's NetworkReady: True once the peer's NetworkConfig holds both blocks (the one
 * we assigned to it and the one it assigned to us) and its Tunnel exists; Unknown/Pending before.
 */
public record NetworkReadiness(String status, String reason, String message) {
  /** NetworkReady True: both blocks known and the Tunnel written. */
  public static final String REASON_CIDRS_ASSIGNED = "CIDRsAssigned";

  /** Reads the peer's objects in its tenant namespace {@code ns} (both are named after the peer). */
  public static NetworkReadiness of(KubernetesClient client, String ns, String peerName) {
    try {
      NetworkConfig nc = client.resources(NetworkConfig.class).inNamespace(ns).withName(peerName).get();
      ClusterNetwork local = nc == null || nc.getSpec() == null ? null : nc.getSpec().getLocal();
      ClusterNetwork remote = nc == null || nc.getSpec() == null ? null : nc.getSpec().getRemote();
      if (local == null || remote == null || local.getRemappedPodCIDR() == null || remote.getRemappedPodCIDR() == null) {
        return pending("NetworkConfig " + ns + "/" + peerName + " does not hold both assigned blocks yet");
      }
      if (client.resources(Tunnel.class).inNamespace(ns).withName(peerName).get() == null) {
        return pending("Tunnel " + ns + "/" + peerName + " does not exist yet");
      }
      return new NetworkReadiness(PontoonNames.ConditionStatus.TRUE, REASON_CIDRS_ASSIGNED,
          peerName + "'s pods " + remote.getPodCIDR() + " appear here as " + remote.getRemappedPodCIDR()
              + "; ours " + local.getPodCIDR() + " appear there as " + local.getRemappedPodCIDR());
    } catch (KubernetesClientException e) {
      return pending("NetworkConfig and Tunnel cannot be read (HTTP " + e.getCode() + ")");
    }
  }

  private static NetworkReadiness pending(String message) {
    return new NetworkReadiness(PontoonNames.ConditionStatus.UNKNOWN, PontoonNames.Reasons.PENDING, message);
  }
}
