package io.pontoon.gateway.wireguard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One peer of {@code wg show IF dump}.
 *
 * @param endpoint {@code host:port}, empty when the peer has not been heard from
 * @param latestHandshake empty when there never was one
 * @param persistentKeepaliveSeconds 0 when off
 */
public record PeerState(String publicKey, boolean hasPresharedKey, Optional<String> endpoint,
    List<String> allowedIps, Optional<Instant> latestHandshake, long rxBytes, long txBytes,
    int persistentKeepaliveSeconds) {
  public PeerState {
    allowedIps = List.copyOf(allowedIps);
  }
}
