package io.pontoon.peering.gateway;

import java.util.Set;

/**
 * Runs one {@code pontoon gateway} per local Tunnel. {@link GatewayController} calls
 * {@link #ensureRunning} for every Tunnel (cheap and idempotent) and {@link #stop} once the
 * Tunnel is gone. In the sandbox's dataplane mode {@link LocalGatewayLauncher} runs child
 * processes in the cluster's gateway network namespace; in a real cluster an implementation
 * would render {@code manifests/templates/gateway} into a Deployment per peering.
 */
public interface GatewayLauncher extends AutoCloseable {

  /**
   * One peering's gateway.
   *
   * @param peerId the peer's cluster ID ({@code --peer})
   * @param peerName the peer's name (the Tunnel's name), for logs
   * @param listenPort the Tunnel's {@code spec.listenPort} ({@code --listen-port})
   */
  record Gateway(String peerId, String peerName, int listenPort) {}

  /** Starts the gateway unless it runs as asked; restarts it when {@code gateway} changed. */
  void ensureRunning(Gateway gateway);

  /**
   * Stops the peering's gateway and removes its dataplane (interface, wireguard-go, socket, nft
   * table, route), whether or not a gateway was running. Idempotent; throws when the removal
   * failed (the caller retries).
   */
  void stop(String peerId);

  boolean running(String peerId);

  /** Peers whose gateway may still run or have left a dataplane from an earlier agent. */
  Set<String> leftovers();

  /** Stops supervising and stops the processes; dataplanes stay for the next gateway to adopt. */
  @Override
  void close();

  /** Without {@code --gateway-netns}: nothing is started (TunnelUp stays Unknown/GatewayNotRunning). */
  static GatewayLauncher none() {
    return new GatewayLauncher() {
      @Override
      public void ensureRunning(Gateway gateway) {}

      @Override
      public void stop(String peerId) {}

      @Override
      public boolean running(String peerId) {
        return false;
      }

      @Override
      public Set<String> leftovers() {
        return Set.of();
      }

      @Override
      public void close() {}
    };
  }
}
