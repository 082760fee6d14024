package io.pontoon.cli.vk;

import io.pontoon.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Flags of {@code pontoon virtual-kubelet} and its usage errors, without any cluster. */
class VirtualKubeletCommandTest {

  static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void helpNamesEveryFlagOfTheIssue() {
    CliRun r = run("virtual-kubelet", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--home-kubeconfig", "--foreign-kubeconfig", "--foreign-credentials-secret",
        "--foreign-cluster-id", "--foreign-cluster-name", "--node-name", "--twin-namespace-mapping",
        "--pod-workers", "--metrics-port", "--sharing-percentage", "Examples:");
  }

  @Test
  void needsExactlyOneSourceOfProviderCredentials() {
    CliRun none = run("virtual-kubelet", "--foreign-cluster-id", "6f1c0e2a-1111-2222-3333-444444444444",
        "--foreign-cluster-name", "provider");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("exactly one of --foreign-kubeconfig and --foreign-credentials-secret");
  }

  @Test
  void missingRequiredFlagsAreUsageErrors() {
    CliRun r = run("virtual-kubelet", "--foreign-kubeconfig", "/nonexistent");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--foreign-cluster-id");
  }

  @Test
  void unreadableKubeconfigSaysWhichFile() {
    CliRun r = run("virtual-kubelet", "--home-kubeconfig", "/nonexistent/home", "--foreign-kubeconfig", "/x",
        "--foreign-cluster-id", "6f1c0e2a-1111-2222-3333-444444444444", "--foreign-cluster-name", "provider");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read kubeconfig /nonexistent/home").doesNotContain("Exception");
  }
}
