package io.pontoon.cli.peering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelState;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.tunnel.TunnelDataplane;
import io.pontoon.gateway.wireguard.WireGuard;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import io.pontoon.peering.gateway.LocalGatewayLauncher;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.junit.HostRequirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's default gateway launcher with the real {@code pontoon gateway} command (this
 * module's classpath holds {@code io.pontoon.cli.Main}): two agents with a gateway namespace each
 * peer, their gateways bring the tunnel Up, and unpeer leaves nothing in either namespace.
 */
class AgentGatewayCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  @TempDir Path dir;
  final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  final String gw1 = "ptac-" + id + "-g1";
  final String gw2 = "ptac-" + id + "-g2";
  final HostCommands host = HostCommands.host();
  final List<String> namespaces = new ArrayList<>();
  SandboxCluster c1;
  SandboxCluster c2;
  Agent a1;
  Agent a2;

  @BeforeEach
  void setUp() throws Exception {
    HostRequirements.check().root().tool("ip", "iproute2").tool("wg", "wireguard-tools")
        .tool("wireguard-go", "wireguard-go").tool("nft", "nftables").tool("ping", "iputils-ping").orSkip();
    for (String ns : List.of(gw1, gw2)) {
      host.run("ip", "netns", "add", ns).orThrow();
      namespaces.add(ns);
      HostCommands.inNetns(ns).run("ip", "link", "set", "lo", "up").orThrow();
    }
    host.run("ip", "link", "add", "c" + id + "a", "netns", gw1, "type", "veth", "peer", "name", "c" + id + "b",
        "netns", gw2).orThrow();
    HostCommands.inNetns(gw1).run("ip", "addr", "add", "100.100.1.1/30", "dev", "c" + id + "a").orThrow();
    HostCommands.inNetns(gw1).run("ip", "link", "set", "c" + id + "a", "up").orThrow();
    HostCommands.inNetns(gw2).run("ip", "addr", "add", "100.100.1.2/30", "dev", "c" + id + "b").orThrow();
    HostCommands.inNetns(gw2).run("ip", "link", "set", "c" + id + "b", "up").orThrow();
    c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    a1 = agent("cluster-1", c1, gw1, "100.100.1.1");
    a2 = agent("cluster-2", c2, gw2, "100.100.1.2");
  }

  private Agent agent(String name, SandboxCluster c, String netns, String wan) throws Exception {
    Path kubeconfig = c.writeAdminKubeconfig(dir.resolve(name + ".kubeconfig"));
    Agent a = new Agent(AgentConfig.local(name).withCidrs("10.244.0.0/16", "10.96.0.0/12")
        .withGatewayEndpoint(wan + ":51820").withHomeKubeconfig(kubeconfig).withGatewayNetns(netns), c.client())
        .withLauncher(VirtualKubeletLauncher.none());
    a.start();
    return a;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Agent a : new Agent[] {a1, a2}) {
      if (a != null) a.close();
    }
    for (String ns : namespaces) {
      for (Agent a : new Agent[] {a1, a2}) {
        if (a == null || a.identity() == null) continue;
        try {
          new TunnelDataplane(HostCommands.inNetns(ns)).remove(a.identity().id());
        } catch (RuntimeException e) {
          // best effort
        }
      }
      host.run(List.of("ip", "netns", "del", ns), null);
      Path pids = LocalGatewayLauncher.DEFAULT_PID_DIR.resolve(ns);
      if (Files.isDirectory(pids)) {
        try (var files = Files.list(pids)) {
          for (Path f : files.toList()) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(pids);
      }
    }
    if (c1 != null) c1.close();
    if (c2 != null) c2.close();
  }

  @Test
  void theAgentRunsPontoonGatewayPerPeeringAndUnpeerLeavesNothing() {
    String id1 = a1.identity().id();
    String id2 = a2.identity().id();
    LocalGatewayLauncher l1 = (LocalGatewayLauncher) a1.gatewayLauncher();
    LocalGatewayLauncher l2 = (LocalGatewayLauncher) a2.gatewayLauncher();
    String token = new TokenStore(c2.client()).create(Duration.ofHours(1), false).secret();
    PeeringRequests.request(c1.client(), id2, "cluster-2", a2.peeringUrl(), a2.fingerprint(), token);

    await().atMost(WAIT).until(() -> l1.running(id2) && l2.running(id1));
    long p1 = l1.pid(id2);
    long p2 = l2.pid(id1);
    assertThat(commandLine(p1)).contains("io.pontoon.cli.Main gateway --kubeconfig", "--peer " + id2,
        "--netns " + gw1 + " --listen-port 51820 --metrics-port 0");
    await().atMost(WAIT).until(() -> state(c1.client(), "cluster-2") == TunnelState.Up
        && state(c2.client(), "cluster-1") == TunnelState.Up);
    await().atMost(Duration.ofSeconds(30)).until(() -> tunnelUp(c1.client(), "cluster-2") && tunnelUp(c2.client(), "cluster-1"));

    c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(c1.client().resources(ForeignCluster.class).withName("cluster-2").get()).isNull();
      assertThat(c1.client().resources(Tunnel.class).inAnyNamespace().list().getItems()).isEmpty();
      assertThat(c2.client().resources(Tunnel.class).inAnyNamespace().list().getItems()).isEmpty();
      for (long pid : new long[] {p1, p2}) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("gateway %s", pid).isFalse();
      }
      nothingLeft(gw1, PontoonNames.wireGuardInterface(id2));
      nothingLeft(gw2, PontoonNames.wireGuardInterface(id1));
    });
  }

  private static void nothingLeft(String ns, String dev) {
    HostCommands in = HostCommands.inNetns(ns);
    assertThat(in.run("ip", "-o", "link", "show").orThrow().stdout()).doesNotContain(dev);
    assertThat(in.run("nft", "list", "tables").orThrow().stdout()).doesNotContain("pontoon-");
    assertThat(in.run("ip", "route", "show").orThrow().stdout()).doesNotContain(dev);
    assertThat(Files.exists(WireGuard.socket(ns, dev))).isFalse();
    assertThat(ProcessHandle.allProcesses().map(h -> commandLine(h.pid()))
        .filter(c -> c.contains("wireguard-go") && c.endsWith(" " + dev) || c.contains("--netns " + ns + " ")).toList())
        .isEmpty();
  }

  private static boolean tunnelUp(KubernetesClient c, String fc) {
    ForeignCluster f = c.resources(ForeignCluster.class).withName(fc).get();
    return f != null && f.getStatus() != null && Conditions.isTrue(f.getStatus().getConditions(), ConditionTypes.TUNNEL_UP);
  }

  private static TunnelState state(KubernetesClient c, String peer) {
    Tunnel t = c.resources(Tunnel.class).inNamespace(PontoonNames.tenantNamespace(peer)).withName(peer).get();
    return t == null || t.getStatus() == null ? null : t.getStatus().getState();
  }

  /** The whole command line from /proc (ProcessHandle.Info cuts long ones). */
  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ').strip();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
