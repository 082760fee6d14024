package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  private final CommandRunner runner = new CommandRunner(Duration.ofSeconds(5));

  @Test
  void returnsOutputOfASuccessfulCommand() {
    CommandResult r = runner.run("sh", "-c", "echo out; echo err >&2");
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
  }

  @Test
  void aFailureNamesTheCommandTheExitCodeAndStderr() {
    assertThatThrownBy(() -> runner.run("sh", "-c", "echo 'Cannot find device \"x\"' >&2; exit 2"))
        .isInstanceOf(CommandException.class)
        .hasMessageContaining("sh -c")
        .hasMessageContaining("exit code 2")
        .hasMessageContaining("Cannot find device \"x\"")
        .satisfies(e -> assertThat(((CommandException) e).exitCode()).isEqualTo(2));
  }

  @Test
  void aMissingToolNamesItsDebianPackage() {
    assertThatThrownBy(() -> runner.run(List.of("/nonexistent/bin/ip", "link")))
        .isInstanceOf(ToolMissingException.class)
        .hasMessageContaining("install the Debian package iproute2")
        .satisfies(e -> assertThat(((ToolMissingException) e).debianPackage()).isEqualTo("iproute2"));
    assertThatThrownBy(() -> runner.run(List.of("pontoon-no-such-tool")))
        .isInstanceOf(CommandException.class)
        .hasMessageContaining("could not start `pontoon-no-such-tool`");
  }

  @Test
  void aHangingCommandIsKilledAtItsTimeout() {
    CommandRunner quick = new CommandRunner(Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(() -> quick.run(List.of("sleep", "30")))
        .isInstanceOf(CommandTimeoutException.class)
        .hasMessageContaining("sleep 30")
        .hasMessageContaining("PT0.3S");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void findsEnvironmentEntriesExactly() {
    byte[] env = "A=1\0PONTOON_SANDBOX=abc123\0B=2".getBytes(StandardCharsets.UTF_8);
    assertThat(HostProcesses.containsEntry(env, "PONTOON_SANDBOX=abc123".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(HostProcesses.containsEntry(env, "PONTOON_SANDBOX=abc12".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(HostProcesses.containsEntry(env, "B=2".getBytes(StandardCharsets.UTF_8))).isTrue();
  }
}
