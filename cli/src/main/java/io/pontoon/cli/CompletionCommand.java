package io.pontoon.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pontoon completion bash|zsh}: prints a completion script. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Print a shell completion script for bash or zsh.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  source <(pontoon completion bash)",
        "  pontoon completion zsh > \"${fpath[1]}/_pontoon\""})
public final class CompletionCommand implements Runnable {
  enum Shell { bash, zsh }

  @Parameters(index = "0", description = "Shell: ${COMPLETION-CANDIDATES}.", defaultValue = "bash")
  Shell shell;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    String script = AutoComplete.bash("pontoon", spec.root().commandLine());
    if (shell == Shell.zsh) {
      // picocli's script is bash; zsh runs it through bashcompinit
      script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
  }
}
