package io.pontoon.gateway.tunnel;

import java.util.Objects;

import io.pontoon.api.PontoonNames;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.nat.PeerNat;
import io.pontoon.gateway.wireguard.WireGuardKeys;

/**
 * Everything one peering's dataplane needs: keys, UDP endpoint, MTU and the addresses of the
 * NetworkConfig. {@link #toString()} never shows the private key.
 *
 * @param endpoint the peer's {@code host:port}, or null on the side that waits to be contacted
 * @param localRemapped the block the peer assigned to this cluster
 * @param remoteRemapped the block this cluster assigned to the peer
 */
public record TunnelConfig(String peerClusterId, String privateKey, int listenPort, int mtu,
    String remotePublicKey, String endpoint, int persistentKeepaliveSeconds,
    Cidr localPodCidr, Cidr localRemapped, Cidr remoteRemapped) {

  public TunnelConfig {
    Objects.requireNonNull(peerClusterId, "peerClusterId");
    PontoonNames.wireGuardInterface(peerClusterId); // validates the ID's form
    WireGuardKeys.requireKey(privateKey, "private key");
    WireGuardKeys.requireKey(remotePublicKey, "peer public key");
    if (listenPort < 1 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port must be 1..65535, got " + listenPort);
    }
  }

  public String interfaceName() {
    return PontoonNames.wireGuardInterface(peerClusterId);
  }

  public PeerNat nat() {
    return new PeerNat(interfaceName(), localPodCidr, localRemapped, remoteRemapped, mtu);
  }

  @Override
  public String toString() {
    return "TunnelConfig[peer=" + peerClusterId + ", interface=" + interfaceName()
        + ", listenPort=" + listenPort + ", mtu=" + mtu + ", remotePublicKey=" + remotePublicKey
        + ", endpoint=" + endpoint + ", keepalive=" + persistentKeepaliveSeconds
        + ", localPodCIDR=" + localPodCidr + ", localRemapped=" + localRemapped
        + ", remoteRemapped=" + remoteRemapped + ", privateKey=(redacted)]";
  }
}
