package io.pontoon.gateway.wireguard;

import java.util.List;
import java.util.Optional;

/**
 * A WireGuard interface as {@code wg show IF dump} reports it. The private key is deliberately
 * not kept.
 */
public record InterfaceState(String publicKey, int listenPort, String fwmark, List<PeerState> peers) {
  public InterfaceState {
    peers = List.copyOf(peers);
  }

  public Optional<PeerState> peer(String publicKey) {
    return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
  }
}
