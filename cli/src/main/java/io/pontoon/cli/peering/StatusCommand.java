package io.pontoon.cli.peering;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.cli.OutputFormat;
import io.pontoon.cli.PontoonCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon status}: this cluster's identity, its peers, every condition, virtual nodes, grants. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show this cluster's peerings: direction, phase, each condition, virtual node, granted resources.",
    footerHeading = "%nExamples:%n",
    footer = {"  pontoon --kubeconfig c1.kubeconfig status", "  pontoon status -o json"})
public final class StatusCommand implements Callable<Integer> {
  static final List<String> CONDITIONS = List.of(ConditionTypes.AUTHENTICATED, ConditionTypes.RESOURCES_GRANTED,
      ConditionTypes.NETWORK_READY, ConditionTypes.TUNNEL_UP, ConditionTypes.VIRTUAL_NODE_READY,
      ConditionTypes.API_SERVER_REACHABLE);

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default ${DEFAULT-VALUE}).")
  OutputFormat output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One peer, as -o json/yaml prints it. */
  public record Peer(String name, String clusterID, boolean outgoing, boolean incoming, String phase,
      List<Map<String, String>> conditions, Map<String, String> grantedResources, String virtualNode,
      String virtualNodeReady, String apiServerURL) {}

  @Override
  public Integer call() {
    try (KubernetesClient home = PontoonCommand.kubeOptions(spec).client()) {
      List<ForeignCluster> fcs;
      try {
        fcs = home.resources(ForeignCluster.class).list().getItems();
      } catch (KubernetesClientException e) {
        throw Errors.kube(e, "list ForeignClusters");
      }
      List<Peer> peers = new ArrayList<>();
      for (ForeignCluster fc : fcs) peers.add(peer(home, fc));
      PrintWriter out = spec.commandLine().getOut();
      List<String> header = new ArrayList<>(List.of("peer", "direction", "phase"));
      header.addAll(List.of("auth", "resources", "network", "tunnel", "node", "apiserver", "granted"));
      List<List<String>> rows = new ArrayList<>();
      for (Peer p : peers) {
        List<String> row = new ArrayList<>(List.of(p.name(), direction(p), p.phase() == null ? "" : p.phase()));
        for (String c : CONDITIONS) {
          row.add(p.conditions().stream().filter(x -> c.equals(x.get("type"))).map(x -> x.get("status")).findFirst().orElse("-"));
        }
        row.add(p.grantedResources().isEmpty() ? "" : String.join(",", p.grantedResources().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        rows.add(row);
      }
      if (!(peers.isEmpty() && output == OutputFormat.table)) output.print(out, peers, header, rows);
      if (output == OutputFormat.table) {
        if (peers.isEmpty()) out.println("no peers yet; 'pontoon peer --help' shows how to add one");
        for (Peer p : peers) {
          for (Map<String, String> c : p.conditions()) {
            if (!"True".equals(c.get("status"))) {
              out.println(p.name() + ": " + c.get("type") + " " + c.get("status") + " (" + c.get("reason") + "): " + c.get("message"));
            }
          }
        }
        out.flush();
      }
      return 0;
    }
  }

  private static String direction(Peer p) {
    return p.outgoing() && p.incoming() ? "both" : p.outgoing() ? "outgoing" : p.incoming() ? "incoming" : "none";
  }

  private static Peer peer(KubernetesClient home, ForeignCluster fc) {
    var st = fc.getStatus();
    List<Map<String, String>> conds = new ArrayList<>();
    List<Condition> list = st == null || st.getConditions() == null ? List.of() : st.getConditions();
    for (String type : CONDITIONS) {
      Conditions.find(list, type).ifPresent(c -> {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", c.getType());
        m.put("status", c.getStatus());
        m.put("reason", c.getReason());
        m.put("message", c.getMessage());
        m.put("lastTransitionTime", c.getLastTransitionTime());
        conds.add(m);
      });
    }
    Map<String, String> granted = new LinkedHashMap<>();
    if (st != null && st.getGrantedResources() != null) {
      for (Map.Entry<String, Quantity> e : st.getGrantedResources().entrySet()) granted.put(e.getKey(), e.getValue().toString());
    }
    String nodeName = fc.getSpec() != null && fc.getSpec().getOutgoingEnabled()
        ? PontoonNames.virtualNodeName(fc.getMetadata().getName()) : null;
    String ready = null;
    if (nodeName != null) {
      Node n = home.nodes().withName(nodeName).get();
      ready = n == null ? "Absent" : n.getStatus() == null || n.getStatus().getConditions() == null ? "Unknown"
          : n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus())
              .findFirst().orElse("Unknown");
    }
    return new Peer(fc.getMetadata().getName(), fc.getSpec() == null ? null : fc.getSpec().getClusterID(),
        fc.getSpec() != null && fc.getSpec().getOutgoingEnabled(), fc.getSpec() != null && fc.getSpec().getIncomingEnabled(),
        st == null || st.getPhase() == null ? null : st.getPhase().name(), conds, granted, nodeName, ready,
        st == null ? null : st.getApiServerURL());
  }
}
