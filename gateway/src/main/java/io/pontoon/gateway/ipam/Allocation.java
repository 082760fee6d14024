package io.pontoon.gateway.ipam;

import java.util.Objects;

/**
 * The block this cluster assigned to one peer.
 *
 * @param peerClusterId the peer's cluster ID
 * @param peerName the peer's cluster name (names its tenant namespace)
 * @param peerPodCidr the peer's real pod CIDR
 * @param remapped the block under which the peer's pods appear here; same size as peerPodCidr
 */
public record Allocation(String peerClusterId, String peerName, Cidr peerPodCidr, Cidr remapped) {
  public Allocation {
    Objects.requireNonNull(peerClusterId, "peerClusterId");
    Objects.requireNonNull(peerName, "peerName");
    Objects.requireNonNull(peerPodCidr, "peerPodCidr");
    Objects.requireNonNull(remapped, "remapped");
    if (peerPodCidr.prefix() != remapped.prefix()) {
      throw new IllegalArgumentException("remapped block " + remapped
          + " must have the size of the peer's pod CIDR " + peerPodCidr);
    }
  }
}
