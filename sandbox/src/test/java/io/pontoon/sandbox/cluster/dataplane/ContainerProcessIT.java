package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.ContainerSpec;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.RunningContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container processes inside pod namespaces: exit codes, logs, env, stop with grace then kill, crash safety. */
class ContainerProcessIT {
  private static final Duration DEADLINE = DataplaneFixture.DEADLINE;
  @TempDir Path dir;
  private DataplaneFixture fx;
  private ClusterNetwork net;
  private NodeNetwork node;
  private NetnsRuntime rt;
  private final PodRef pod = DataplaneFixture.pod("p");

  @BeforeEach
  void setUp() {
    DataplaneFixture.requireDataplane();
    fx = new DataplaneFixture(dir);
    net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    node = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    rt = fx.runtime(net, node);
    rt.startPodSandbox(pod, "10.244.1.7");
  }

  @AfterEach
  void tearDown() {
    if (fx != null) {
      fx.close();
      assertThat(fx.leftovers()).isEmpty();
    }
  }

  private static int exitOf(RunningContainer c) throws Exception {
    return c.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void exitCodeStdoutStderrAndEnvAreCapturedAndLogsAppend() throws Exception {
    ContainerSpec spec = fx.container("p", "main", List.of("sh", "-c"),
        List.of("echo \"out $GREETING from $HOSTNAME\"; echo err >&2; ip -4 -o addr show dev eth0; exit 7"),
        Map.of("GREETING", "hi"));
    assertThat(exitOf(rt.startContainer(pod, spec))).isEqualTo(7);
    String log = DataplaneFixture.log(spec);
    assertThat(log).contains("out hi from p", "err", "10.244.1.7/24");

    assertThat(exitOf(rt.startContainer(pod, spec))).isEqualTo(7);
    assertThat(DataplaneFixture.log(spec).split("out hi from p", -1)).hasSize(3); // appended, not truncated
  }

  @Test
  void commandAndArgsAreJoined() throws Exception {
    ContainerSpec spec = fx.container("p", "echo", List.of("echo"), List.of("hello", "world"), Map.of());
    assertThat(exitOf(rt.startContainer(pod, spec))).isZero();
    assertThat(DataplaneFixture.log(spec)).isEqualTo("hello world\n");
  }

  @Test
  void aMissingExecutableExitsWithAStartErrorAndSaysWhy() throws Exception {
    ContainerSpec spec = fx.container("p", "bad", "no-such-binary-pontoon", "x");
    assertThat(exitOf(rt.startContainer(pod, spec))).isEqualTo(NetnsRuntime.START_ERROR_EXIT_CODE);
    assertThat(DataplaneFixture.log(spec)).contains("executable `no-such-binary-pontoon` not found");
  }

  @Test
  void aContainerWithoutCommandRunsUntilStopped() throws Exception {
    RunningContainer c = rt.startContainer(pod, fx.container("p", "pause", List.of(), List.of(), Map.of()));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> !c.exit().isDone());
    long start = System.nanoTime();
    c.stop(Duration.ofSeconds(10)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // TERM was enough
    assertThat(exitOf(c)).isEqualTo(128 + 15);
  }

  @Test
  void stopLetsAProcessHandleTermWithinTheGrace() throws Exception {
    ContainerSpec spec = fx.container("p", "polite", "sh", "-c",
        "trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 0.1; done");
    RunningContainer c = rt.startContainer(pod, spec);
    await().atMost(DEADLINE).until(() -> DataplaneFixture.log(spec).contains("ready"));
    c.stop(Duration.ofSeconds(10)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(exitOf(c)).isEqualTo(3);
    assertThat(DataplaneFixture.log(spec)).contains("got TERM");
  }

  @Test
  void stopKillsTheWholeGroupAfterTheGrace() throws Exception {
    ContainerSpec spec = fx.container("p", "stubborn", "sh", "-c",
        "trap '' TERM; sleep 1000 & echo child=$!; echo ready; while :; do sleep 0.1; done");
    RunningContainer c = rt.startContainer(pod, spec);
    await().atMost(DEADLINE).until(() -> DataplaneFixture.log(spec).contains("ready"));
    long child = Long.parseLong(DataplaneFixture.log(spec).replaceAll("(?s).*child=(\\d+).*", "$1"));
    assertThat(HostProcesses.alive(child)).isTrue();

    long start = System.nanoTime();
    c.stop(Duration.ofMillis(1500)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(10));
    assertThat(exitOf(c)).isEqualTo(128 + 9);
    await().atMost(DEADLINE).until(() -> !HostProcesses.alive(child));
    assertThat(fx.dataplane.ip().netnsPids(rt.netnsOf(pod))).isEmpty();
  }

  @Test
  void whatTheMainProcessLeavesBehindDiesWithIt() throws Exception {
    ContainerSpec spec = fx.container("p", "leaver", "sh", "-c", "sleep 1000 & echo child=$!");
    RunningContainer c = rt.startContainer(pod, spec);
    assertThat(exitOf(c)).isZero();
    long child = Long.parseLong(DataplaneFixture.log(spec).replaceAll("(?s).*child=(\\d+).*", "$1"));
    await().atMost(DEADLINE).until(() -> !HostProcesses.alive(child));
  }

  @Test
  void sandboxCallsAreIdempotentAndARestartedRuntimeReplacesLeftovers() throws Exception {
    String netns = rt.netnsOf(pod);
    rt.startPodSandbox(pod, "10.244.1.7"); // again: nothing changes
    ContainerSpec spec = fx.container("p", "pause", List.of(), List.of(), Map.of());
    RunningContainer old = rt.startContainer(pod, spec);

    // a new runtime for the same node, as after a kubelet crash, knows nothing and finds the leftover by name
    NetnsRuntime restarted = fx.runtime(net, node);
    restarted.startPodSandbox(pod, "10.244.1.7");
    assertThat(exitOf(old)).isEqualTo(128 + 9);
    RunningContainer fresh = restarted.startContainer(pod, spec);
    assertThat(fresh.exit()).isNotDone();

    PodRef stale = new PodRef(pod.namespace(), pod.name(), "another-uid");
    restarted.stopPodSandbox(stale); // an earlier incarnation's late stop does not hit the current pod
    assertThat(fx.dataplane.ip().netnsExists(netns)).isTrue();

    restarted.stopPodSandbox(pod);
    restarted.stopPodSandbox(pod);
    rt.stopPodSandbox(pod); // the old instance too: nothing left to do
    assertThat(exitOf(fresh)).isEqualTo(128 + 9);
    assertThat(fx.dataplane.ip().netnsExists(netns)).isFalse();
    assertThat(fx.dataplane.ip().linkExists(node.netns(), fx.dataplane.names().podHostVeth("cluster-1", "default", "p")))
        .isFalse();
    rt.stopPodSandbox(DataplaneFixture.pod("never-started"));
  }

  @Test
  void misuseIsReportedClearly() {
    assertThatThrownBy(() -> rt.startContainer(DataplaneFixture.pod("nope"), fx.container("nope", "c", "true")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("default/nope").hasMessageContaining("not started");
    assertThatThrownBy(() -> rt.startPodSandbox(DataplaneFixture.pod("q"), "10.244.2.7"))
        .hasMessageContaining("not inside node cluster-1-node-1's pod CIDR 10.244.1.0/24");
    assertThatThrownBy(() -> rt.startPodSandbox(DataplaneFixture.pod("q"), "10.244.1.1"))
        .hasMessageContaining("gateway");
    assertThatThrownBy(() -> net.addNode(2, "cluster-1-node-2", "10.244.1.0/25")).hasMessageContaining("overlaps");
    assertThatThrownBy(() -> net.addNode(3, "x", "10.245.0.0/24")).hasMessageContaining("not inside");
  }
}
