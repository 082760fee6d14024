package io.pontoon.cli.vk;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.cli.PontoonCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags of {@code pontoon virtual-kubelet} and its usage errors, without any cluster. */
class VirtualKubeletCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = PontoonCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void helpNamesEveryFlagOfTheIssue() {
    Run r = run("virtual-kubelet", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--home-kubeconfig", "--foreign-kubeconfig", "--foreign-credentials-secret",
        "--foreign-cluster-id", "--foreign-cluster-name", "--node-name", "--twin-namespace-mapping",
        "--pod-workers", "--metrics-port", "--sharing-percentage", "Examples:");
  }

  @Test
  void needsExactlyOneSourceOfProviderCredentials() {
    Run none = run("virtual-kubelet", "--foreign-cluster-id", "6f1c0e2a-1111-2222-3333-444444444444",
        "--foreign-cluster-name", "provider");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("exactly one of --foreign-kubeconfig and --foreign-credentials-secret");
  }

  @Test
  void missingRequiredFlagsAreUsageErrors() {
    Run r = run("virtual-kubelet", "--foreign-kubeconfig", "/nonexistent");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--foreign-cluster-id");
  }

  @Test
  void unreadableKubeconfigSaysWhichFile() {
    Run r = run("virtual-kubelet", "--home-kubeconfig", "/nonexistent/home", "--foreign-kubeconfig", "/x",
        "--foreign-cluster-id", "6f1c0e2a-1111-2222-3333-444444444444", "--foreign-cluster-name", "provider");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read kubeconfig /nonexistent/home").doesNotContain("Exception");
  }
}
