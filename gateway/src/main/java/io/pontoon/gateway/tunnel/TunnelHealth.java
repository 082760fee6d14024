package io.pontoon.gateway.tunnel;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.TunnelState;

/**
 * Decides Up/Down from consecutive probe results: Up on an answered probe; once Up, Down only
 * after {@code maxMissed} misses in a row; the reason says whether WireGuard never completed a
 * handshake (wrong key or endpoint) or the handshake is there but probes go unanswered.
 */
public final class TunnelHealth {
  /** WireGuard drops a session after 180 s without a new handshake (REJECT_AFTER_TIME). */
  static final Duration HANDSHAKE_STALE = Duration.ofSeconds(180);

  /** The verdict after one probe. */
  public record Verdict(TunnelState state, int missed, String reason, String message) {}

  private final int maxMissed;
  private TunnelState state = TunnelState.Down;
  private int missed;

  public TunnelHealth(int maxMissed) {
    this.maxMissed = maxMissed;
  }

  public synchronized Verdict record(boolean answered, Optional<Instant> latestHandshake, Instant now) {
    boolean handshakeFresh = latestHandshake.isPresent()
        && Duration.between(latestHandshake.get(), now).compareTo(HANDSHAKE_STALE) < 0;
    if (answered) {
      missed = 0;
      state = TunnelState.Up;
      return new Verdict(state, 0, PontoonNames.Reasons.SUCCEEDED, "health probe answered");
    }
    missed++;
    if (state == TunnelState.Up && missed < maxMissed) {
      return new Verdict(state, missed, PontoonNames.Reasons.SUCCEEDED,
          missed + " probe(s) missed; Down after " + maxMissed);
    }
    state = TunnelState.Down;
    if (!handshakeFresh) {
      return new Verdict(state, missed, PontoonNames.Reasons.HANDSHAKE_MISSING,
          (latestHandshake.isEmpty() ? "no WireGuard handshake with the peer yet"
              : "the latest WireGuard handshake is older than 180 s")
              + "; check that Tunnel.spec.remotePublicKey is the peer's key, that its endpoint is "
              + "reachable over UDP, and that the peer's gateway runs");
    }
    return new Verdict(state, missed, PontoonNames.Reasons.PROBE_FAILED,
        missed + " health probes in a row unanswered although WireGuard has a handshake; check "
            + "the peer gateway's NAT, routes and NetworkConfig");
  }
}
