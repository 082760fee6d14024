package io.pontoon.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import io.pontoon.cli.PontoonCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = PontoonCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void helpShowsFlagsAndExamples() {
    Run r = run("gateway", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: pontoon gateway")
        .contains("--peer", "--listen-port", "--metrics-port", "--netns", "Examples:");
  }

  @Test
  void aMalformedPeerIsAUsageError() {
    Run r = run("gateway", "--peer", "not-a-uuid");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--peer must be a cluster ID");
    assertThat(run("gateway").exitCode()).isEqualTo(2);
  }

  @Test
  void aMissingNetnsIsNamed() {
    Run r = run("gateway", "--peer", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "--netns", "pontoon-no-such-ns");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("network namespace 'pontoon-no-such-ns' does not exist");
  }
}
