package io.pontoon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.sandbox.cluster.SandboxCluster;
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
 * {@code pontoon sandbox up/status/node/down} as a user runs them from the shaded jar: two
 * clusters come up with Ready nodes, {@code up} again is a no-op, a kubelet stops and starts,
 * and {@code down} leaves no process and no file behind.
 */
class SandboxUpDownIT {
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
  void upStatusNodeStopStartDown() throws Exception {
    Path dir = tmp.resolve("sbx");
    Run up = pontoon("sandbox", "up", "--dir", dir.toString(), "--nodes", "2");
    assertThat(up.code()).as(up.out()).isZero();
    assertThat(up.out()).contains("✔ cluster-1 ready at https://127.0.0.1:", "✔ cluster-2 ready at");
    assertThat(dir.resolve("cluster-1/kubeconfig")).exists();
    assertThat(dir.resolve("cluster-2/kubeconfig")).exists();
    List<Long> pids = new ArrayList<>();
    try {
      Run again = pontoon("sandbox", "up", "--dir", dir.toString());
      assertThat(again.code()).isZero();
      assertThat(again.out()).contains("is already up");

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Run status = pontoon("sandbox", "status", "--dir", dir.toString(), "-o", "json");
        assertThat(status.code()).as(status.out()).isZero();
        JsonNode rows = new ObjectMapper().readTree(status.out());
        assertThat(rows).hasSize(2);
        for (JsonNode r : rows) {
          assertThat(r.path("running").asBoolean()).isTrue();
          assertThat(r.path("nodes").asInt()).isEqualTo(2);
          assertThat(r.path("nodesReady").asInt()).isEqualTo(2);
        }
      });
      JsonNode rows = new ObjectMapper().readTree(pontoon("sandbox", "status", "--dir", dir.toString(), "-o",
          "json").out());
      rows.forEach(r -> pids.add(r.path("pid").asLong()));
      // cluster processes run with the sandbox's collector settings (short pauses), before -jar
      for (long pid : pids) {
        List<String> args = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
        assertThat(args).containsAll(SandboxCluster.JVM_OPTIONS);
        assertThat(args.indexOf(SandboxCluster.JVM_OPTIONS.get(0))).isLessThan(args.indexOf("-jar"));
      }

      Run stop = pontoon("sandbox", "node", "stop", "--dir", dir.toString(), "cluster-1", "cluster-1-node-2");
      assertThat(stop.code()).as(stop.out()).isZero();
      Run missing = pontoon("sandbox", "node", "stop", "--dir", dir.toString(), "cluster-1", "no-such-node");
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.out()).contains("has no node \"no-such-node\"");
      Run start = pontoon("sandbox", "node", "start", "--dir", dir.toString(), "cluster-1", "cluster-1-node-2");
      assertThat(start.code()).as(start.out()).isZero();
    } finally {
      Run down = pontoon("sandbox", "down", "--dir", dir.toString());
      assertThat(down.code()).as(down.out()).isZero();
    }
    assertThat(pids).hasSize(2).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
    assertThat(Files.exists(dir)).as("down removes what up created").isFalse();
    Run downAgain = pontoon("sandbox", "down", "--dir", dir.toString());
    assertThat(downAgain.code()).isZero();
    assertThat(downAgain.out()).contains("nothing to stop");
  }
}
