package io.pontoon.peering.network;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which UDP port a peering's gateway listens on. All gateways of a cluster may share one network
 * namespace (the sandbox's gateway namespace, a node's host network), so every Tunnel of the
 * cluster gets its own {@code spec.listenPort}: the lowest free port from the base (the port of
 * {@code --gateway-endpoint}, 51820 by default). A Tunnel keeps its port (a handshake replay gets
 * the same answer) unless an older Tunnel holds the same one, which only Tunnels written before
 * ports were allocated can do.
 */
public final class ListenPorts {
  private ListenPorts() {}

  /**
   * A Tunnel that exists in the cluster.
   *
   * @param created its creation timestamp (RFC 3339, compares as text) or null when unknown
   */
  public record Taken(String peerId, int port, String created, String name) {}

  private static final Comparator<Taken> OLDEST_FIRST = Comparator
      .comparing((Taken t) -> t.created() == null ? "~" : t.created())
      .thenComparing(t -> t.name() == null ? "" : t.name());

  /**
   * The port for {@code peerId}'s Tunnel.
   *
   * @param base first port to hand out (1..65535)
   * @param existing every Tunnel of the cluster, the peer's own included when it exists
   * @throws IllegalStateException when every port from {@code base} to 65535 is taken
   */
  public static int choose(int base, String peerId, List<Taken> existing) {
    if (base < 1 || base > 65535) throw new IllegalArgumentException("base port must be 1..65535, got " + base);
    Taken own = existing.stream().filter(t -> peerId.equals(t.peerId())).min(OLDEST_FIRST).orElse(null);
    if (own != null && own.port() >= 1 && own.port() <= 65535) {
      boolean olderHolder = existing.stream().anyMatch(t -> !peerId.equals(t.peerId()) && t.port() == own.port()
          && OLDEST_FIRST.compare(t, own) < 0);
      if (!olderHolder) return own.port();
    }
    Set<Integer> used = new HashSet<>();
    for (Taken t : existing) {
      if (!peerId.equals(t.peerId())) used.add(t.port());
    }
    for (int p = base; p <= 65535; p++) {
      if (!used.contains(p)) return p;
    }
    throw new IllegalStateException("no free UDP port from " + base + " for another gateway: " + used.size()
        + " Tunnels hold them; lower the port of --gateway-endpoint or unpeer unused clusters");
  }
}
