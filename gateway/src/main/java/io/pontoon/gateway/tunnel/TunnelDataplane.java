package io.pontoon.gateway.tunnel;

import java.util.List;
import java.util.Optional;

import io.pontoon.api.PontoonNames;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.nat.Nft;
import io.pontoon.gateway.nat.PeerNat;
import io.pontoon.gateway.nat.Routes;
import io.pontoon.gateway.wireguard.InterfaceState;
import io.pontoon.gateway.wireguard.PeerConfig;
import io.pontoon.gateway.wireguard.WireGuard;

/**
 * Converges one peering's dataplane in one network namespace: the WireGuard interface and its
 * peer, the gateway's tunnel address, the route of the peer's remapped CIDR, and the peering's
 * own nft table {@code netdev pontoon-<interface>}, whose chains hook only that interface (one
 * table per peering, so gateway processes of different peers in one namespace never replace each
 * other's rules). Idempotent; safe to call
 * after a crash at any point.
 */
public final class TunnelDataplane {
  private final HostCommands cmd;
  private final WireGuard wireGuard;
  private final Nft nft;
  private final Routes routes;

  public TunnelDataplane(HostCommands cmd) {
    this.cmd = cmd;
    this.wireGuard = new WireGuard(cmd);
    this.nft = new Nft(cmd);
    this.routes = new Routes(cmd);
  }

  public HostCommands commands() {
    return cmd;
  }

  public WireGuard wireGuard() {
    return wireGuard;
  }

  public Nft nft() {
    return nft;
  }

  /** The nft table of a peering's interface. */
  public static String tableName(String interfaceName) {
    return "pontoon-" + interfaceName;
  }

  /** Converges everything to {@code c}; returns how the interface is implemented. */
  public WireGuard.Mode apply(TunnelConfig c) {
    String dev = c.interfaceName();
    PeerNat nat = c.nat();
    WireGuard.Mode mode = wireGuard.create(dev, c.mtu());
    // the NAT's chains hook the interface itself, so it must exist first; NAT before the peer:
    // nothing crosses the tunnel before that (no peer, no route), so nothing crosses untranslated
    nft.apply(tableName(dev), List.of(nat));
    wireGuard.configure(dev, c.privateKey(), c.listenPort(), List.of(new PeerConfig(
        c.remotePublicKey(), c.endpoint(), List.of(c.remoteRemapped()), c.persistentKeepaliveSeconds())));
    routes.enableForwarding();
    routes.ensure(dev, nat.tunnelAddress(), c.remoteRemapped());
    return mode;
  }

  /** The interface's state, when it exists. */
  public Optional<InterfaceState> state(String peerClusterId) {
    String dev = PontoonNames.wireGuardInterface(peerClusterId);
    return wireGuard.exists(dev) ? Optional.of(wireGuard.show(dev)) : Optional.empty();
  }

  /** Removes interface (and with it its address and route), process, socket and nft table. */
  public void remove(String peerClusterId) {
    String dev = PontoonNames.wireGuardInterface(peerClusterId);
    wireGuard.delete(dev);
    nft.delete(tableName(dev));
  }

  /**
   * Probes the peer gateway's tunnel address with one ICMP echo from ours.
   *
   * @return the round trip in microseconds, or empty when no answer came within a second
   */
  public Optional<Long> probe(TunnelConfig c) {
    PeerNat nat = c.nat();
    HostCommands.Result r = cmd.run(List.of("ping", "-n", "-q", "-c", "1", "-W", "1", "-I",
        nat.tunnelAddress(), nat.peerTunnelAddress()), null);
    if (!r.ok()) {
      return Optional.empty();
    }
    // "rtt min/avg/max/mdev = 0.123/0.123/0.123/0.000 ms"
    int eq = r.stdout().lastIndexOf('=');
    if (eq < 0) {
      return Optional.empty();
    }
    String avg = r.stdout().substring(eq + 1).strip().split("/")[1];
    return Optional.of(Math.round(Double.parseDouble(avg) * 1000));
  }
}
