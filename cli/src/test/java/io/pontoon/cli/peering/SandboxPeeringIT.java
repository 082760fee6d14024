package io.pontoon.cli.peering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo from the shaded jar: {@code sandbox up} starts an agent per cluster,
 * {@code peer --remote-kubeconfig} peers cluster-1 with cluster-2, {@code status} shows it,
 * {@code unpeer} ends it, {@code sandbox down} stops the agents too.
 */
class SandboxPeeringIT {
  private static final Path JAR = Path.of("target", "pontoon.jar");
  @TempDir Path tmp;

  private record Run(int code, String out) {}

  private static Run pontoon(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void upPeerStatusUnpeerDown() throws Exception {
    Path dir = tmp.resolve("sbx");
    Run up = pontoon("sandbox", "up", "--dir", dir.toString(), "--nodes", "1");
    assertThat(up.code()).as(up.out()).isZero();
    assertThat(up.out()).contains("✔ cluster-1 agent serving peering at https://127.0.0.1:",
        "✔ cluster-2 agent serving peering at https://127.0.0.1:");
    JsonNode state = new ObjectMapper().readTree(dir.resolve("sandbox.json").toFile());
    List<Long> agents = new ArrayList<>();
    state.path("clusters").forEach(c -> agents.add(c.path("agentPid").asLong()));
    assertThat(agents).hasSize(2).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)
        .orElse(false)).isTrue());
    String k1 = dir.resolve("cluster-1/kubeconfig").toString();
    String k2 = dir.resolve("cluster-2/kubeconfig").toString();
    try {
      Run peer = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k2, "--timeout", "90s");
      assertThat(peer.code()).as(peer.out()).isZero();
      assertThat(peer.out()).contains("✔ handshake: authenticated, credentials stored", "✔ resources granted")
          .doesNotContain("WARN");
      // The agent started a virtual kubelet process for the peer (it logs next to the cluster).
      assertThat(Files.exists(dir.resolve("cluster-1/vk-cluster-2.log"))).isTrue();
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
    assertThat(agents).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)
        .orElse(false)).isFalse());
  }
}
