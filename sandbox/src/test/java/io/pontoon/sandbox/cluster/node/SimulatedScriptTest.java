package io.pontoon.sandbox.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatedScriptTest {
  @Test
  void serversRunUntilStopped() {
    assertThat(SimulatedScript.of(List.of()).exitAfter()).isEmpty();
    assertThat(SimulatedScript.of(List.of("nginx", "-g", "daemon off;")).exitAfter()).isEmpty();
    assertThat(SimulatedScript.of(List.of("sleep", "infinity")).exitAfter()).isEmpty();
    assertThat(SimulatedScript.of(List.of("python3", "-m", "http.server")).exitAfter()).isEmpty();
  }

  @Test
  void finiteCommandsExitWithTheirCode() {
    assertThat(SimulatedScript.of(List.of("sh", "-c", "exit 3"))).isEqualTo(
        new SimulatedScript(List.of(), Optional.of(Duration.ZERO), 3, false));
    assertThat(SimulatedScript.of(List.of("true")).exitCode()).isZero();
    assertThat(SimulatedScript.of(List.of("/bin/false")).exitCode()).isEqualTo(1);
    SimulatedScript s = SimulatedScript.of(List.of("/bin/sh", "-c", "echo 'hi there'; sleep 1.5 && echo done"));
    assertThat(s.output()).containsExactly("hi there", "done");
    assertThat(s.exitAfter()).contains(Duration.ofMillis(1500));
    assertThat(s.exitCode()).isZero();
  }

  @Test
  void trapOfTermIgnoresSigterm() {
    SimulatedScript s = SimulatedScript.of(List.of("sh", "-c", "trap '' TERM; while true; do sleep 1; done"));
    assertThat(s.ignoresSigterm()).isTrue();
    assertThat(s.exitAfter()).isEmpty();
    assertThat(SimulatedScript.of(List.of("sh", "-c", "trap 'echo bye' TERM; sleep 100")).ignoresSigterm()).isFalse();
  }
}
