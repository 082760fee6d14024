package io.pontoon.api.v1alpha1;

/** Whether a WireGuard tunnel carries traffic. */
public enum TunnelState {
  /** Handshake recent and health probes answered. */
  Up,
  /** No recent handshake or probes missed; see the Ready condition. */
  Down
}
