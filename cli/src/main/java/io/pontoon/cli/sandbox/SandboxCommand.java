package io.pontoon.cli.sandbox;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pontoon sandbox …}: local simulated Kubernetes clusters. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "Run local simulated Kubernetes clusters (the embedded default for trying Pontoon).",
    subcommands = {SandboxUpCommand.class, SandboxStatusCommand.class, SandboxNodeCommand.class,
        SandboxDownCommand.class, SandboxNetnsCommand.class, ApiServerCommand.class, RunClusterCommand.class})
public final class SandboxCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
