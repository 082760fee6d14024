package io.pontoon.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import io.pontoon.api.v1alpha1.TunnelState;
import org.junit.jupiter.api.Test;

class TunnelHealthTest {
  final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void upOnAnswerDownAfterFiveMisses() {
    TunnelHealth h = new TunnelHealth(5);
    assertThat(h.record(true, Optional.of(now), now).state()).isEqualTo(TunnelState.Up);
    for (int i = 1; i < 5; i++) {
      TunnelHealth.Verdict v = h.record(false, Optional.of(now), now);
      assertThat(v.state()).isEqualTo(TunnelState.Up);
      assertThat(v.missed()).isEqualTo(i);
    }
    TunnelHealth.Verdict down = h.record(false, Optional.of(now), now);
    assertThat(down.state()).isEqualTo(TunnelState.Down);
    assertThat(down.reason()).isEqualTo("ProbeFailed");
    assertThat(h.record(true, Optional.of(now), now).state()).isEqualTo(TunnelState.Up);
  }

  @Test
  void withoutHandshakeTheReasonSaysSo() {
    TunnelHealth h = new TunnelHealth(5);
    TunnelHealth.Verdict v = h.record(false, Optional.empty(), now);
    assertThat(v.state()).isEqualTo(TunnelState.Down);
    assertThat(v.reason()).isEqualTo("HandshakeMissing");
    assertThat(v.message()).contains("remotePublicKey");
    assertThat(h.record(false, Optional.of(now.minusSeconds(600)), now).reason()).isEqualTo("HandshakeMissing");
  }
}
