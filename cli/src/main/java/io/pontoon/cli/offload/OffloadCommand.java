package io.pontoon.cli.offload;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pontoon offload}: parent of what can be offloaded (for now, namespaces). */
@Command(
    name = "offload",
    mixinStandardHelpOptions = true,
    description = "Offload a namespace: its pods may run on peered clusters, in twin namespaces there.",
    subcommands = {OffloadNamespaceCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {"  pontoon offload namespace web --strategy Remote --wait"})
public final class OffloadCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
