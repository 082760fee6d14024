package io.pontoon.cli.peering;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.cli.PontoonCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's webhook and discovery flags are checked before anything connects. */
class AgentCommandTest {
  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    var cl = PontoonCommand.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new String[] {String.valueOf(code), err.toString()};
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--webhook-service=pontoon-webhook|--webhook-service must be NAMESPACE/NAME[:PORT]",
      "--webhook-service=ns/Name|--webhook-service must be NAMESPACE/NAME[:PORT]",
      "--webhook-service=ns/name:70000|--webhook-service port must be 1..65535",
      "--webhook-port=70000|--webhook-port must be 0..65535",
      "--mdns-interface=eth0|--mdns-interface needs --mdns",
      "--dns-server=10.0.0.53|--dns-server needs --discovery-domain",
      "--discovery-domain=bad_domain!|--discovery-domain must be a DNS domain",
      "--gateway-netns=bad/name|--gateway-netns must be the name of a network namespace",
      "--gateway-endpoint=100.127.0.1|--gateway-endpoint: gateway endpoint must be HOST:PORT"})
  void refusesBadFlagsWithAClearMessage(String flag, String message) {
    String[] r = run("agent", "--cluster-name", "c1", flag);
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains(message);
  }

  @Test
  void serviceNeedsTheWebhook() {
    String[] r = run("agent", "--cluster-name", "c1", "--webhook-port", "-1", "--webhook-service", "ns/svc");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--webhook-service needs the webhook");
  }

  @Test
  void aMissingGatewayNamespaceIsNamed() {
    String[] r = run("agent", "--cluster-name", "c1", "--gateway-netns", "pontoon-no-such-netns");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).contains("network namespace 'pontoon-no-such-netns' does not exist");
  }

  @Test
  void theGatewayCommandTheAgentRunsParses() {
    // what LocalGatewayLauncher runs: --kubeconfig after the subcommand (inherited option)
    String[] r = run("gateway", "--kubeconfig", "/nonexistent/kubeconfig", "--peer", "not-an-id", "--netns", "gw-1",
        "--listen-port", "51821", "--metrics-port", "0");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--peer must be a cluster ID").doesNotContain("Unknown option");
  }

  @Test
  void helpShowsTheNewFlags() {
    StringWriter out = new StringWriter();
    var cl = PontoonCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.execute("agent", "--help");
    assertThat(out.toString()).contains("--webhook-port", "--webhook-service", "--discovery-domain", "--dns-server",
        "--mdns", "--mdns-interface", "--gateway-netns");
  }
}
