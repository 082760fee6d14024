package io.pontoon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code pontoon}. */
@Command(
    name = "pontoon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Join Kubernetes clusters: a peered cluster appears as a virtual node.",
    subcommands = {CommandLine.HelpCommand.class})
public final class PontoonCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static CommandLine commandLine() {
    return new CommandLine(new PontoonCommand());
  }
}
