package io.pontoon.peering.handshake;

/**
 * Picks the CIDR under which this cluster sees a peer's pods (the IPAM's remapping). The lead
 * binds it to the gateway's IPAM; {@link #passThrough()} keeps the peer's own CIDR.
 */
public interface CidrAssigner {
  /**
   * The block this cluster assigns to the peer, the same on every call for the same peer.
   *
   * @throws CidrExhaustedException when no block of that size is free
   */
  String assign(String peerId, String peerName, String peerPodCidr);

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
