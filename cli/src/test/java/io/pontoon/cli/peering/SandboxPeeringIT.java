package io.pontoon.cli.peering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.sandbox.junit.HostRequirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo from the shaded jar, as a user types it: {@code sandbox up} starts an agent
 * per cluster, {@code peer --remote-kubeconfig --wait} peers cluster-1 with cluster-2,
 * {@code offload namespace demo --strategy Remote --wait} and a {@code kubectl create deployment}
 * put 3 pods on the virtual node that run in {@code demo-cluster-1} on cluster-2; {@code status}
 * shows the peering, {@code unpeer} ends it, {@code sandbox down} leaves no process and no file.
 */
class SandboxPeeringIT {
  private static final Path JAR = Path.of("target", "pontoon.jar");
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private record Run(int code, String out) {}

  private static Run run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static Run pontoon(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static Run kubectl(String kubeconfig, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Names and nodes of the Running pods in a namespace. */
  private static List<String> runningPods(String kubeconfig, String namespace) throws Exception {
    Run r = kubectl(kubeconfig, "-n", namespace, "get", "pods", "-o", "json");
    assertThat(r.code()).as(r.out()).isZero();
    List<String> out = new ArrayList<>();
    for (JsonNode pod : JSON.readTree(r.out()).path("items")) {
      if ("Running".equals(pod.path("status").path("phase").asText())) {
        out.add(pod.path("metadata").path("name").asText() + "@" + pod.path("spec").path("nodeName").asText());
      }
    }
    return out;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void upPeerOffloadDeployStatusUnpeerDown() throws Exception {
    HostRequirements.check().tool("kubectl", "kubectl").orSkip();
    Path dir = tmp.resolve("sbx");
    Run up = pontoon("sandbox", "up", "--dir", dir.toString());
    assertThat(up.code()).as(up.out()).isZero();
    assertThat(up.out()).contains("✔ cluster-1 agent serving peering at https://127.0.0.1:",
        "✔ cluster-2 agent serving peering at https://127.0.0.1:");
    JsonNode state = JSON.readTree(dir.resolve("sandbox.json").toFile());
    List<Long> pids = new ArrayList<>();
    state.path("clusters").forEach(c -> {
      pids.add(c.path("pid").asLong());
      pids.add(c.path("agentPid").asLong());
    });
    assertThat(pids).hasSize(4).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
    String k1 = dir.resolve("cluster-1/kubeconfig").toString();
    String k2 = dir.resolve("cluster-2/kubeconfig").toString();
    List<Long> vks = new ArrayList<>();
    try {
      Run peer = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k2, "--wait");
      assertThat(peer.code()).as(peer.out()).isZero();
      assertThat(peer.out()).contains("✔ handshake: authenticated, credentials stored", "✔ resources granted",
          "✔ virtual node pontoon-cluster-2 Ready").doesNotContain("WARN");
      // The agent started a virtual kubelet process for the peer (it logs next to the cluster).
      assertThat(Files.exists(dir.resolve("cluster-1/vk-cluster-2.log"))).isTrue();
      ProcessHandle.of(pids.get(1)).orElseThrow().descendants().forEach(p -> vks.add(p.pid()));
      assertThat(vks).isNotEmpty();

      Run ns = kubectl(k1, "create", "namespace", "demo");
      assertThat(ns.code()).as(ns.out()).isZero();
      Run offload = pontoon("--kubeconfig", k1, "offload", "namespace", "demo", "--strategy", "Remote", "--wait");
      assertThat(offload.code()).as(offload.out()).isZero();
      assertThat(offload.out()).contains("namespace demo is ready on 1 cluster(s) as demo-cluster-1");
      Run deploy = kubectl(k1, "-n", "demo", "create", "deployment", "web", "--image=nginx", "--replicas=3");
      assertThat(deploy.code()).as(deploy.out()).isZero();

      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        List<String> home = runningPods(k1, "demo");
        assertThat(home).hasSize(3).allSatisfy(p -> assertThat(p).endsWith("@pontoon-cluster-2"));
        List<String> remote = runningPods(k2, "demo-cluster-1");
        assertThat(remote).hasSize(3).noneSatisfy(p -> assertThat(p).contains("@pontoon-"));
        // The same pods on both sides: the ShadowPods keep the home pods' names.
        assertThat(remote.stream().map(p -> p.substring(0, p.indexOf('@'))))
            .containsExactlyInAnyOrderElementsOf(home.stream().map(p -> p.substring(0, p.indexOf('@'))).toList());
      });

      Run status = pontoon("--kubeconfig", k1, "status");
      assertThat(status.code()).isZero();
      assertThat(status.out()).contains("cluster-2", "outgoing");
      Run unpeer = pontoon("--kubeconfig", k1, "unpeer", "cluster-2", "--timeout", "60s");
      assertThat(unpeer.code()).as(unpeer.out()).isZero();
      assertThat(unpeer.out()).contains("✔ unpeered cluster-2 on both sides");
    } finally {
      Run down = pontoon("sandbox", "down", "--dir", dir.toString());
      assertThat(down.code()).as(down.out()).isZero();
    }
    assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
    assertThat(vks).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
    assertThat(dir).doesNotExist();
  }
}
