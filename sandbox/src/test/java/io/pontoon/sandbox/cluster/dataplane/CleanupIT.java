package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.ContainerSpec;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.RunningContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataplane#cleanup} removes every namespace, interface and process of one sandbox, and only those. */
class CleanupIT {
  @TempDir Path dir;
  private DataplaneFixture fx;
  private DataplaneFixture bystander;

  @BeforeEach
  void setUp() {
    DataplaneFixture.requireDataplane("wireguard-go");
    fx = new DataplaneFixture(dir.resolve("a"));
    bystander = new DataplaneFixture(dir.resolve("b"));
  }

  @AfterEach
  void tearDown() {
    if (fx != null) fx.close();
    if (bystander != null) {
      bystander.close();
      assertThat(bystander.leftovers()).isEmpty();
    }
  }

  @Test
  void cleanupAfterACrashLeavesNothingOfTheSandboxAndTouchesNoOther() throws Exception {
    // another sandbox on the same host, with the same cluster and node indexes
    ClusterNetwork other = bystander.cluster("cluster-1", 1, "10.244.0.0/16");
    NodeNetwork otherNode = other.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    NetnsRuntime otherRt = bystander.runtime(other, otherNode);
    PodRef otherPod = DataplaneFixture.pod("keep");
    otherRt.startPodSandbox(otherPod, "10.244.1.9");
    RunningContainer otherContainer = otherRt.startContainer(otherPod, bystander.container("keep", "pause", "sleep", "1000"));

    List<RunningContainer> containers = new ArrayList<>();
    List<Long> escaped = new ArrayList<>();
    List<Process> gatewayProcesses = new ArrayList<>();
    List<Path> sockets = new ArrayList<>();
    for (int c = 1; c <= 2; c++) {
      ClusterNetwork net = fx.dataplane.createCluster("cluster-" + c, c, "10.244.0.0/16"); // never closed: a crash
      // a userspace WireGuard interface in the gateway namespace, as the agent's gateway makes one
      String wg = "pt-" + fx.id.value() + "0" + c;
      ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", net.gatewayNetns(), "wireguard-go", "-f", wg)
          .redirectErrorStream(true).redirectOutput(dir.resolve("wg-" + c + ".log").toFile());
      pb.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
      gatewayProcesses.add(pb.start());
      Path socket = Dataplane.wireGuardSocket(wg);
      await().atMost(DataplaneFixture.DEADLINE).until(() -> Files.exists(socket));
      sockets.add(socket);
      for (int n = 1; n <= 2; n++) {
        NetnsRuntime rt = net.runtime(net.addNode(n, "cluster-" + c + "-node-" + n, "10.244." + n + ".0/24"));
        PodRef pod = DataplaneFixture.pod("pod-" + n);
        rt.startPodSandbox(pod, "10.244." + n + ".5");
        containers.add(rt.startContainer(pod, fx.container("pod-" + n, "pause", "sleep", "1000")));
        // a process that leaves the container's process group: only the marker or the namespace finds it
        ContainerSpec escaper = fx.container("pod-" + n, "escaper", "sh", "-c",
            "setsid sleep 1000 & echo escaped=$!; exec sleep 1000");
        containers.add(rt.startContainer(pod, escaper));
        await().atMost(DataplaneFixture.DEADLINE).until(() -> DataplaneFixture.log(escaper).contains("escaped="));
        escaped.add(Long.parseLong(DataplaneFixture.log(escaper).replaceAll("(?s).*escaped=(\\d+).*", "$1")));
      }
    }
    // an interface that somehow ended up in the host namespace
    String strayLink = "pz" + fx.id.value() + "stray";
    fx.dataplane.ip().tryRun("link", "add", strayLink, "type", "bridge").orThrow();
    assertThat(fx.leftovers()).hasSizeGreaterThan(6);
    assertThat(escaped).allMatch(HostProcesses::alive);

    CleanupReport report = Dataplane.cleanup(fx.id);

    // clusters, gateways, the WAN, nodes, pods
    assertThat(report.namespaces()).hasSize(2 + 2 + 1 + 4 + 4)
        .contains(Dataplane.gatewayNetnsName(fx.id, "cluster-1"), Dataplane.gatewayNetnsName(fx.id, "cluster-2"),
            Dataplane.wanNetnsName(fx.id));
    assertThat(report.interfaces()).containsExactly(strayLink);
    // wireguard-go carries no marker: only its namespace finds it (ip netns exec execs it, same pid)
    assertThat(report.processes()).hasSizeGreaterThanOrEqualTo(10).containsAll(escaped)
        .containsAll(gatewayProcesses.stream().map(Process::pid).toList());
    assertThat(report.files()).containsAll(sockets.stream().map(Path::toString).toList());
    assertThat(sockets).allSatisfy(s -> assertThat(s).doesNotExist());
    for (Process p : gatewayProcesses) assertThat(p.waitFor(DataplaneFixture.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(fx.leftovers()).isEmpty();
    assertThat(fx.dataplane.ip().netnsList()).noneMatch(ns -> ns.startsWith(fx.dataplane.names().netnsPrefix()));
    assertThat(fx.dataplane.ip().hostLinks()).noneMatch(l -> l.contains(fx.id.value()));
    for (RunningContainer c : containers) c.exit().get(DataplaneFixture.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(escaped).hasSize(4).noneMatch(HostProcesses::alive);
    assertThat(Dataplane.cleanup(fx.id).nothingFound()).isTrue();

    // the other sandbox is untouched
    assertThat(otherContainer.exit()).isNotDone();
    assertThat(bystander.dataplane.ip().netnsExists(otherRt.netnsOf(otherPod))).isTrue();
    assertThat(bystander.dataplane.ip().netnsExists(otherNode.netns())).isTrue();
  }
}
