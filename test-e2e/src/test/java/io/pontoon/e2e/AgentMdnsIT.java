package io.pontoon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.sandbox.junit.HostRequirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own {@code --mdns}: two clusters, each a sandbox API server and a {@code pontoon
 * agent} in its own network namespace, the namespaces joined by a veth pair, each agent
 * announcing and browsing on its end. Each finds the other as a ForeignCluster (discoveryType
 * LAN, its peering URL and fingerprint, lastSeen) and never itself; an agent killed with SIGKILL
 * (no goodbye) is forgotten after its records' TTL, unless peered, then only marked
 * Discovered=False. Processes and namespaces are the test's own and removed at the end.
 */
class AgentMdnsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Short record TTL (seconds) for the agents' mDNS announcements, so expiry is quick. */
  private static final String TTL = "4";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;
  final List<Process> processes = new ArrayList<>();
  Side a;
  Side b;

  /** One cluster in its own network namespace. */
  final class Side {
    final String name;
    final String netns;
    final String veth;
    final String address;
    Path kubeconfig;
    Process agent;
    String peeringUrl;
    String fingerprint;

    Side(String name, String netns, String veth, String address) {
      this.name = name;
      this.netns = netns;
      this.veth = veth;
      this.address = address;
    }

    void startApiServer() throws IOException {
      kubeconfig = dir.resolve(name + ".kubeconfig");
      pontoon(this, "apiserver-" + name, "sandbox", "apiserver", "--name", name, "--kubeconfig-out", kubeconfig.toString());
    }

    void startAgent() throws IOException {
      Path ready = dir.resolve(name + ".ready");
      Files.deleteIfExists(ready);
      agent = java(this, "agent-" + name, List.of("-Dnet.dns.ttl=" + TTL), "--kubeconfig", kubeconfig.toString(),
          "agent", "--cluster-name", name, "--peering-port", "0", "--advertise-address", address, "--metrics-port", "-1",
          "--webhook-port", "-1", "--mdns", "--mdns-interface", veth, "--vk-log-dir", dir.toString(),
          "--ready-file", ready.toString());
      await().atMost(DEADLINE).until(() -> Files.exists(ready) || !agent.isAlive());
      assertThat(agent.isAlive()).as("agent of %s started; log:%n%s", name, log("agent-" + name)).isTrue();
      String[] parts = Files.readString(ready).trim().split(" ");
      peeringUrl = parts[0];
      fingerprint = parts[1];
    }

    /** SIGKILL: no goodbye is sent, the records only expire. */
    void killAgent() throws InterruptedException {
      agent.destroyForcibly();
      assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** This cluster's ForeignCluster {@code fc}, read with kubectl inside the namespace. */
    Optional<JsonNode> foreignCluster(String fc) throws Exception {
      ProcessResult r = exec(List.of("ip", "netns", "exec", netns, "kubectl", "--kubeconfig", kubeconfig.toString(),
          "get", "foreignclusters", "-o", "json"));
      assertThat(r.code()).as(r.out()).isZero();
      for (JsonNode item : JSON.readTree(r.out()).path("items")) {
        if (fc.equals(item.path("metadata").path("name").asText())) return Optional.of(item);
      }
      return Optional.empty();
    }

    String clusterId() throws Exception {
      ProcessResult r = exec(List.of("ip", "netns", "exec", netns, "kubectl", "--kubeconfig", kubeconfig.toString(),
          "-n", "pontoon-system", "get", "configmap", "pontoon-identity", "-o", "jsonpath={.data.clusterID}"));
      assertThat(r.code()).as(r.out()).isZero();
      return r.out().trim();
    }
  }

  record ProcessResult(int code, String out) {}

  @BeforeEach
  void namespaces() throws Exception {
    HostRequirements.check().root().tool("ip", "iproute2").tool("kubectl", "kubectl").orSkip();
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    int net = ThreadLocalRandom.current().nextInt(1, 250);
    a = new Side("cluster-a", "pt-amdns-a-" + suffix, "pta" + suffix, "10.214." + net + ".1");
    b = new Side("cluster-b", "pt-amdns-b-" + suffix, "ptb" + suffix, "10.214." + net + ".2");
    ok("ip", "netns", "add", a.netns);
    ok("ip", "netns", "add", b.netns);
    ok("ip", "link", "add", a.veth, "netns", a.netns, "type", "veth", "peer", "name", b.veth, "netns", b.netns);
    for (Side s : List.of(a, b)) {
      ok("ip", "-n", s.netns, "link", "set", "lo", "up");
      ok("ip", "-n", s.netns, "addr", "add", s.address + "/24", "dev", s.veth);
      ok("ip", "-n", s.netns, "link", "set", s.veth, "up", "multicast", "on");
      ok("ip", "-n", s.netns, "route", "add", "224.0.0.0/4", "dev", s.veth);
    }
  }

  @AfterEach
  void cleanup() throws Exception {
    // Agents first with SIGTERM, so they stop the virtual kubelets they started; then the rest.
    for (Process p : processes) p.destroy();
    for (Process p : processes) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (Side s : new Side[] {a, b}) {
      if (s == null) continue;
      // Anything still inside (a virtual kubelet whose agent was SIGKILLed) goes with the namespace.
      ProcessResult pids = exec(List.of("ip", "netns", "pids", s.netns));
      for (String pid : pids.out().split("\\s+")) {
        if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
      exec(List.of("ip", "netns", "del", s.netns));
    }
  }

  @Test
  void eachAgentFindsTheOtherNeverItselfAndForgetsAKilledOneUnlessPeered() throws Exception {
    for (Side s : List.of(a, b)) s.startApiServer();
    for (Side s : List.of(a, b)) {
      Side side = s;
      await().atMost(DEADLINE).until(() -> Files.exists(side.kubeconfig) && Files.size(side.kubeconfig) > 0);
    }
    for (Side s : List.of(a, b)) s.startAgent();
    String idA = a.clusterId();
    String idB = b.clusterId();

    // Each sees the other, with what the other publishes, and not itself.
    for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
      Side me = pair[0];
      Side other = pair[1];
      String otherId = other == a ? idA : idB;
      await().atMost(DEADLINE).untilAsserted(() -> {
        JsonNode fc = me.foreignCluster(other.name).orElseThrow(() -> new AssertionError(me.name + " has not found " + other.name));
        assertThat(fc.path("spec").path("discoveryType").asText()).isEqualTo("LAN");
        assertThat(fc.path("spec").path("clusterID").asText()).isEqualTo(otherId);
        assertThat(fc.path("spec").path("peeringURL").asText()).isEqualTo(other.peeringUrl);
        assertThat(fc.path("spec").path("fingerprint").asText()).isEqualTo(other.fingerprint);
        // The object is created first and its status written after, so lastSeen may not be there yet.
        String lastSeen = fc.path("status").path("lastSeen").asText();
        assertThat(lastSeen).as("status.lastSeen of %s's ForeignCluster %s", me.name, other.name).isNotEmpty();
        assertThat(Instant.parse(lastSeen)).isAfter(Instant.now().minusSeconds(60));
      });
      assertThat(me.foreignCluster(me.name)).as("%s ignores its own announcement", me.name).isEmpty();
    }
    assertThat(a.peeringUrl).startsWith("https://" + a.address + ":");

    // Not peered: SIGKILL (no goodbye) and the other forgets it once the records' TTL has passed.
    a.killAgent();
    long killed = System.nanoTime();
    await().atMost(DEADLINE).until(() -> b.foreignCluster(a.name).isEmpty());
    System.out.printf("%s forgot the killed %s after %d ms (record TTL %s s)%n", b.name, a.name,
        (System.nanoTime() - killed) / 1_000_000, TTL);

    // Back again, then peered (cluster-b offloads to cluster-a, the URL and fingerprint from the
    // announcement): a second SIGKILL only marks it.
    a.startAgent();
    await().atMost(DEADLINE).until(() -> b.foreignCluster(a.name).isPresent());
    String token = token(a);
    ProcessResult peer = pontoonOnce(b, "--kubeconfig", b.kubeconfig.toString(), "peer", "--discovered", a.name,
        "--token", token);
    assertThat(peer.code()).as(peer.out()).isZero();
    await().atMost(DEADLINE).until(() -> condition(b.foreignCluster(a.name).orElseThrow(), "Authenticated")
        .map(c -> "True".equals(c.path("status").asText())).orElse(false));
    a.killAgent();
    await().atMost(DEADLINE).untilAsserted(() -> {
      JsonNode fc = b.foreignCluster(a.name).orElseThrow(() -> new AssertionError("a peered cluster was deleted"));
      JsonNode discovered = condition(fc, "Discovered").orElseThrow();
      assertThat(discovered.path("status").asText()).isEqualTo("False");
      assertThat(discovered.path("reason").asText()).isEqualTo("DiscoveryExpired");
    });
    assertThat(b.foreignCluster(a.name)).as("still there, only marked").isPresent();
  }

  private static Optional<JsonNode> condition(JsonNode fc, String type) {
    for (JsonNode c : fc.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return Optional.of(c);
    }
    return Optional.empty();
  }

  private String token(Side provider) throws Exception {
    ProcessResult r = pontoonOnce(provider, "--kubeconfig", provider.kubeconfig.toString(), "token");
    assertThat(r.code()).as(r.out()).isZero();
    Matcher m = Pattern.compile("--token (\\S+)").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    return m.group(1);
  }

  // ---- processes ------------------------------------------------------------------------------

  private List<String> javaCommand(Side side, List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", side.netns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(PontoonProcess.QUICK_START);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pontoon.cli.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** A long-running {@code pontoon} command inside the side's namespace, output in {@code <log>.log}. */
  private Process java(Side side, String log, List<String> jvmOptions, String... args) throws IOException {
    Process p = new ProcessBuilder(javaCommand(side, jvmOptions, args)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile())).start();
    processes.add(p);
    return p;
  }

  private Process pontoon(Side side, String log, String... args) throws IOException {
    return java(side, log, List.of(), args);
  }

  /** A short {@code pontoon} command inside the side's namespace. */
  private ProcessResult pontoonOnce(Side side, String... args) throws Exception {
    return exec(javaCommand(side, List.of(), args));
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static ProcessResult exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish within 120 s");
    }
    return new ProcessResult(p.exitValue(), out);
  }

  private static void ok(String... cmd) throws Exception {
    ProcessResult r = exec(List.of(cmd));
    if (r.code() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + r.out());
  }
}
