package io.pontoon.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.pontoon.gateway.CommandFailedException;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.nat.NatRuleset;
import io.pontoon.gateway.testing.Pods;
import io.pontoon.gateway.testing.TwoClusters;
import io.pontoon.gateway.wireguard.InterfaceState;
import io.pontoon.gateway.wireguard.WireGuard;
import io.pontoon.sandbox.junit.HostRequirements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real packets: two pods at the same IP 10.0.0.5 in two "clusters" reach each other through
 * wireguard-go and Pontoon's double NAT.
 */
class TunnelDataplaneIT {
  TwoClusters net;
  TunnelDataplane dp1;
  TunnelDataplane dp2;
  Process server;

  @BeforeEach
  void setUp() {
    HostRequirements.check().root().tool("ip", "iproute2").tool("wg", "wireguard-tools")
        .tool("wireguard-go", "wireguard-go").tool("nft", "nftables").tool("ping", "iputils-ping")
        .tool("python3", "python3").orSkip();
    net = new TwoClusters();
    dp1 = new TunnelDataplane(HostCommands.inNetns(net.gw1));
    dp2 = new TunnelDataplane(HostCommands.inNetns(net.gw2));
  }

  @AfterEach
  void tearDown() {
    Pods.stop(server);
    if (net != null) {
      dp1.remove(net.clusterId2);
      dp2.remove(net.clusterId1);
      net.close();
    }
  }

  @Test
  void podsWithTheSameIpTalkThroughTheirRemappedAddresses() {
    dp2.apply(net.config2());
    dp1.apply(net.config1());
    // cluster 1 sees the pod of cluster 2 at 10.71.0.5
    await().atMost(Duration.ofSeconds(15)).until(() -> Pods.ping(net.pod1, "10.71.0.5"));
    // and back: cluster 2 sees cluster 1's pod at 10.72.0.5
    assertThat(Pods.ping(net.pod2, "10.72.0.5")).isTrue();

    server = Pods.startWhoAmIServer(net.pod2, 18080);
    AtomicReference<String> seen = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> { seen.set(Pods.whoAmI(net.pod1, "10.71.0.5", 18080)); return seen.get() != null; });
    // the server sees the client under the block cluster 2 assigned to cluster 1
    assertThat(seen.get()).isEqualTo("10.72.0.5");

    InterfaceState s = dp1.state(net.clusterId2).orElseThrow();
    assertThat(s.publicKey()).isEqualTo(net.keys1.publicKey());
    assertThat(s.peer(net.keys2.publicKey()).orElseThrow().latestHandshake()).isPresent();
    assertThat(s.peer(net.keys2.publicKey()).orElseThrow().rxBytes()).isPositive();
    assertThat(dp1.probe(net.config1())).isPresent();
  }

  @Test
  void icmpErrorsReachTheSocketsTheyAnswerAndNothingIsTracked() {
    dp2.apply(net.config2());
    dp1.apply(net.config1());
    await().atMost(Duration.ofSeconds(15)).until(() -> Pods.ping(net.pod1, "10.71.0.5"));

    // the error quotes the datagram: its addresses must be translated back for the socket to see it
    assertThat(Pods.udpError(net.pod1, "10.71.0.5", 9, 64)).isEqualTo("ECONNREFUSED 3/3 from 10.71.0.5");
    assertThat(Pods.udpError(net.pod2, "10.72.0.5", 9, 64)).isEqualTo("ECONNREFUSED 3/3 from 10.72.0.5");
    // TTL 2 expires at the far gateway, which answers from its tunnel address
    assertThat(Pods.udpError(net.pod1, "10.71.0.5", 9, 2)).isEqualTo("EHOSTUNREACH 11/0 from 10.71.0.255");
    assertThat(Pods.udpError(net.pod2, "10.72.0.5", 9, 2)).isEqualTo("EHOSTUNREACH 11/0 from 10.72.0.255");

    server = Pods.startWhoAmIServer(net.pod2, 18080);
    await().atMost(Duration.ofSeconds(10)).until(() -> "10.72.0.5".equals(Pods.whoAmI(net.pod1, "10.71.0.5", 18080)));
    // stateless translation: the gateways keep no connection state for any of it
    assertThat(conntrackEntries(net.gw1)).isZero();
    assertThat(conntrackEntries(net.gw2)).isZero();
  }

  private static long conntrackEntries(String netns) {
    HostCommands.Result r = HostCommands.inNetns(netns).run(
        List.of("cat", "/proc/sys/net/netfilter/nf_conntrack_count"), null);
    return r.ok() ? Long.parseLong(r.stdout().strip()) : 0; // no conntrack module: nothing tracked
  }

  @Test
  void applyingTwiceGivesTheSameState() {
    dp2.apply(net.config2());
    dp1.apply(net.config1());
    String dev = net.config1().interfaceName();
    String table = TunnelDataplane.tableName(dev);
    String rules = dp1.nft().list(table).orElseThrow();
    String routes = HostCommands.inNetns(net.gw1).run("ip", "route", "show").stdout();
    String addrs = HostCommands.inNetns(net.gw1).run("ip", "addr", "show", "dev", dev).stdout();
    long processes = wg(net.gw1).userspaceProcesses(dev).size();
    // an ip table of that name, as earlier versions wrote, is replaced by the same apply
    dp1.nft().applyScript("table ip " + table + " {\n  chain prerouting {\n"
        + "    type filter hook prerouting priority raw; policy accept;\n    iifname \"" + dev + "\" notrack\n  }\n}\n");

    dp1.apply(net.config1());

    assertThat(dp1.nft().list(table).orElseThrow()).isEqualTo(rules);
    assertThat(HostCommands.inNetns(net.gw1).run("ip", "route", "show").stdout()).isEqualTo(routes);
    assertThat(HostCommands.inNetns(net.gw1).run("ip", "addr", "show", "dev", dev).stdout()).isEqualTo(addrs);
    assertThat(wg(net.gw1).userspaceProcesses(dev)).hasSize((int) processes);
    assertThat(HostCommands.inNetns(net.gw1).run(List.of("nft", "list", "table", "ip", table), null).ok()).isFalse();
    assertThat(dp1.state(net.clusterId2).orElseThrow().peers()).hasSize(1);
    assertThat(rules).contains("table netdev " + table).contains("hook ingress device \"" + dev + "\"")
        .contains("hook egress device \"" + dev + "\"").contains("ip saddr set").contains("ip daddr set")
        .contains("maxseg size set 1380").doesNotContain("snat").doesNotContain("dnat");
  }

  @Test
  void aFailedNftApplyLeavesThePreviousRules() {
    dp2.apply(net.config2());
    dp1.apply(net.config1());
    String table = TunnelDataplane.tableName(net.config1().interfaceName());
    String before = dp1.nft().list(table).orElseThrow();
    await().atMost(Duration.ofSeconds(15)).until(() -> Pods.ping(net.pod1, "10.71.0.5"));

    String broken = NatRuleset.render(table, List.of(net.config1().nat())).replaceFirst("policy accept;\n",
        "policy accept;\n    ip daddr 10.0.0.0/24 no-such-statement\n");
    assertThatThrownBy(() -> dp1.nft().applyScript(broken)).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("nft");

    assertThat(dp1.nft().list(table).orElseThrow()).isEqualTo(before);
    assertThat(Pods.ping(net.pod1, "10.71.0.5")).isTrue();
  }

  @Test
  void removeLeavesNothing() {
    dp2.apply(net.config2());
    dp1.apply(net.config1());
    String dev1 = net.config1().interfaceName();
    String dev2 = net.config2().interfaceName();
    assertThat(wg(net.gw1).socketNames()).contains(dev1);
    assertThat(wg(net.gw2).socketNames()).contains(dev2);

    dp1.remove(net.clusterId2);
    dp2.remove(net.clusterId1);
    dp1.remove(net.clusterId2); // twice is fine

    for (String dev : List.of(dev1, dev2)) {
      assertThat(WireGuard.userspaceProcessesAnywhere(dev)).isEmpty();
      assertThat(WireGuard.socket(net.gw1, dev)).doesNotExist();
      assertThat(WireGuard.socket(net.gw2, dev)).doesNotExist();
      assertThat(HostCommands.host().run(List.of("ip", "link", "show", dev), null).ok()).isFalse();
    }
    assertThat(HostCommands.inNetns(net.gw1).run(List.of("ip", "link", "show", dev1), null).ok()).isFalse();
    assertThat(dp1.nft().list(TunnelDataplane.tableName(dev1))).isEmpty();
    assertThat(dp2.nft().list(TunnelDataplane.tableName(dev2))).isEmpty();
    assertThat(HostCommands.inNetns(net.gw1).run("ip", "route", "show").stdout()).doesNotContain("10.71.0.0");
    assertThat(HostCommands.inNetns(net.gw1).run("nft", "list", "ruleset").stdout()).doesNotContain("pontoon");

    String[] namespaces = {net.gw1, net.gw2, net.pod1, net.pod2};
    net.close();
    String list = HostCommands.host().run("ip", "netns", "list").stdout();
    for (String ns : namespaces) {
      assertThat(list).doesNotContain(ns);
    }
    net = null;
  }

  private static WireGuard wg(String netns) {
    return new WireGuard(HostCommands.inNetns(netns));
  }
}
