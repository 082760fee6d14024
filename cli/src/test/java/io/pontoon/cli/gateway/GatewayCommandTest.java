package io.pontoon.cli.gateway;

import io.pontoon.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayCommandTest {

  static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void helpShowsFlagsAndExamples() {
    CliRun r = run("gateway", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: pontoon gateway")
        .contains("--peer", "--listen-port", "--metrics-port", "--netns", "Examples:");
  }

  @Test
  void aMalformedPeerIsAUsageError() {
    CliRun r = run("gateway", "--peer", "not-a-uuid");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--peer must be a cluster ID");
    assertThat(run("gateway").exitCode()).isEqualTo(2);
  }

  @Test
  void aMissingNetnsIsNamed() {
    CliRun r = run("gateway", "--peer", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "--netns", "pontoon-no-such-ns");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("network namespace 'pontoon-no-such-ns' does not exist");
  }
}
