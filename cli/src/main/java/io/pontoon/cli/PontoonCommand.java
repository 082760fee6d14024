package io.pontoon.cli;

import io.pontoon.cli.discovery.DiscoverCommand;
import io.pontoon.cli.discovery.DnsRecordsCommand;
import io.pontoon.cli.gateway.GatewayCommand;
import io.pontoon.cli.offload.OffloadCommand;
import io.pontoon.cli.offload.UnoffloadCommand;
import io.pontoon.cli.peering.AgentCommand;
import io.pontoon.cli.peering.PeerCommand;
import io.pontoon.cli.peering.StatusCommand;
import io.pontoon.cli.peering.TokenCommand;
import io.pontoon.cli.peering.UnpeerCommand;
import io.pontoon.cli.sandbox.SandboxCommand;
import io.pontoon.cli.vk.VirtualKubeletCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code pontoon}. */
@Command(
    name = "pontoon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Join Kubernetes clusters: a peered cluster appears as a virtual node,",
        "and pods scheduled there run in the peer's twin namespaces."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon sandbox apiserver --name demo --kubeconfig-out /tmp/demo.kubeconfig",
        "  source <(pontoon completion bash)",
        "",
        "Exit codes: 0 success, 1 failure, 2 usage error."},
    subcommands = {
        PeerCommand.class,
        UnpeerCommand.class,
        TokenCommand.class,
        StatusCommand.class,
        OffloadCommand.class,
        UnoffloadCommand.class,
        DiscoverCommand.class,
        DnsRecordsCommand.class,
        SandboxCommand.class,
        AgentCommand.class,
        VirtualKubeletCommand.class,
        GatewayCommand.class,
        CompletionCommand.class,
        CommandLine.HelpCommand.class})
public final class PontoonCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin KubeOptions kube = new KubeOptions();

  /** The root's {@code --kubeconfig}/{@code --context}, wherever on the line they were given. */
  public static KubeOptions kubeOptions(CommandLine.Model.CommandSpec anySubcommand) {
    return ((PontoonCommand) anySubcommand.root().userObject()).kube;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: expected errors print one line, never a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new PontoonCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }
}
