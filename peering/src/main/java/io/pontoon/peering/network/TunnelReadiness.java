package io.pontoon.peering.network;

import io.fabric8.kubernetes.api.model.Condition;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelState;
import java.util.Objects;

/**
 * A ForeignCluster's TunnelUp, read from the peer's {@code Tunnel} status that only the gateway
 * writes: True when Up, False with the Tunnel's Ready reason when Down, Unknown/GatewayNotRunning
 * while no gateway has reported, Unknown/Pending without a Tunnel.
 */
public record TunnelReadiness(String status, String reason, String message) {
  /** TunnelUp Unknown: the Tunnel exists but no gateway has reported on it. */
  public static final String REASON_GATEWAY_NOT_RUNNING = "GatewayNotRunning";

  /**
   * @param tunnel the peer's Tunnel in {@code ns}, or null
   * @param gatewaysLaunched whether this agent starts gateways ({@code --gateway-netns}), for the hint
   */
  public static TunnelReadiness of(Tunnel tunnel, String ns, String peerName, boolean gatewaysLaunched) {
    if (tunnel == null) {
      return new TunnelReadiness(PontoonNames.ConditionStatus.UNKNOWN, PontoonNames.Reasons.PENDING,
          "no gateway tunnel for this peering yet");
    }
    TunnelState state = tunnel.getStatus() == null ? null : tunnel.getStatus().getState();
    if (state == null) {
      String peerId = tunnel.getSpec() == null ? "<peer ID>" : tunnel.getSpec().getRemoteClusterID();
      return new TunnelReadiness(PontoonNames.ConditionStatus.UNKNOWN, REASON_GATEWAY_NOT_RUNNING,
          "Tunnel " + ns + "/" + peerName + " has no status: " + (gatewaysLaunched
              ? "its gateway is starting (see the agent's log, lines [gateway " + peerName + "])"
              : "no gateway runs for this peering; run the agent with --gateway-netns, or 'pontoon gateway --peer "
                  + peerId + "' (as root)"));
    }
    if (state == TunnelState.Up) {
      return new TunnelReadiness(PontoonNames.ConditionStatus.TRUE, PontoonNames.Reasons.SUCCEEDED,
          "tunnel " + peerName + " is up" + (tunnel.getStatus().getInterfaceName() == null ? ""
              : " on " + tunnel.getStatus().getInterfaceName()));
    }
    Condition ready = ready(tunnel);
    return new TunnelReadiness(PontoonNames.ConditionStatus.FALSE,
        ready == null ? PontoonNames.Reasons.TUNNEL_DOWN : safeReason(ready.getReason()),
        "tunnel " + peerName + " is down" + (ready == null || ready.getMessage() == null ? "" : ": " + ready.getMessage()));
  }

  /**
   * Whether a Tunnel update can change TunnelUp: the gateway rewrites bytes and RTT every probe,
   * which would otherwise reconcile the ForeignCluster every 2 s.
   */
  public static boolean changed(Tunnel before, Tunnel after) {
    if (before == null || after == null) return true;
    if (!Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        || !Objects.equals(before.getMetadata().getDeletionTimestamp(), after.getMetadata().getDeletionTimestamp())) {
      return true;
    }
    TunnelState sb = before.getStatus() == null ? null : before.getStatus().getState();
    TunnelState sa = after.getStatus() == null ? null : after.getStatus().getState();
    if (sb != sa) return true;
    Condition rb = ready(before);
    Condition ra = ready(after);
    return !Objects.equals(rb == null ? null : rb.getStatus(), ra == null ? null : ra.getStatus())
        || !Objects.equals(rb == null ? null : rb.getReason(), ra == null ? null : ra.getReason());
  }

  private static Condition ready(Tunnel t) {
    return t.getStatus() == null || t.getStatus().getConditions() == null ? null : t.getStatus().getConditions().stream()
        .filter(c -> PontoonNames.ConditionTypes.READY.equals(c.getType())).findFirst().orElse(null);
  }

  private static String safeReason(String r) {
    return r != null && r.matches("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$") ? r : PontoonNames.Reasons.TUNNEL_DOWN;
  }
}
