package io.pontoon.cli.offload;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pontoon unoffload}: parent of what can be unoffloaded (for now, namespaces). */
@Command(
    name = "unoffload",
    mixinStandardHelpOptions = true,
    description = "Stop offloading a namespace and remove its twin namespaces from peered clusters.",
    subcommands = {UnoffloadNamespaceCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {"  pontoon unoffload namespace web --wait"})
public final class UnoffloadCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
