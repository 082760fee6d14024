package io.pontoon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The root command in-process: help, version, completion scripts and usage errors. */
class PontoonCommandTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = PontoonCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsSubcommandsAndExitCodes() {
    Run r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: pontoon").contains("sandbox", "completion",
        "Exit codes: 0 success, 1 failure, 2 usage error.");
    assertThat(run().out()).startsWith("Usage: pontoon");
    Run sub = run("sandbox", "apiserver", "--help");
    assertThat(sub.exitCode()).isZero();
    assertThat(sub.out()).startsWith("Usage: pontoon sandbox apiserver").contains("--name", "--port",
        "--kubeconfig-out");
  }

  @Test
  void versionNamesTheProgram() {
    Run r = run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).matches("pontoon \\S+\\R");
  }

  @Test
  void completionScripts() {
    Run bash = run("completion", "bash");
    assertThat(bash.exitCode()).isZero();
    assertThat(bash.out()).contains("complete -F", "pontoon").contains("sandbox");
    Run zsh = run("completion", "zsh");
    assertThat(zsh.exitCode()).isZero();
    assertThat(zsh.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && "
        + "bashcompinit\n").contains("complete -F");
    Run fish = run("completion", "fish");
    assertThat(fish.exitCode()).isEqualTo(2);
    assertThat(fish.err()).contains("Invalid value for positional parameter", "fish");
  }

  @Test
  void usageErrorsExitWithTwo() {
    Run unknown = run("--bogus");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'");
    Run missing = run("sandbox", "apiserver");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required options", "--name", "--kubeconfig-out");
    Run badName = run("sandbox", "apiserver", "--name", "Bad_Name", "--kubeconfig-out", "/tmp/unused");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.err()).contains("cluster name \"Bad_Name\" is not a DNS-1123 label");
    Run badPort = run("sandbox", "apiserver", "--name", "x", "--port", "nope", "--kubeconfig-out", "/tmp/unused");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.err()).contains("Invalid value for option '--port'");
  }
}
