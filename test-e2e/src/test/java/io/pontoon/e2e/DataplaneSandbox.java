package io.pontoon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.gateway.HostCommands;
import io.pontoon.sandbox.cluster.dataplane.Dataplane;
import io.pontoon.sandbox.cluster.dataplane.SandboxId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pontoon sandbox up --dataplane} as a user runs it, from the test's classpath: the
 * clusters, their agents and whatever the agents start (virtual kubelets, gateways) are child
 * processes, every node and pod a network namespace, every cluster with a gateway namespace on
 * a shared WAN. {@link #close()} always runs {@code sandbox down}, which removes all of it.
 */
final class DataplaneSandbox implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One cluster as {@code sandbox.json} records it. */
  record Cluster(String name, Path kubeconfig, String gatewayNetns, String gatewayAddress, ClusterIdentity identity,
      KubernetesClient client, Kubectl kubectl) {}

  private final Path dir;
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private SandboxId sandboxId;
  private boolean started;

  DataplaneSandbox(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code count} clusters of one node each, all on pod CIDR 10.244.0.0/16. */
  DataplaneSandbox up(int count) throws IOException {
    started = true;
    PontoonCli.Result up = PontoonCli.run("sandbox", "up", "--dir", dir.toString(), "--clusters",
        Integer.toString(count), "--nodes", "1", "--pod-cidr", "10.244.0.0/16", "--dataplane", "--timeout", "300s");
    System.out.print(up.out());
    if (up.exitCode() != 0) {
      throw new AssertionError("sandbox up failed (" + up.exitCode() + "): " + up.err() + up.out() + logTails());
    }
    JsonNode state = JSON.readTree(dir.resolve("sandbox.json").toFile());
    sandboxId = new SandboxId(state.path("sandboxId").asText());
    for (JsonNode c : state.path("clusters")) {
      String name = c.path("name").asText();
      Path kubeconfig = Path.of(c.path("kubeconfig").asText());
      String netns = c.path("gatewayNetns").asText(null);
      String wan = c.path("gatewayAddress").asText(null);
      if (netns == null || wan == null) {
        throw new AssertionError("sandbox.json has no gatewayNetns/gatewayAddress for " + name
            + ": this sandbox up does not make gateway namespaces");
      }
      KubernetesClient client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
      ClusterIdentity identity = ClusterIdentity.find(client)
          .orElseThrow(() -> new AssertionError(name + " has no identity ConfigMap"));
      clusters.put(name, new Cluster(name, kubeconfig, netns, wan, identity, client, new Kubectl(kubeconfig)));
    }
    return this;
  }

  /** The last lines of every log of the sandbox, for a failure message. */
  String logTails() {
    StringBuilder out = new StringBuilder();
    try (var files = Files.walk(dir, 2)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        out.append("\n--- ").append(log).append(" (last 15 lines)\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      out.append("\n(logs unreadable: ").append(e).append(')');
    }
    return out.toString();
  }

  Cluster cluster(String name) {
    Cluster c = clusters.get(name);
    if (c == null) throw new IllegalArgumentException("no cluster " + name + " in " + clusters.keySet());
    return c;
  }

  List<Cluster> clusters() {
    return List.copyOf(clusters.values());
  }

  Path dir() {
    return dir;
  }

  SandboxId sandboxId() {
    return sandboxId != null ? sandboxId : SandboxId.forDirectory(dir);
  }

  /** The network namespace of a pod, as {@code pontoon sandbox netns} prints it. */
  String podNetns(String cluster, String namespace, String pod) {
    return Dataplane.netnsName(sandboxId, cluster, namespace, pod);
  }

  /** {@code pontoon --kubeconfig <cluster's> ARGS}, in-process. */
  PontoonCli.Result pontoon(String cluster, String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", cluster(cluster).kubeconfig().toString()));
    all.addAll(List.of(args));
    return PontoonCli.run(all.toArray(String[]::new));
  }

  /** Runs a command inside a network namespace (10 s at most); any exit code. */
  static HostCommands.Result inNetns(String netns, String... command) {
    return HostCommands.inNetns(netns).run(List.of(command), null);
  }

  @Override
  public void close() {
    clusters.values().forEach(c -> c.client().close());
    if (!started) return;
    if (!Files.exists(dir.resolve("sandbox.json"))) {
      // up failed before it recorded anything: remove what its clusters may have left, by name
      Dataplane.cleanup(SandboxId.forDirectory(dir));
      return;
    }
    PontoonCli.Result down = PontoonCli.run("sandbox", "down", "--dir", dir.toString());
    System.out.print(down.out());
    if (down.exitCode() != 0) {
      throw new AssertionError("sandbox down failed (" + down.exitCode() + "): " + down.err() + down.out());
    }
  }
}
