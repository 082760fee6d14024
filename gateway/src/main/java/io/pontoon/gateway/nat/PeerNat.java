package io.pontoon.gateway.nat;

import java.util.Objects;

import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.wireguard.WireGuard;

/**
 * The double-NAT of one tunnel interface, per ARCHITECTURE.md: this gateway translates only its
 * own cluster's addresses.
 *
 * @param interfaceName the tunnel interface
 * @param localPodCidr this cluster's pod CIDR
 * @param localRemapped the block the peer assigned to this cluster (SNAT target, DNAT match)
 * @param remoteRemapped the block this cluster assigned to the peer (routed into the tunnel)
 * @param mtu the interface's MTU, to which TCP's MSS is clamped both ways
 */
public record PeerNat(String interfaceName, Cidr localPodCidr, Cidr localRemapped, Cidr remoteRemapped, int mtu) {
  /** IPv4 and TCP headers without options: the MSS is the MTU less these. */
  static final int TCP_IP_HEADERS = 40;

  public PeerNat {
    WireGuard.requireName(interfaceName);
    Objects.requireNonNull(localPodCidr, "localPodCidr");
    Objects.requireNonNull(localRemapped, "localRemapped");
    Objects.requireNonNull(remoteRemapped, "remoteRemapped");
    if (localPodCidr.prefix() != localRemapped.prefix()) {
      throw new IllegalArgumentException("the block the peer assigned to us (" + localRemapped
          + ") must be the size of our pod CIDR " + localPodCidr);
    }
    if (localRemapped.prefix() > 30 || remoteRemapped.prefix() > 30) {
      throw new IllegalArgumentException("remapped blocks must be /30 or larger: the last address "
          + "of each is the gateway's tunnel address");
    }
    if (mtu < 576 || mtu > 9000) {
      throw new IllegalArgumentException("MTU must be 576..9000, got " + mtu);
    }
  }

  /** The largest TCP segment that fits the interface's MTU, as SYNs crossing it are clamped to. */
  public int mss() {
    return mtu - TCP_IP_HEADERS;
  }

  /** Whether the peer kept our real CIDR, so no translation is needed. */
  public boolean identity() {
    return localPodCidr.equals(localRemapped);
  }

  /**
   * This gateway's own address on the tunnel, for the health probe: the last address of the
   * block the peer assigned to us (reserved by convention, never a pod's).
   */
  public String tunnelAddress() {
    return Cidr.formatAddress(localRemapped.last());
  }

  /** The peer gateway's tunnel address: the last address of the block we assigned to it. */
  public String peerTunnelAddress() {
    return Cidr.formatAddress(remoteRemapped.last());
  }
}
