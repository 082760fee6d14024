package io.pontoon.cli.sandbox;

import io.pontoon.cli.UserError;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.cluster.dataplane.Dataplane;
import io.pontoon.sandbox.cluster.dataplane.SandboxId;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon sandbox up}: N clusters as background processes, returning once all are ready. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {"Start sandbox clusters cluster-1 … cluster-N as background processes.",
        "By default every cluster uses pod CIDR 10.244.0.0/16 and service CIDR 10.96.0.0/12: overlapping on purpose."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon sandbox up --dir /tmp/pontoon",
        "  kubectl --kubeconfig /tmp/pontoon/cluster-1/kubeconfig get nodes",
        "  pontoon sandbox up --dir /tmp/pontoon --clusters 3 --nodes 4 --dataplane   # as root"})
public final class SandboxUpCommand implements Callable<Integer> {
  /** The first WireGuard port of every gateway; the agent gives each further tunnel the next free one. */
  static final int GATEWAY_PORT = 51820;

  @Option(names = "--dir", required = true, description = "Directory that holds the sandbox's files.")
  Path dir;

  @Option(names = "--clusters", defaultValue = "2", description = "Number of clusters (default ${DEFAULT-VALUE}).")
  int clusters;

  @CommandLine.Mixin ClusterShapeOptions shape;

  @Option(names = "--timeout", defaultValue = "120s", description = "How long to wait for the clusters (default ${DEFAULT-VALUE}).")
  String timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (clusters < 1 || clusters > 20) throw usage("--clusters must be between 1 and 20, got " + clusters);
    shape.validate(spec.commandLine());
    Duration wait = Durations.parse(spec.commandLine(), "--timeout", timeout);
    if (shape.dataplane && !Dataplane.missingRequirements().isEmpty()) {
      throw new UserError("--dataplane cannot run here: " + String.join("; ", Dataplane.missingRequirements())
          + " (run as root with iproute2 installed, or leave --dataplane out)");
    }
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(dir);
    var existing = SandboxState.read(dir);
    if (existing.isPresent() && existing.get().anyAlive()) {
      out.println("sandbox in " + dir.toAbsolutePath() + " is already up (" + existing.get().clusters().size()
          + " clusters); 'pontoon sandbox status --dir " + dir + "' shows them");
      out.flush();
      return 0;
    }
    String sandboxId = SandboxId.forDirectory(dir).value();
    List<Process> started = new ArrayList<>();
    List<Process> agents = new ArrayList<>();
    List<SandboxState.Cluster> state = new ArrayList<>();
    try {
      for (int i = 1; i <= clusters; i++) {
        String name = SandboxDir.clusterName(i);
        Path cdir = SandboxDir.cluster(dir, name).toAbsolutePath();
        Files.createDirectories(cdir);
        Files.deleteIfExists(cdir.resolve("ready"));
        Path log = cdir.resolve("cluster.log");
        List<String> cmd = new ArrayList<>(Launcher.selfCommand(SandboxCluster.JVM_OPTIONS));
        cmd.addAll(List.of("sandbox", "run-cluster", "--dir", cdir.toString(), "--name", name,
            "--index", Integer.toString(i), "--sandbox-id", sandboxId));
        cmd.addAll(shape.args());
        ProcessBuilder pb = new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true);
        Process p = pb.start();
        started.add(p);
        out.println("starting " + name + " (pid " + p.pid() + ", log " + log + ")");
        out.flush();
      }
      Instant deadline = Instant.now().plus(wait);
      for (int i = 1; i <= clusters; i++) {
        String name = SandboxDir.clusterName(i);
        Path cdir = SandboxDir.cluster(dir, name).toAbsolutePath();
        Process p = started.get(i - 1);
        String url = awaitReady(name, cdir, p, deadline);
        out.println("✔ " + name + " ready at " + url);
        out.flush();
        // Each cluster gets its agent (identity, peering service, peerings), as in a real cluster.
        // With the dataplane the agent runs its gateways in the cluster's gateway namespace, reachable on the WAN.
        String gatewayNetns = shape.dataplane ? Dataplane.gatewayNetnsName(new SandboxId(sandboxId), name) : null;
        String gatewayAddress = shape.dataplane ? Dataplane.gatewayWanAddress(i) : null;
        Process agent = startAgent(name, cdir, gatewayNetns, gatewayAddress);
        agents.add(agent);
        String peeringUrl = awaitAgent(name, cdir, agent, deadline);
        state.add(new SandboxState.Cluster(name, p.pid(), url, cdir.resolve("kubeconfig").toString(),
            cdir.resolve("cluster.log").toString(), agent.pid(), gatewayNetns, gatewayAddress));
        out.println("✔ " + name + " agent serving peering at " + peeringUrl + " (log " + cdir.resolve("agent.log") + ")");
        out.flush();
      }
    } catch (RuntimeException | IOException | InterruptedException e) {
      stopAll(agents);
      stopAll(started);
      // nothing was recorded, so 'down' cannot find what the clusters made: remove it now
      if (shape.dataplane) Dataplane.cleanup(new SandboxId(sandboxId));
      throw e;
    }
    new SandboxState(sandboxId, shape.dataplane, state).write(dir);
    out.println();
    out.println("Try:");
    out.println("  kubectl --kubeconfig " + state.get(0).kubeconfig() + " get nodes");
    out.println("  pontoon sandbox status --dir " + dir);
    out.println("  pontoon sandbox down --dir " + dir);
    out.flush();
    return 0;
  }

  private Process startAgent(String name, Path cdir, String gatewayNetns, String gatewayAddress) throws IOException {
    Files.deleteIfExists(cdir.resolve("agent-ready"));
    List<String> cmd = new ArrayList<>(Launcher.selfCommand());
    cmd.addAll(agentArgs(cdir, name, shape.podCidr, shape.serviceCidr, gatewayNetns, gatewayAddress));
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(cdir.resolve("agent.log").toFile()))
        .redirectErrorStream(true).start();
  }

  /** Stops processes (SIGTERM, so clusters remove their namespaces), waiting boundedly for each. */
  private static void stopAll(List<Process> processes) {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  /**
   * The arguments of a cluster's agent; with a gateway namespace (dataplane only) also
   * {@code --gateway-netns NS --gateway-endpoint WAN_IP:51820}.
   */
  static List<String> agentArgs(Path cdir, String name, String podCidr, String serviceCidr, String gatewayNetns,
      String gatewayAddress) {
    List<String> args = new ArrayList<>(List.of("--kubeconfig", cdir.resolve("kubeconfig").toString(), "agent",
        "--cluster-name", name, "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
        "--peering-port", "0", "--metrics-port", "0", "--webhook-port", "0", "--pod-cidr", podCidr,
        "--service-cidr", serviceCidr, "--vk-log-dir", cdir.toString(),
        "--ready-file", cdir.resolve("agent-ready").toString()));
    if (gatewayNetns != null) {
      args.addAll(List.of("--gateway-netns", gatewayNetns, "--gateway-endpoint", gatewayAddress + ":"
          + GATEWAY_PORT));
    }
    return args;
  }

  private static String awaitAgent(String name, Path cdir, Process p, Instant deadline)
      throws IOException, InterruptedException {
    Path ready = cdir.resolve("agent-ready");
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(ready)) return Files.readString(ready, StandardCharsets.UTF_8).trim().split(" ")[0];
      if (!p.isAlive()) {
        throw new UserError("the agent of " + name + " exited with code " + p.exitValue() + "; see " + cdir.resolve("agent.log"));
      }
      Thread.sleep(100);
    }
    throw new UserError("the agent of " + name + " was not ready in time; see " + cdir.resolve("agent.log")
        + " (or raise --timeout)");
  }

  private static String awaitReady(String name, Path cdir, Process p, Instant deadline)
      throws IOException, InterruptedException {
    Path ready = cdir.resolve("ready");
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(ready)) {
        String[] parts = Files.readString(ready, StandardCharsets.UTF_8).trim().split(" ");
        return parts[1];
      }
      if (!p.isAlive()) {
        throw new UserError(name + " exited with code " + p.exitValue() + " before it was ready; see "
            + cdir.resolve("cluster.log"));
      }
      Thread.sleep(100);
    }
    throw new UserError(name + " was not ready in time; see " + cdir.resolve("cluster.log")
        + " (or raise --timeout)");
  }

  private CommandLine.ParameterException usage(String msg) {
    return new CommandLine.ParameterException(spec.commandLine(), msg);
  }
}
