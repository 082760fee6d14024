package io.pontoon.peering.handshake;

/**
 * Picks the CIDR under which this cluster sees a peer's pods (the IPAM's remapping) and records
 * the one the peer picked for ours. The agent binds it to the gateway's IPAM
 * ({@code io.pontoon.peering.network.IpamCidrAssigner}); {@link #passThrough()} keeps the peer's
 * own CIDR and records nothing.
 */
public interface CidrAssigner {
  /**
   * The block this cluster assigns to the peer, the same on every call for the same peer.
   *
   * @throws CidrExhaustedException when no block of that size is free
   */
  String assign(String peerId, String peerName, String peerPodCidr);

  /**
   * {@link #assign(String, String, String)} when the peer already said which block it assigned
   * to this cluster (the provider's side): that block is recorded and never handed to the peer.
   *
   * @param assignedToUs the peer's block for this cluster's pods, or null when not known yet
   * @throws PeeringException InvalidRequest when {@code assignedToUs} is not a usable block
   */
  default String assign(String peerId, String peerName, String peerPodCidr, String assignedToUs) {
    return assign(peerId, peerName, peerPodCidr);
  }

  /** Records the block the peer assigned to this cluster (the consumer's side, from the answer). */
  default void assignedByPeer(String peerId, String assignedToUs) {}

  /** Frees the peer's block; unknown peers are ignored. */
  void release(String peerId);

  /** Thrown when the pools have no free block; the handshake answers CIDRExhausted. */
  final class CidrExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CidrExhaustedException(String message) {
      super(message);
    }
  }

  static CidrAssigner passThrough() {
    return new CidrAssigner() {
      @Override
      public String assign(String peerId, String peerName, String peerPodCidr) {
        return peerPodCidr;
      }

      @Override
      public void release(String peerId) {}
    };
  }
}
