package io.pontoon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The root command in-process: help, version, completion scripts and usage errors. */
class PontoonCommandTest {

  static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void helpListsSubcommandsAndExitCodes() {
    CliRun r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: pontoon").contains("sandbox", "completion",
        "Exit codes: 0 success, 1 failure, 2 usage error.");
    assertThat(run().out()).startsWith("Usage: pontoon");
    CliRun sub = run("sandbox", "apiserver", "--help");
    assertThat(sub.exitCode()).isZero();
    assertThat(sub.out()).startsWith("Usage: pontoon sandbox apiserver").contains("--name", "--port",
        "--kubeconfig-out");
  }

  @Test
  void versionNamesTheProgram() {
    CliRun r = run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).matches("pontoon \\S+\\R");
  }

  @Test
  void completionScripts() {
    CliRun bash = run("completion", "bash");
    assertThat(bash.exitCode()).isZero();
    assertThat(bash.out()).contains("complete -F", "pontoon").contains("sandbox");
    CliRun zsh = run("completion", "zsh");
    assertThat(zsh.exitCode()).isZero();
    assertThat(zsh.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && "
        + "bashcompinit\n").contains("complete -F");
    CliRun fish = run("completion", "fish");
    assertThat(fish.exitCode()).isEqualTo(2);
    assertThat(fish.err()).contains("Invalid value for positional parameter", "fish");
  }

  @Test
  void usageErrorsExitWithTwo() {
    CliRun unknown = run("--bogus");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'");
    CliRun missing = run("sandbox", "apiserver");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required options", "--name", "--kubeconfig-out");
    CliRun badName = run("sandbox", "apiserver", "--name", "Bad_Name", "--kubeconfig-out", "/tmp/unused");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.err()).contains("cluster name \"Bad_Name\" is not a DNS-1123 label");
    CliRun badPort = run("sandbox", "apiserver", "--name", "x", "--port", "nope", "--kubeconfig-out", "/tmp/unused");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.err()).contains("Invalid value for option '--port'");
  }
}
