package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import io.pontoon.sandbox.junit.HostRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cluster's gateway namespace, with real packets: pods reach it, it reaches the pods of every
 * node, traffic to foreign addresses arrives in it, gateways of two clusters reach each other over
 * the sandbox's WAN, and stopping the clusters removes gateways and WAN.
 */
class GatewayNetworkIT {
  @TempDir Path dir;
  private DataplaneFixture fx;

  @BeforeEach
  void setUp() {
    HostRequirements.check().root().tool("ip", "iproute2").tool("ping", "iputils-ping").orSkip();
    fx = new DataplaneFixture(dir);
  }

  @AfterEach
  void tearDown() {
    if (fx != null) {
      fx.close();
      assertThat(fx.leftovers()).isEmpty();
    }
  }

  /** One ICMP echo from inside {@code netns}; true when answered. */
  private boolean ping(String netns, String address) {
    CommandResult r = fx.dataplane.runner().run(List.of("ip", "netns", "exec", netns, "ping", "-n", "-c", "1", "-W",
        "1", address));
    return r.ok();
  }

  private void awaitPing(String netns, String address) {
    await("ping " + address + " from " + netns).atMost(DataplaneFixture.DEADLINE)
        .until(() -> ping(netns, address));
  }

  private String sysctl(String netns, String key) {
    return fx.dataplane.runner().run("ip", "netns", "exec", netns, "cat", "/proc/sys/net/ipv4/" + key).stdout().strip();
  }

  @Test
  void podsReachTheGatewayAndTheGatewayReachesThePodsOfEveryNode() {
    ClusterNetwork net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    NodeNetwork n1 = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    NodeNetwork n2 = net.addNode(2, "cluster-1-node-2", "10.244.2.0/24");
    NetnsRuntime rt1 = fx.runtime(net, n1);
    NetnsRuntime rt2 = fx.runtime(net, n2);
    PodRef a = DataplaneFixture.pod("a");
    PodRef b = DataplaneFixture.pod("b");
    rt1.startPodSandbox(a, "10.244.1.5");
    rt2.startPodSandbox(b, "10.244.2.5");
    String gw = net.gatewayNetns();

    assertThat(gw).isEqualTo(Dataplane.gatewayNetnsName(fx.id, "cluster-1"))
        .isEqualTo("pontoon-" + fx.id.value() + "-gw-cluster-1");
    assertThat(net.gatewayAddress()).isEqualTo("100.64.1.254");
    assertThat(net.gatewayWanAddress()).isEqualTo("100.127.0.1").isEqualTo(Dataplane.gatewayWanAddress(1));
    assertThat(sysctl(gw, "ip_forward")).isEqualTo("1");
    assertThat(sysctl(gw, "conf/all/rp_filter")).isEqualTo("0");
    assertThat(sysctl(gw, "conf/default/rp_filter")).isEqualTo("0");
    assertThat(fx.dataplane.ip().in(gw, "-4", "addr", "show").stdout())
        .contains("100.64.1.254/24").contains("100.127.0.1/24");
    for (NodeNetwork n : List.of(n1, n2)) {
      assertThat(fx.dataplane.ip().in(n.netns(), "route", "show", "default").stdout())
          .contains("default via 100.64.1.254 dev " + n.uplink());
      assertThat(fx.dataplane.ip().in(gw, "route", "show", n.podCidr().toString()).stdout())
          .contains("via " + n.underlayAddress());
    }

    awaitPing(rt1.netnsOf(a), net.gatewayAddress());
    awaitPing(rt2.netnsOf(b), net.gatewayAddress());
    awaitPing(gw, "10.244.1.5");
    awaitPing(gw, "10.244.2.5");
    // a node added later is routed from the gateway too
    NodeNetwork n3 = net.addNode(3, "cluster-1-node-3", "10.244.3.0/24");
    NetnsRuntime rt3 = fx.runtime(net, n3);
    PodRef c = DataplaneFixture.pod("c");
    rt3.startPodSandbox(c, "10.244.3.5");
    awaitPing(gw, "10.244.3.5");
    awaitPing(rt3.netnsOf(c), net.gatewayAddress());
  }

  @Test
  void trafficToAnAddressOutsideTheClusterArrivesInTheGateway() {
    ClusterNetwork net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    NodeNetwork n1 = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    NetnsRuntime rt = fx.runtime(net, n1);
    PodRef pod = DataplaneFixture.pod("client");
    rt.startPodSandbox(pod, "10.244.1.7");
    String podNs = rt.netnsOf(pod);
    String gw = net.gatewayNetns();

    // nothing answers for 10.71.0.5 yet: the gateway itself reports it has no route
    CommandResult unreachable = fx.dataplane.runner().run(List.of("ip", "netns", "exec", podNs, "ping", "-n", "-c",
        "1", "-W", "2", "10.71.0.5"));
    assertThat(unreachable.ok()).isFalse();
    assertThat(unreachable.stdout()).contains("From " + net.gatewayAddress());

    // give the gateway that address, as a tunnel's far side would: the pod's packets arrive and are answered
    fx.dataplane.ip().in(gw, "addr", "add", "10.71.0.5/32", "dev", "lo");
    awaitPing(podNs, "10.71.0.5");
  }

  @Test
  void gatewaysOfTwoClustersReachEachOtherOverTheWanWhichGoesWithTheLastCluster() {
    ClusterNetwork c1 = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    ClusterNetwork c2 = fx.cluster("cluster-2", 2, "10.244.0.0/16");
    assertThat(c2.gatewayWanAddress()).isEqualTo("100.127.0.2");
    assertThat(c2.gatewayNetns()).isNotEqualTo(c1.gatewayNetns());

    awaitPing(c1.gatewayNetns(), "100.127.0.2");
    awaitPing(c2.gatewayNetns(), "100.127.0.1");
    String wan = Dataplane.wanNetnsName(fx.id);
    assertThat(fx.dataplane.ip().netnsExists(wan)).isTrue();

    c1.close();
    assertThat(fx.dataplane.ip().netnsExists(c1.gatewayNetns())).isFalse();
    assertThat(fx.dataplane.ip().netnsExists(wan)).as("cluster-2 still uses the WAN").isTrue();
    assertThat(ping(c2.gatewayNetns(), "100.127.0.1")).isFalse();
    c2.close();
    assertThat(fx.dataplane.ip().netnsExists(c2.gatewayNetns())).isFalse();
    assertThat(fx.dataplane.ip().netnsExists(wan)).isFalse();
    assertThat(fx.leftovers()).isEmpty();
  }

  @Test
  void clustersStartingAtOnceShareOneWan() throws Exception {
    int n = 3;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<ClusterNetwork>> started = new ArrayList<>();
    try {
      for (int i = 1; i <= n; i++) {
        int index = i;
        started.add(pool.submit(() -> fx.dataplane.createCluster("cluster-" + index, index, "10.244.0.0/16")));
      }
      List<ClusterNetwork> nets = new ArrayList<>();
      for (Future<ClusterNetwork> f : started) nets.add(f.get(60, TimeUnit.SECONDS));
      nets.forEach(fx::closeLater);
      for (ClusterNetwork from : nets) {
        for (ClusterNetwork to : nets) {
          if (from != to) awaitPing(from.gatewayNetns(), to.gatewayWanAddress());
        }
      }
      assertThat(fx.dataplane.ip().in(Dataplane.wanNetnsName(fx.id), "-o", "link", "show", "master",
          fx.dataplane.names().wanBridge()).stdout().lines()).hasSize(n);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClusterNeedsAUsableWanHostNumberAndADnsLabelName() {
    assertThatThrownBy(() -> fx.dataplane.createCluster("cluster-0", 0, "10.244.0.0/16"))
        .hasMessageContaining("index between 1 and 254");
    assertThatThrownBy(() -> fx.dataplane.createCluster("Cluster_1", 1, "10.244.0.0/16"))
        .hasMessageContaining("DNS-1123 label");
    assertThat(fx.leftovers()).isEmpty();
  }

  @Test
  void stoppingAClusterKillsWhatRunsInItsGatewayAndRemovesItsWireGuardSocket() throws Exception {
    ClusterNetwork net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    Path socket = fakeWireGuardInterface(net.gatewayNetns());
    Process sleeper = new ProcessBuilder("ip", "netns", "exec", net.gatewayNetns(), "sleep", "1000").start();
    await().atMost(DataplaneFixture.DEADLINE).until(() -> fx.dataplane.ip().netnsPids(net.gatewayNetns()).size() >= 1);

    net.close();

    assertThat(sleeper.waitFor(DataplaneFixture.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(socket).doesNotExist();
    assertThat(fx.dataplane.ip().netnsExists(net.gatewayNetns())).isFalse();
  }

  /**
   * A stand-in for a userspace WireGuard interface: a link in {@code netns} with a socket in
   * /var/run/wireguard named after it. The real wireguard-go is exercised by {@link CleanupIT}.
   */
  private Path fakeWireGuardInterface(String netns) throws Exception {
    String ifname = "pt-" + fx.id.value() + "ff";
    fx.dataplane.ip().in(netns, "tuntap", "add", "dev", ifname, "mode", "tun");
    Path socket = Dataplane.wireGuardSocket(ifname);
    Files.createDirectories(socket.getParent());
    Files.writeString(socket, "");
    return socket;
  }
}
