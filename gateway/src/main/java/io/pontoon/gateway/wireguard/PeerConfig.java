package io.pontoon.gateway.wireguard;

import java.util.List;
import java.util.Objects;

import io.pontoon.gateway.ipam.Cidr;

/**
 * A WireGuard peer as it should be configured.
 *
 * @param publicKey the peer's public key (base64)
 * @param endpoint {@code host:port}, or null when the peer connects to us
 * @param allowedIps addresses routed to the peer and accepted from it
 * @param persistentKeepaliveSeconds 0 turns keepalives off
 */
public record PeerConfig(String publicKey, String endpoint, List<Cidr> allowedIps,
    int persistentKeepaliveSeconds) {
  public PeerConfig {
    publicKey = WireGuardKeys.requireKey(publicKey, "peer public key");
    allowedIps = List.copyOf(Objects.requireNonNull(allowedIps, "allowedIps"));
    if (endpoint != null && (endpoint.isBlank() || endpoint.lastIndexOf(':') <= 0)) {
      throw new IllegalArgumentException("peer endpoint must be host:port, got '" + endpoint + "'");
    }
    if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
      throw new IllegalArgumentException("persistent keepalive must be 0..65535 s");
    }
  }
}
