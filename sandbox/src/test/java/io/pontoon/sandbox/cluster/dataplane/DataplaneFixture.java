package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.ContainerSpec;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.RunningContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away sandbox for one integration test: a random sandbox id, and everything of it removed
 * at the end. Skips when not root or a tool is missing, but fails when {@code CI=true}.
 */
final class DataplaneFixture implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  final SandboxId id = SandboxId.random();
  final Dataplane dataplane = new Dataplane(id, DataplaneConfig.defaults());
  final Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  DataplaneFixture(Path dir) {
    this.dir = dir;
  }

  static void requireDataplane(String... tools) {
    List<String> missing = new ArrayList<>(Dataplane.missingRequirements());
    for (String tool : tools) {
      if (!Dataplane.onPath(tool)) missing.add("the `" + tool + "` command (install the Debian package "
          + CommandRunner.DEBIAN_PACKAGES.getOrDefault(tool, tool) + ")");
    }
    skipOrFail(missing, System.getenv("CI"));
  }

  /** Nothing missing: run. Something missing: skip, naming it, except on CI where it is a failure. */
  static void skipOrFail(List<String> missing, String ci) {
    if (missing.isEmpty()) return;
    String message = "dataplane integration tests need: " + String.join("; ", missing);
    if ("true".equals(ci)) Assertions.fail(message);
    Assumptions.abort(message);
  }

  ClusterNetwork cluster(String name, int index, String podCidr) {
    ClusterNetwork net = dataplane.createCluster(name, index, podCidr);
    closeables.add(net);
    return net;
  }

  /** Closes {@code c} with the fixture, before what was registered earlier. */
  <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(0, c);
    return c;
  }

  NetnsRuntime runtime(ClusterNetwork net, NodeNetwork node) {
    NetnsRuntime rt = net.runtime(node);
    closeables.add(0, rt); // runtimes close before their networks
    return rt;
  }

  static PodRef pod(String name) {
    return new PodRef("default", name, UUID.randomUUID().toString());
  }

  ContainerSpec container(String pod, String name, List<String> command, List<String> args, Map<String, String> env) {
    return new ContainerSpec(name, command, args, env, dir.resolve("logs").resolve(pod).resolve(name + ".log"));
  }

  ContainerSpec container(String pod, String name, String... command) {
    return container(pod, name, List.of(command), List.of(), Map.of());
  }

  /** An HTTP server on port 8080 serving {@code hello.txt} with {@code body}; returns once it listens. */
  RunningContainer httpServer(NetnsRuntime rt, PodRef pod, String body) {
    Path www = dir.resolve("www-" + pod.name() + "-" + rt.node().clusterName());
    try {
      Files.createDirectories(www);
      Files.writeString(www.resolve("hello.txt"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ContainerSpec spec = container(pod.name(), "server", "python3", "-u", "-m", "http.server", "8080", "--bind",
        "0.0.0.0", "--directory", www.toString());
    RunningContainer server = rt.startContainer(pod, spec);
    await().atMost(DEADLINE).until(() -> log(spec).contains("Serving HTTP") || server.exit().isDone());
    assertThat(server.exit()).as("server log: %s", log(spec)).isNotDone();
    return server;
  }

  /** Fetches {@code http://ip:8080/hello.txt} once from inside {@code pod}; returns the log of the attempt. */
  String fetch(NetnsRuntime rt, PodRef pod, String ip) throws Exception {
    ContainerSpec spec = container(pod.name(), "client-" + UUID.randomUUID(), "python3", "-c",
        "import sys, urllib.request; print('BODY=' + urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())",
        "http://" + ip + ":8080/hello.txt");
    int code = rt.startContainer(pod, spec).exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(code).as("client log: %s", log(spec)).isZero();
    return log(spec);
  }

  static String log(ContainerSpec spec) {
    try {
      return Files.exists(spec.logFile()) ? Files.readString(spec.logFile()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What of this sandbox is still on the host: namespaces, host interfaces, marked processes. */
  List<String> leftovers() {
    Names names = dataplane.names();
    List<String> left = new ArrayList<>();
    for (String ns : dataplane.ip().netnsList()) if (ns.startsWith(names.netnsPrefix())) left.add("netns " + ns);
    for (String link : dataplane.ip().hostLinks()) if (link.matches(names.interfacePattern())) left.add("link " + link);
    for (long pid : HostProcesses.markedWith(id)) left.add("pid " + pid);
    return left;
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // cleanup below removes whatever a failed close left
      }
    }
    Dataplane.cleanup(id);
  }
}
