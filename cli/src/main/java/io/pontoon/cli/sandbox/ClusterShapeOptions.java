package io.pontoon.cli.sandbox;

import io.pontoon.sandbox.cluster.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags that shape a sandbox cluster, shared by {@code sandbox up} (which validates them and
 * passes them on) and {@code sandbox run-cluster} (which applies them).
 */
public final class ClusterShapeOptions {
  @Option(names = "--nodes", defaultValue = "2", description = "Simulated nodes per cluster (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--pod-cidr", defaultValue = "10.244.0.0/16",
      description = "Pod CIDR of every cluster (default ${DEFAULT-VALUE}).")
  String podCidr;

  @Option(names = "--service-cidr", defaultValue = "10.96.0.0/12",
      description = "Service CIDR of every cluster (default ${DEFAULT-VALUE}).")
  String serviceCidr;

  @Option(names = "--dataplane",
      description = "Nodes and pods get real network namespaces; containers run as processes (root).")
  boolean dataplane;

  void validate(CommandLine cl) {
    if (nodes < 0 || nodes > 1000) {
      throw new CommandLine.ParameterException(cl, "--nodes must be between 0 and 1000, got " + nodes);
    }
    Cidrs.requireIpv4Cidr(cl, "--pod-cidr", podCidr);
    Cidrs.requireIpv4Cidr(cl, "--service-cidr", serviceCidr);
  }

  /** The same flags, for the child process. */
  List<String> args() {
    List<String> a = new ArrayList<>(List.of("--nodes", Integer.toString(nodes), "--pod-cidr", podCidr,
        "--service-cidr", serviceCidr));
    if (dataplane) a.add("--dataplane");
    return a;
  }

  ClusterSpec applyTo(ClusterSpec spec) {
    return spec.withNodes(nodes).withCidrs(podCidr, serviceCidr).withDataplane(dataplane);
  }
}
