package io.pontoon.sandbox.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import io.pontoon.sandbox.conformance.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two simulated nodes in a sandbox cluster with fast timings; pods are bound by {@code spec.nodeName}. */
class SimulatedNodeIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir static Path dir;
  static SandboxCluster cluster;
  static KubernetesClient client;
  static Kubectl kubectl;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("t").withNodes(2).withTimings(ClusterSpec.Timings.fast()));
    client = cluster.client();
    kubectl = Kubectl.admin(cluster.apiServer(), dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  static SimulatedNode node(int i) {
    return cluster.components().stream().filter(c -> c.name().equals("t-node-" + i)).map(SimulatedNode.class::cast)
        .findFirst().orElseThrow();
  }

  static Pod pod(String node, String restartPolicy, List<String> command) {
    String name = "p" + SEQ.incrementAndGet();
    return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewSpec().withNodeName(node).withRestartPolicy(restartPolicy)
        .addNewContainer().withName("app").withImage("nginx:1.27").withCommand(command).endContainer()
        .endSpec().build()).create();
  }

  static Pod get(Pod p) {
    return client.pods().inNamespace("default").withName(p.getMetadata().getName()).get();
  }

  static Pod awaitPhase(Pod p, String phase) {
    await().atMost(DEADLINE).until(() -> {
      Pod now = get(p);
      return now != null && phase.equals(now.getStatus().getPhase());
    });
    return get(p);
  }

  static String condition(Pod p, String type) {
    return p.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus).findFirst().orElse("missing");
  }

  @Test
  void nodesRegisterReadyWithDistinctPodCidrsAndRenewTheirLeases() {
    List<Node> nodes = client.nodes().list().getItems();
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder("t-node-1", "t-node-2");
    for (Node n : nodes) {
      assertThat(n.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", n.getMetadata().getName())
          .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
          .containsKey("node-role.kubernetes.io/worker");
      assertThat(n.getStatus().getConditions()).extracting(NodeCondition::getType)
          .contains("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
      assertThat(n.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
          .extracting(NodeCondition::getStatus).containsExactly("True");
      assertThat(n.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
      assertThat(n.getStatus().getCapacity().get("pods").toString()).isEqualTo("110");
      assertThat(n.getStatus().getAllocatable()).isEqualTo(n.getStatus().getCapacity());
      assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0");
      assertThat(n.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isPositive();
      assertThat(n.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
          .contains("InternalIP=127.0.0.1", "Hostname=" + n.getMetadata().getName());
      assertThat(n.getSpec().getPodCIDRs()).containsExactly(n.getSpec().getPodCIDR());
    }
    assertThat(nodes).extracting(n -> n.getSpec().getPodCIDR())
        .containsExactlyInAnyOrder("10.244.0.0/24", "10.244.1.0/24");

    Lease first = client.leases().inNamespace("kube-node-lease").withName("t-node-1").get();
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo("t-node-1");
    assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(first.getMetadata().getOwnerReferences()).extracting(o -> o.getKind() + "/" + o.getName())
        .containsExactly("Node/t-node-1");
    ZonedDateTime renewed = first.getSpec().getRenewTime();
    await().atMost(DEADLINE).until(() -> client.leases().inNamespace("kube-node-lease").withName("t-node-1").get()
        .getSpec().getRenewTime().isAfter(renewed));
    String heartbeat = readyHeartbeat("t-node-1");
    await().atMost(DEADLINE).until(() -> readyHeartbeat("t-node-1").compareTo(heartbeat) > 0);
  }

  static String readyHeartbeat(String node) {
    return client.nodes().withName(node).get().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getLastHeartbeatTime();
  }

  @Test
  void boundPodRunsWithAnIpOfItsNodesPodCidrAndFullStatus() {
    Pod p = pod("t-node-1", "Always", List.of());
    Pod running = awaitPhase(p, "Running");
    Cidr cidr = Cidr.parse(client.nodes().withName("t-node-1").get().getSpec().getPodCIDR());
    assertThat(cidr.contains(running.getStatus().getPodIP())).isTrue();
    assertThat(running.getStatus().getPodIPs()).extracting(ip -> ip.getIp())
        .containsExactly(running.getStatus().getPodIP());
    assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");
    assertThat(running.getStatus().getHostIPs()).hasSize(1);
    assertThat(running.getStatus().getStartTime()).isNotBlank();
    assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");
    assertThat(running.getStatus().getConditions()).extracting(PodCondition::getType)
        .containsExactly("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
    assertThat(running.getStatus().getConditions()).allMatch(c -> c.getStatus().equals("True"));
    ContainerStatus cs = running.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getName()).isEqualTo("app");
    assertThat(cs.getReady()).isTrue();
    assertThat(cs.getStarted()).isTrue();
    assertThat(cs.getRestartCount()).isZero();
    assertThat(cs.getImage()).isEqualTo("nginx:1.27");
    assertThat(cs.getImageID()).startsWith("nginx@sha256:");
    assertThat(cs.getContainerID()).startsWith("sandbox://");
    assertThat(cs.getState().getRunning().getStartedAt()).isNotBlank();

    // once settled, the kubelet stops writing
    String version = get(p).getMetadata().getResourceVersion();
    await().during(Duration.ofSeconds(1)).atMost(DEADLINE)
        .until(() -> get(p).getMetadata().getResourceVersion().equals(version));
  }

  @Test
  void podsGetDistinctIpsAcrossNodes() {
    List<Pod> pods = List.of(pod("t-node-1", "Always", List.of()), pod("t-node-1", "Always", List.of()),
        pod("t-node-2", "Always", List.of()), pod("t-node-2", "Always", List.of()));
    List<String> ips = pods.stream().map(p -> awaitPhase(p, "Running").getStatus().getPodIP()).toList();
    assertThat(Set.copyOf(ips)).hasSize(4);
    assertThat(ips.subList(2, 4)).allMatch(ip -> ip.startsWith("10.244.1."));
  }

  @Test
  void hostNetworkPodTakesTheNodeAddress() {
    String name = "hostnet-" + SEQ.incrementAndGet();
    client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName("t-node-1").withHostNetwork(true)
        .addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().build()).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(client.pods().inNamespace("default").withName(name).get()
        .getStatus().getPhase()));
    assertThat(client.pods().inNamespace("default").withName(name).get().getStatus().getPodIP()).isEqualTo("127.0.0.1");
  }

  @Test
  void kubectlLogsReachTheKubeletThroughTheApiServer() {
    Pod p = pod("t-node-2", "Always", List.of("sh", "-c", "echo hello; echo world; sleep infinity"));
    awaitPhase(p, "Running");
    String name = p.getMetadata().getName();
    String out = kubectl.run("logs", name).ok();
    assertThat(out).isEqualTo("simulated container app started (image nginx:1.27)\nhello\nworld\n");
    assertThat(kubectl.run("logs", name, "--tail=1").ok()).isEqualTo("world\n");
    assertThat(kubectl.run("logs", name, "--limit-bytes=5").ok()).isEqualTo("simul");
    assertThat(kubectl.run("logs", name, "--timestamps").lines())
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z .*"));
    // the kubelet answers 400 "previous terminated container ... not found"
    assertThat(kubectl.run("logs", name, "--previous").fails()).contains("BadRequest")
        .contains("previous terminated container");
  }

  @Test
  void kubectlLogsFollowEndsWhenTheContainerStops() throws Exception {
    Pod p = pod("t-node-1", "Never", List.of("sh", "-c", "echo one; sleep 2; exit 0"));
    awaitPhase(p, "Running");
    try (Kubectl.Background follow = kubectl.background("logs", "-f", p.getMetadata().getName())) {
      assertThat(follow.waitFor(DEADLINE)).isZero();
      assertThat(follow.out()).endsWith("one\n");
    }
    awaitPhase(p, "Succeeded");
  }

  @Test
  void gracefulDeletionWaitsForTheGracePeriodThenDeletesThePod() {
    // ignores SIGTERM: only the end of the grace period stops it
    Pod p = pod("t-node-1", "Always", List.of("sh", "-c", "trap '' TERM; while true; do sleep 1; done"));
    awaitPhase(p, "Running");
    Instant asked = Instant.now();
    client.pods().inNamespace("default").withName(p.getMetadata().getName()).withGracePeriod(2).delete();
    Pod terminating = get(p);
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    await().atMost(DEADLINE).until(() -> get(p) == null);
    // SIGTERM was ignored: the pod went only when the grace period ended (SIGKILL), and soon after
    assertThat(Duration.between(asked, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void deletedPodOfAWellBehavedContainerGoesQuickly() {
    Pod p = pod("t-node-2", "Always", List.of());
    String ip = awaitPhase(p, "Running").getStatus().getPodIP();
    client.pods().inNamespace("default").withName(p.getMetadata().getName()).delete();
    await().atMost(DEADLINE).until(() -> get(p) == null);
    SimulatedRuntime rt = (SimulatedRuntime) node(2).runtime();
    assertThat(rt.sandboxIp(new PodRef("default", p.getMetadata().getName(), p.getMetadata().getUid()))).isEmpty();
    assertThat(ip).startsWith("10.244.1.");
  }

  @Test
  void restartPolicyAlwaysRestartsWithBackoffAndCountsRestarts() {
    Pod p = pod("t-node-1", "Always", List.of("sh", "-c", "exit 3"));
    await().atMost(DEADLINE).until(() -> restarts(get(p)) >= 3);
    Pod now = get(p);
    assertThat(now.getStatus().getPhase()).isEqualTo("Running");
    ContainerStatus cs = now.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("Error");
    // between restarts it waits in CrashLoopBackOff
    await().atMost(DEADLINE).until(() -> {
      ContainerStatus s = get(p).getStatus().getContainerStatuses().get(0);
      return s.getState().getWaiting() != null && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason());
    });
    assertThat(kubectl.run("logs", p.getMetadata().getName(), "--previous").ok()).contains("simulated container app started");
  }

  static int restarts(Pod p) {
    return p == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()
        ? 0 : p.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  @Test
  void restartPolicyOnFailureRestartsOnlyFailures() {
    Pod ok = pod("t-node-2", "OnFailure", List.of("sh", "-c", "sleep 0.3; exit 0"));
    Pod succeeded = awaitPhase(ok, "Succeeded");
    assertThat(restarts(succeeded)).isZero();
    assertThat(succeeded.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Completed");
    assertThat(condition(succeeded, "Ready")).isEqualTo("False");

    Pod failing = pod("t-node-2", "OnFailure", List.of());
    awaitPhase(failing, "Running");
    SimulatedRuntime rt = (SimulatedRuntime) node(2).runtime();
    PodRef ref = new PodRef("default", failing.getMetadata().getName(), failing.getMetadata().getUid());
    assertThat(rt.exit(ref, "app", 1)).isTrue();
    await().atMost(DEADLINE).until(() -> restarts(get(failing)) == 1 && "Running".equals(get(failing).getStatus()
        .getPhase()) && get(failing).getStatus().getContainerStatuses().get(0).getState().getRunning() != null);
    await().atMost(DEADLINE).until(() -> rt.exit(ref, "app", 0));
    Pod done = awaitPhase(failing, "Succeeded");
    assertThat(restarts(done)).isEqualTo(1);
  }

  @Test
  void restartPolicyNeverEndsInFailedOrSucceeded() {
    Pod failing = pod("t-node-1", "Never", List.of("sh", "-c", "exit 7"));
    Pod failed = awaitPhase(failing, "Failed");
    assertThat(failed.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(7);
    assertThat(restarts(failed)).isZero();
    Pod ok = pod("t-node-1", "Never", List.of("true"));
    awaitPhase(ok, "Succeeded");
  }

  @Test
  void initContainersRunFirstToCompletion() {
    String name = "init-" + SEQ.incrementAndGet();
    client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName("t-node-2")
        .addNewInitContainer().withName("setup").withImage("busybox").withCommand("sh", "-c", "sleep 0.5")
        .endInitContainer()
        .addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().build()).create();
    await().atMost(DEADLINE).until(() -> {
      Pod p = client.pods().inNamespace("default").withName(name).get();
      return p.getStatus().getInitContainerStatuses() != null && !p.getStatus().getInitContainerStatuses().isEmpty()
          && p.getStatus().getInitContainerStatuses().get(0).getState().getRunning() != null;
    });
    Pod initializing = client.pods().inNamespace("default").withName(name).get();
    assertThat(initializing.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(condition(initializing, "Initialized")).isEqualTo("False");
    assertThat(initializing.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    await().atMost(DEADLINE).until(() -> "Running".equals(client.pods().inNamespace("default").withName(name).get()
        .getStatus().getPhase()));
    Pod running = client.pods().inNamespace("default").withName(name).get();
    assertThat(running.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Completed");
    assertThat(condition(running, "Initialized")).isEqualTo("True");
  }

  @Test
  void stoppedNodeStopsHeartbeatingAndActingThenResumesAndCleansUp() {
    SimulatedNode n = node(2);
    Pod kept = pod("t-node-2", "Always", List.of());
    awaitPhase(kept, "Running");
    Pod doomed = pod("t-node-2", "Always", List.of());
    awaitPhase(doomed, "Running");
    n.stop();
    try {
      ZonedDateTime renewed = client.leases().inNamespace("kube-node-lease").withName("t-node-2").get().getSpec()
          .getRenewTime();
      Pod late = pod("t-node-2", "Always", List.of());
      client.pods().inNamespace("default").withName(doomed.getMetadata().getName()).withGracePeriod(0).delete();
      await().during(Duration.ofMillis(1500)).atMost(DEADLINE).until(() ->
          client.leases().inNamespace("kube-node-lease").withName("t-node-2").get().getSpec().getRenewTime()
              .equals(renewed) && "Pending".equals(get(late).getStatus().getPhase()));
      SimulatedRuntime rt = (SimulatedRuntime) n.runtime();
      PodRef doomedRef = new PodRef("default", doomed.getMetadata().getName(), doomed.getMetadata().getUid());
      assertThat(rt.sandboxIp(doomedRef)).as("containers keep running on a stopped node").isPresent();
      n.start();
      awaitPhase(late, "Running");
      await().atMost(DEADLINE).until(() -> rt.sandboxIp(doomedRef).isEmpty());
      await().atMost(DEADLINE).until(() -> client.leases().inNamespace("kube-node-lease").withName("t-node-2").get()
          .getSpec().getRenewTime().isAfter(renewed));
      assertThat(get(kept).getStatus().getPhase()).isEqualTo("Running");
    } finally {
      n.start();
    }
  }

  @Test
  void kubeletServesPodsAndHealthThroughNodeProxy() {
    Pod p = pod("t-node-1", "Always", List.of());
    awaitPhase(p, "Running");
    assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/t-node-1/proxy/healthz").ok()).isEqualTo("ok");
    String pods = kubectl.run("get", "--raw", "/api/v1/nodes/t-node-1/proxy/pods").ok();
    assertThat(pods).contains("\"kind\":\"PodList\"").contains(p.getMetadata().getName());
    Map<String, Long> byNode = client.pods().inNamespace("default").list().getItems().stream()
        .collect(Collectors.groupingBy(x -> x.getSpec().getNodeName(), Collectors.counting()));
    assertThat(byNode).containsKey("t-node-1");
  }
}
