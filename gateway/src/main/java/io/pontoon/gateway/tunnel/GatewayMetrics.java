package io.pontoon.gateway.tunnel;

import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** Prometheus gauges of one tunnel, read from the latest observation. */
final class GatewayMetrics {
  /** What the latest reconcile saw. */
  record Observation(boolean up, long rxBytes, long txBytes, double rttSeconds,
      double latestHandshakeEpochSeconds, int missedProbes) {
    static final Observation NONE = new Observation(false, 0, 0, Double.NaN, 0, 0);
  }

  private final AtomicReference<Observation> latest = new AtomicReference<>(Observation.NONE);

  GatewayMetrics(MeterRegistry registry, String peerClusterId, String interfaceName) {
    Tags tags = Tags.of("peer", peerClusterId, "interface", interfaceName);
    Gauge.builder("pontoon_tunnel_up", latest, o -> o.get().up() ? 1 : 0)
        .description("1 when the tunnel is Up").tags(tags).register(registry);
    Gauge.builder("pontoon_tunnel_rx_bytes", latest, o -> o.get().rxBytes())
        .description("bytes received from the peer").tags(tags).register(registry);
    Gauge.builder("pontoon_tunnel_tx_bytes", latest, o -> o.get().txBytes())
        .description("bytes sent to the peer").tags(tags).register(registry);
    Gauge.builder("pontoon_tunnel_rtt_seconds", latest, o -> o.get().rttSeconds())
        .description("round trip of the latest answered health probe").tags(tags).register(registry);
    Gauge.builder("pontoon_tunnel_latest_handshake_seconds", latest,
            o -> o.get().latestHandshakeEpochSeconds())
        .description("Unix time of the latest WireGuard handshake, 0 for never").tags(tags).register(registry);
    Gauge.builder("pontoon_tunnel_missed_probes", latest, o -> o.get().missedProbes())
        .description("health probes missed in a row").tags(tags).register(registry);
  }

  void observe(Observation o) {
    latest.set(o);
  }
}
