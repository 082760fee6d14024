package io.pontoon.peering.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelState;
import io.pontoon.api.v1alpha1.TunnelStatus;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.tunnel.TunnelDataplane;
import io.pontoon.gateway.wireguard.WireGuard;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.agent.RecordingLauncher;
import io.pontoon.peering.agent.TwoClusters;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.junit.HostRequirements;
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
 * Two sandbox clusters on the same CIDRs, each agent with {@code --gateway-netns}: a gateway
 * namespace per cluster, the two joined by an underlay veth (as the sandbox's WAN bridge joins
 * them). Peering makes each agent start one gateway process; the tunnel comes Up and so does
 * TunnelUp on both ForeignClusters; a SIGKILLed gateway is relaunched with the same ruleset;
 * unpeer leaves nothing in either namespace.
 */
class AgentGatewayIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir Path dir;
  final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  final String gw1 = "ptag-" + id + "-g1";
  final String gw2 = "ptag-" + id + "-g2";
  final String wan1 = "100.100.0.1";
  final String wan2 = "100.100.0.2";
  final HostCommands host = HostCommands.host();
  final List<String> namespaces = new ArrayList<>();
  SandboxCluster c1;
  SandboxCluster c2;
  Agent a1;
  Agent a2;
  LocalGatewayLauncher l1;
  LocalGatewayLauncher l2;

  @BeforeEach
  void setUp() throws Exception {
    HostRequirements.check().root().tool("ip", "iproute2").tool("wg", "wireguard-tools")
        .tool("wireguard-go", "wireguard-go").tool("nft", "nftables").tool("ping", "iputils-ping").orSkip();
    for (String ns : List.of(gw1, gw2)) {
      host.run("ip", "netns", "add", ns).orThrow();
      namespaces.add(ns);
      HostCommands.inNetns(ns).run("ip", "link", "set", "lo", "up").orThrow();
    }
    host.run("ip", "link", "add", "w" + id + "a", "netns", gw1, "type", "veth", "peer", "name", "w" + id + "b",
        "netns", gw2).orThrow();
    HostCommands.inNetns(gw1).run("ip", "addr", "add", wan1 + "/30", "dev", "w" + id + "a").orThrow();
    HostCommands.inNetns(gw1).run("ip", "link", "set", "w" + id + "a", "up").orThrow();
    HostCommands.inNetns(gw2).run("ip", "addr", "add", wan2 + "/30", "dev", "w" + id + "b").orThrow();
    HostCommands.inNetns(gw2).run("ip", "link", "set", "w" + id + "b", "up").orThrow();

    c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    Path k1 = c1.writeAdminKubeconfig(dir.resolve("cluster-1.kubeconfig"));
    Path k2 = c2.writeAdminKubeconfig(dir.resolve("cluster-2.kubeconfig"));
    l1 = launcher(gw1, k1);
    l2 = launcher(gw2, k2);
    a1 = new Agent(config("cluster-1", wan1, k1, gw1), c1.client()).withLauncher(new RecordingLauncher()).withGatewayLauncher(l1);
    a2 = new Agent(config("cluster-2", wan2, k2, gw2), c2.client()).withLauncher(new RecordingLauncher()).withGatewayLauncher(l2);
    a1.start();
    a2.start();
  }

  private LocalGatewayLauncher launcher(String netns, Path kubeconfig) {
    return new LocalGatewayLauncher(netns, LocalGatewayLauncher.gatewayCommand(StandInGatewayMain::command, kubeconfig,
        netns), dir.resolve("pids"),
        new LocalGatewayLauncher.Restarts(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(10)),
        LocalGatewayLauncher.removeIn(netns));
  }

  private static AgentConfig config(String name, String wan, Path kubeconfig, String netns) {
    return AgentConfig.local(name).withCidrs("10.244.0.0/16", "10.96.0.0/12").withGatewayEndpoint(wan + ":51820")
        .withHomeKubeconfig(kubeconfig).withGatewayNetns(netns);
  }

  @AfterEach
  void tearDown() {
    for (Agent a : new Agent[] {a1, a2}) {
      if (a != null) a.close();
    }
    // Whatever a failed test left: the dataplanes (wireguard-go runs outside the namespace's life), then the namespaces.
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
    }
    if (c1 != null) c1.close();
    if (c2 != null) c2.close();
  }

  @Test
  void peeringStartsAGatewayPerSideAndUnpeerLeavesNothing() throws Exception {
    String id1 = a1.identity().id();
    String id2 = a2.identity().id();
    String if1 = PontoonNames.wireGuardInterface(id2); // cluster-1's interface to cluster-2
    String if2 = PontoonNames.wireGuardInterface(id1);
    String token = new TokenStore(c2.client()).create(Duration.ofHours(1), false).secret();
    PeeringRequests.request(c1.client(), id2, "cluster-2", a2.peeringUrl(), a2.fingerprint(), token);

    // Distinct ports per cluster start at the endpoint's: the provider answered with its Tunnel's port.
    await().atMost(WAIT).until(() -> tunnel(c1.client(), "cluster-2") != null && tunnel(c2.client(), "cluster-1") != null);
    Tunnel toProvider = tunnel(c1.client(), "cluster-2");
    assertThat(toProvider.getSpec().getListenPort()).isEqualTo(51820);
    assertThat(toProvider.getSpec().getEndpoint().getHost()).isEqualTo(wan2);
    assertThat(toProvider.getSpec().getEndpoint().getPort()).isEqualTo(tunnel(c2.client(), "cluster-1").getSpec().getListenPort());

    // One gateway process per side, with the contract's arguments.
    await().atMost(WAIT).until(() -> l1.running(id2) && l2.running(id1));
    assertThat(commandLine(l1.pid(id2))).contains("gateway", "--peer " + id2, "--netns " + gw1, "--listen-port 51820",
        "--metrics-port 0", "--kubeconfig " + dir.resolve("cluster-1.kubeconfig"));
    assertThat(commandLine(l2.pid(id1))).contains("--peer " + id1, "--netns " + gw2, "--listen-port 51820");

    // Tunnel Up on both sides, and TunnelUp on both ForeignClusters (consumer and incoming record).
    await().atMost(WAIT).until(() -> state(c1.client(), "cluster-2") == TunnelState.Up
        && state(c2.client(), "cluster-1") == TunnelState.Up);
    await().atMost(Duration.ofSeconds(20)).until(() -> TwoClusters.isTrue(c1.client(), "cluster-2", ConditionTypes.TUNNEL_UP)
        && TwoClusters.isTrue(c2.client(), "cluster-1", ConditionTypes.TUNNEL_UP));

    // SIGKILL cluster-1's gateway: relaunched, Up again, the same ruleset, one wireguard-go.
    String table = TunnelDataplane.tableName(if1);
    String rulesBefore = nft(gw1, table);
    assertThat(rulesBefore).contains("table netdev " + table);
    long killed = l1.pid(id2);
    ProcessHandle.of(killed).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(killed).map(h -> !h.isAlive()).orElse(true));
    // Forget what the dead gateway reported, so Up must come from the new one.
    clearStatus(c1.client(), "cluster-2");
    await().atMost(Duration.ofSeconds(20)).until(() -> !TwoClusters.isTrue(c1.client(), "cluster-2", ConditionTypes.TUNNEL_UP));
    await().atMost(WAIT).until(() -> l1.running(id2) && l1.pid(id2) != killed);
    await().atMost(WAIT).until(() -> state(c1.client(), "cluster-2") == TunnelState.Up);
    await().atMost(Duration.ofSeconds(20)).until(() -> TwoClusters.isTrue(c1.client(), "cluster-2", ConditionTypes.TUNNEL_UP));
    assertThat(nft(gw1, table)).isEqualTo(rulesBefore);
    assertThat(wireguardGo(if1)).hasSize(1);
    assertThat(l1.restarts(id2)).isEqualTo(1);

    // Unpeer, with cluster-2's gateway already dead: nothing may be left on either side.
    long gateway1 = l1.pid(id2);
    long gateway2 = l2.pid(id1);
    ProcessHandle.of(gateway2).orElseThrow().destroyForcibly();
    c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
    await().atMost(WAIT).until(() -> c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null
        && c2.client().resources(ForeignCluster.class).withName("cluster-1").get() == null);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(c1.client().resources(Tunnel.class).inAnyNamespace().list().getItems()).isEmpty();
      assertThat(c2.client().resources(Tunnel.class).inAnyNamespace().list().getItems()).isEmpty();
      assertThat(l1.running(id2)).isFalse();
      assertThat(l2.running(id1)).isFalse();
      for (long pid : new long[] {gateway1, gateway2}) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("gateway pid %s", pid).isFalse();
      }
      assertNothingLeft(gw1, if1);
      assertNothingLeft(gw2, if2);
      assertThat(l1.leftovers()).isEmpty();
      assertThat(l2.leftovers()).isEmpty();
    });
  }

  /** No interface, nft table, route, wireguard-go process or socket of the peering in {@code ns}. */
  private void assertNothingLeft(String ns, String dev) {
    HostCommands in = HostCommands.inNetns(ns);
    assertThat(in.run("ip", "-o", "link", "show").orThrow().stdout()).as("links in %s", ns).doesNotContain(dev);
    assertThat(in.run("nft", "list", "tables").orThrow().stdout()).as("nft tables in %s", ns).doesNotContain("pontoon-");
    assertThat(in.run("ip", "route", "show").orThrow().stdout()).as("routes in %s", ns).doesNotContain(dev);
    assertThat(in.run("ip", "-o", "addr", "show").orThrow().stdout()).as("addresses in %s", ns).doesNotContain(dev);
    assertThat(wireguardGo(dev)).as("wireguard-go for %s", dev).isEmpty();
    assertThat(Files.exists(WireGuard.socket(ns, dev))).as("socket of %s", dev).isFalse();
    assertThat(gatewayProcesses(ns)).as("gateway processes in %s", ns).isEmpty();
  }

  private static List<ProcessHandle> wireguardGo(String dev) {
    return ProcessHandle.allProcesses().filter(h -> {
      String c = commandLine(h.pid());
      return c.contains("wireguard-go") && (c.endsWith(" " + dev) || c.contains(" " + dev + " "));
    }).toList();
  }

  private static List<ProcessHandle> gatewayProcesses(String ns) {
    return ProcessHandle.allProcesses().filter(h -> {
      String c = commandLine(h.pid());
      return c.contains(StandInGatewayMain.class.getName()) && c.contains("--netns " + ns + " ");
    }).toList();
  }

  /** The whole command line from /proc (ProcessHandle.Info cuts long ones). */
  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String nft(String ns, String table) {
    return HostCommands.inNetns(ns).run("nft", "list", "table", "netdev", table).orThrow().stdout();
  }

  private static Tunnel tunnel(KubernetesClient c, String peer) {
    return c.resources(Tunnel.class).inNamespace(PontoonNames.tenantNamespace(peer)).withName(peer).get();
  }

  private static TunnelState state(KubernetesClient c, String peer) {
    Tunnel t = tunnel(c, peer);
    return t == null || t.getStatus() == null ? null : t.getStatus().getState();
  }

  private static void clearStatus(KubernetesClient c, String peer) {
    Tunnel t = tunnel(c, peer);
    t.setStatus(new TunnelStatus());
    c.resources(Tunnel.class).inNamespace(t.getMetadata().getNamespace()).resource(t).updateStatus();
  }
}
