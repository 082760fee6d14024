package io.pontoon.cli.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.cli.UserError;
import io.pontoon.sandbox.cluster.NodeControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pontoon sandbox node stop|start}: stops or restarts one simulated kubelet, to test
 * partitions. The kubelet's pods keep running, as on a node cut off from its API server.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Stop or start one simulated kubelet (its pods keep running, as in a network partition).",
    footerHeading = "%nExamples:%n",
    footer = {"  pontoon sandbox node stop --dir /tmp/pontoon cluster-1 cluster-1-node-2",
        "  pontoon sandbox node start --dir /tmp/pontoon cluster-1 cluster-1-node-2"})
public final class SandboxNodeCommand implements Callable<Integer> {
  enum Action { stop, start }

  @Parameters(index = "0", description = "stop or start.")
  Action action;

  @Option(names = "--dir", required = true, description = "The sandbox directory.")
  Path dir;

  @Parameters(index = "1", description = "Cluster name, e.g. cluster-1.")
  String cluster;

  @Parameters(index = "2", description = "Node name, e.g. cluster-1-node-1.")
  String node;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var state = SandboxState.read(dir).orElseThrow(() -> new UserError("no sandbox in " + dir.toAbsolutePath()));
    var c = state.cluster(cluster).orElseThrow(() -> new UserError("no cluster \"" + cluster + "\" in this sandbox; "
        + "it has " + state.clusters().stream().map(SandboxState.Cluster::name).toList()));
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(Path.of(c.kubeconfig())))).build()) {
      if (client.nodes().withName(node).get() == null) {
        throw new UserError("cluster " + cluster + " has no node \"" + node + "\"; 'kubectl --kubeconfig "
            + c.kubeconfig() + " get nodes' lists them");
      }
      // a merge patch of the one annotation, without resourceVersion: the kubelet's own status
      // writes to the node cannot make it conflict
      String value = action == Action.stop ? NodeControl.STOPPED : NodeControl.RUNNING;
      client.nodes().withName(node).patch(
          io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
          "{\"metadata\":{\"annotations\":{\"" + NodeControl.ANNOTATION + "\":\"" + value + "\"}}}");
    }
    spec.commandLine().getOut().println("✔ kubelet of " + node + " " + (action == Action.stop ? "stopped" : "started"));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
