package io.pontoon.cli.sandbox;

import io.pontoon.cli.UserError;
import io.pontoon.sandbox.cluster.dataplane.Dataplane;
import io.pontoon.sandbox.cluster.dataplane.SandboxId;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pontoon sandbox netns}: the network namespace of a pod, for {@code ip netns exec}. */
@Command(
    name = "netns",
    mixinStandardHelpOptions = true,
    description = "Print the network namespace of a pod of a --dataplane sandbox.",
    footerHeading = "%nExamples:%n",
    footer = "  ip netns exec $(pontoon sandbox netns --dir /tmp/pontoon cluster-1 default/web-0) ip addr")
public final class SandboxNetnsCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The sandbox directory.")
  Path dir;

  @Parameters(index = "0", description = "Cluster name, e.g. cluster-1.")
  String cluster;

  @Parameters(index = "1", description = "NAMESPACE/POD.")
  String pod;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String[] parts = pod.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "the pod must be given as NAMESPACE/POD, got \""
          + pod + "\"");
    }
    var state = SandboxState.read(dir).orElseThrow(() -> new UserError("no sandbox in " + dir.toAbsolutePath()));
    if (!state.dataplane()) {
      throw new UserError("the sandbox in " + dir + " runs without --dataplane: its pods have no network namespaces");
    }
    if (state.cluster(cluster).isEmpty()) {
      throw new UserError("no cluster \"" + cluster + "\" in this sandbox");
    }
    spec.commandLine().getOut().println(Dataplane.netnsName(new SandboxId(state.sandboxId()), cluster, parts[0],
        parts[1]));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
