package io.pontoon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pontoon sandbox up --dataplane} with real packets: pods are network namespaces running
 * real processes; two pods of a cluster talk TCP, a pod in each cluster holds the same IP (the
 * pod CIDRs overlap) and each answers for itself; each cluster's gateway namespace reaches its
 * pods and the other gateway over the WAN; {@code down} leaves no namespace, link, process or
 * lock file behind. Needs root and iproute2; outside CI it skips when they are missing.
 */
class SandboxDataplaneIT {
  private static final Path JAR = Path.of("target", "pontoon.jar");
  private static final Duration DEADLINE = Duration.ofSeconds(60);
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

  private static Run kubectl(Path dir, String cluster, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig",
        dir.resolve(cluster).resolve("kubeconfig").toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static void requireDataplane() throws Exception {
    boolean root = run(List.of("id", "-u")).out().trim().equals("0");
    boolean ip = run(List.of("sh", "-c", "command -v ip")).code() == 0;
    boolean py = run(List.of("sh", "-c", "command -v python3")).code() == 0;
    String missing = (root ? "" : "root ") + (ip ? "" : "iproute2 ") + (py ? "" : "python3");
    if (!missing.isBlank()) {
      if ("true".equals(System.getenv("CI"))) throw new AssertionError("the dataplane test needs: " + missing);
      Assumptions.abort("the dataplane test needs: " + missing);
    }
  }

  private static String podOnNode(String name, String node, String command) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeSelector: {kubernetes.io/hostname: %s}
          containers: [{name: c, image: python, command: ["sh", "-c", %s]}]
        """.formatted(name, node, "\"" + command + "\"");
  }

  private static Run apply(Path dir, String cluster, String yaml) throws Exception {
    Path f = dir.resolve(cluster + "-" + Math.abs(yaml.hashCode()) + ".yaml");
    java.nio.file.Files.writeString(f, yaml);
    return kubectl(dir, cluster, "create", "-f", f.toString());
  }

  @Test
  void podsTalkAndOverlappingClustersStayApart() throws Exception {
    requireDataplane();
    Path dir = tmp.resolve("dp");
    Run up = pontoon("sandbox", "up", "--dir", dir.toString(), "--dataplane", "--nodes", "2", "--timeout",
        "240s");
    assertThat(up.code()).as(up.out()).isZero();
    String sandboxId = null;
    try {
      for (String cluster : List.of("cluster-1", "cluster-2")) {
        assertThat(apply(dir, cluster, podOnNode("srv", cluster + "-node-1",
            "echo " + cluster + " > index.html && exec python3 -m http.server 8080")).code()).isZero();
      }
      assertThat(apply(dir, "cluster-1", podOnNode("client", "cluster-1-node-2", "exec sleep 3600")).code())
          .isZero();
      String[] ips = new String[2];
      await().atMost(DEADLINE).untilAsserted(() -> {
        for (int i = 0; i < 2; i++) {
          Run ip = kubectl(dir, "cluster-" + (i + 1), "get", "pod", "srv", "-o", "jsonpath={.status.podIP}");
          assertThat(ip.out()).startsWith("10.244.");
          ips[i] = ip.out();
        }
        assertThat(kubectl(dir, "cluster-1", "get", "pod", "client", "-o", "jsonpath={.status.phase}").out())
            .isEqualTo("Running");
      });
      assertThat(ips[0]).as("same pod CIDR, same first address on node-1").isEqualTo(ips[1]);

      String clientNs = pontoon("sandbox", "netns", "--dir", dir.toString(), "cluster-1", "default/client").out()
          .trim();
      String fetch = "import urllib.request;print(urllib.request.urlopen('http://" + ips[0]
          + ":8080/index.html',timeout=3).read().decode().strip())";
      await().atMost(DEADLINE).untilAsserted(() -> {
        Run get = run(List.of("ip", "netns", "exec", clientNs, "python3", "-c", fetch));
        assertThat(get.code()).as(get.out()).isZero();
        assertThat(get.out().trim()).isEqualTo("cluster-1");
      });
      String srv2Ns = pontoon("sandbox", "netns", "--dir", dir.toString(), "cluster-2", "default/srv").out().trim();
      Run own = run(List.of("ip", "netns", "exec", srv2Ns, "python3", "-c", fetch));
      assertThat(own.out().trim()).as("cluster-2's pod at the same IP answers for cluster-2").isEqualTo("cluster-2");
      assertThat(kubectl(dir, "cluster-1", "logs", "srv").out()).contains("GET /index.html");
      sandboxId = clientNs.split("-")[1];

      // each cluster's gateway namespace: recorded, shown by status, on the WAN and on its underlay
      Run status = pontoon("sandbox", "status", "--dir", dir.toString(), "-o", "json");
      com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(status.out());
      String gw1 = rows.get(0).path("gatewayNetns").asText();
      String gw2 = rows.get(1).path("gatewayNetns").asText();
      assertThat(gw1).isEqualTo("pontoon-" + sandboxId + "-gw-cluster-1");
      assertThat(gw2).isEqualTo("pontoon-" + sandboxId + "-gw-cluster-2");
      assertThat(rows.get(0).path("gatewayAddress").asText()).isEqualTo("100.127.0.1");
      assertThat(rows.get(1).path("gatewayAddress").asText()).isEqualTo("100.127.0.2");
      assertThat(pontoon("sandbox", "status", "--dir", dir.toString()).out()).contains(gw1, "100.127.0.2");
      await().atMost(DEADLINE).untilAsserted(() -> {
        assertThat(run(List.of("ip", "netns", "exec", gw1, "ping", "-n", "-c", "1", "-W", "1", "100.127.0.2")).code())
            .isZero();
        assertThat(run(List.of("ip", "netns", "exec", gw2, "ping", "-n", "-c", "1", "-W", "1", "100.127.0.1")).code())
            .isZero();
        assertThat(run(List.of("ip", "netns", "exec", clientNs, "ping", "-n", "-c", "1", "-W", "1", "100.64.1.254"))
            .code()).isZero();
        assertThat(run(List.of("ip", "netns", "exec", gw1, "ping", "-n", "-c", "1", "-W", "1", ips[0])).code())
            .isZero();
      });
    } finally {
      Run down = pontoon("sandbox", "down", "--dir", dir.toString());
      assertThat(down.code()).as(down.out()).isZero();
    }
    String id = sandboxId;
    assertThat(run(List.of("ip", "netns", "list")).out()).doesNotContain("pontoon-" + id);
    assertThat(run(List.of("ip", "-o", "link")).out()).doesNotContain(id);
    assertThat(Path.of("/var/run/pontoon-" + id + "-wan.lock")).doesNotExist();
    assertThat(run(List.of("pgrep", "-f", "http.server 8080")).out()).isBlank();
  }
}
