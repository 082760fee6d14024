package io.pontoon.cli.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.cli.UserError;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon sandbox status}: clusters, endpoints, nodes and pods of a sandbox. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {"Show the clusters of a sandbox: process, API endpoint, nodes ready, pods;",
        "with --dataplane also each cluster's gateway: its WAN address and network namespace."},
    footerHeading = "%nExamples:%n",
    footer = {"  pontoon sandbox status --dir /tmp/pontoon", "  pontoon sandbox status --dir /tmp/pontoon -o json"})
public final class SandboxStatusCommand implements Callable<Integer> {
  enum Output { table, json }

  @Option(names = "--dir", required = true, description = "The sandbox directory.")
  Path dir;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES}.")
  Output output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * One row of the status.
   *
   * @param gatewayNetns the cluster's gateway network namespace (dataplane only)
   * @param gatewayAddress the gateway's WAN address (dataplane only)
   */
  public record ClusterStatus(String name, long pid, boolean running, String endpoint, String kubeconfig,
      int nodes, int nodesReady, int pods, int podsRunning, String gatewayNetns, String gatewayAddress,
      String error) {}

  @Override
  public Integer call() throws Exception {
    var state = SandboxState.read(dir).orElseThrow(() -> new UserError("no sandbox in " + dir.toAbsolutePath()
        + "; start one with 'pontoon sandbox up --dir " + dir + "'"));
    List<ClusterStatus> rows = new ArrayList<>();
    for (SandboxState.Cluster c : state.clusters()) rows.add(statusOf(c));
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
    } else {
      boolean gateways = rows.stream().anyMatch(r -> r.gatewayNetns() != null);
      String format = "%-12s %-8s %-8s %-28s %-7s %-9s" + (gateways ? " %-15s %s" : "") + "%n";
      out.printf(Locale.ROOT, format, "CLUSTER", "PID", "STATE", "ENDPOINT", "NODES", "PODS", "GATEWAY-WAN",
          "GATEWAY-NETNS");
      for (ClusterStatus r : rows) {
        out.printf(Locale.ROOT, format, r.name(), Long.toString(r.pid()), r.running() ? "Running" : "Stopped",
            r.endpoint(), r.nodesReady() + "/" + r.nodes(), r.podsRunning() + "/" + r.pods(),
            orNone(r.gatewayAddress()), orNone(r.gatewayNetns()));
        if (r.error() != null) out.println("  " + r.error());
      }
    }
    out.flush();
    return rows.stream().allMatch(ClusterStatus::running) ? 0 : 1;
  }

  private static String orNone(String s) {
    return s == null ? "<none>" : s;
  }

  private static ClusterStatus statusOf(SandboxState.Cluster c) {
    boolean alive = ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false);
    if (!alive) return new ClusterStatus(c.name(), c.pid(), false, c.url(), c.kubeconfig(), 0, 0, 0, 0,
        c.gatewayNetns(), c.gatewayAddress(), "the cluster process is not running; see " + c.log());
    try {
      Config config = Config.fromKubeconfig(Files.readString(Path.of(c.kubeconfig())));
      config.setRequestTimeout(5_000);
      config.setConnectionTimeout(5_000);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        List<Node> nodes = client.nodes().list().getItems();
        int ready = (int) nodes.stream().filter(n -> n.getStatus() != null && n.getStatus().getConditions() != null
            && n.getStatus().getConditions().stream().anyMatch(x -> x.getType().equals("Ready")
                && x.getStatus().equals("True"))).count();
        var pods = client.pods().inAnyNamespace().list().getItems();
        int running = (int) pods.stream().filter(p -> p.getStatus() != null
            && "Running".equals(p.getStatus().getPhase())).count();
        return new ClusterStatus(c.name(), c.pid(), true, c.url(), c.kubeconfig(), nodes.size(), ready, pods.size(),
            running, c.gatewayNetns(), c.gatewayAddress(), null);
      }
    } catch (Exception e) {
      return new ClusterStatus(c.name(), c.pid(), true, c.url(), c.kubeconfig(), 0, 0, 0, 0, c.gatewayNetns(),
          c.gatewayAddress(), "the API server did not answer: " + e.getMessage());
    }
  }
}
