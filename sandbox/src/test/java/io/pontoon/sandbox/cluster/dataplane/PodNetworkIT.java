package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TCP between pods in network namespaces: same node, across nodes, across overlapping clusters. */
class PodNetworkIT {
  @TempDir Path dir;
  private DataplaneFixture fx;

  @BeforeEach
  void setUp() {
    DataplaneFixture.requireDataplane("python3");
    fx = new DataplaneFixture(dir);
  }

  @AfterEach
  void tearDown() {
    if (fx != null) {
      fx.close();
      assertThat(fx.leftovers()).isEmpty();
    }
  }

  @Test
  void twoPodsOnOneNodeExchangeTcp() throws Exception {
    ClusterNetwork net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    NodeNetwork node = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    NetnsRuntime rt = fx.runtime(net, node);
    PodRef server = DataplaneFixture.pod("server");
    PodRef client = DataplaneFixture.pod("client");
    rt.startPodSandbox(server, "10.244.1.10");
    rt.startPodSandbox(client, "10.244.1.11");

    assertThat(fx.dataplane.ip().in(rt.netnsOf(server), "-4", "addr", "show", "dev", "eth0").stdout())
        .contains("10.244.1.10/24");
    assertThat(fx.dataplane.ip().in(rt.netnsOf(server), "route", "show", "default").stdout())
        .contains("via 10.244.1.1 dev eth0");
    fx.httpServer(rt, server, "hello from the same node");
    assertThat(fx.fetch(rt, client, "10.244.1.10")).contains("BODY=hello from the same node");
  }

  @Test
  void podsOnDifferentNodesOfOneClusterTalk() throws Exception {
    ClusterNetwork net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    NodeNetwork n1 = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    NodeNetwork n2 = net.addNode(2, "cluster-1-node-2", "10.244.2.0/24");
    assertThat(n1.underlayAddress()).isEqualTo("100.64.1.1");
    assertThat(n2.underlayAddress()).isEqualTo("100.64.1.2");
    NetnsRuntime rt1 = fx.runtime(net, n1);
    NetnsRuntime rt2 = fx.runtime(net, n2);
    PodRef server = DataplaneFixture.pod("server");
    PodRef client = DataplaneFixture.pod("client");
    rt1.startPodSandbox(server, "10.244.1.20");
    rt2.startPodSandbox(client, "10.244.2.20");

    fx.httpServer(rt1, server, "hello across nodes");
    assertThat(fx.fetch(rt2, client, "10.244.1.20")).contains("BODY=hello across nodes");
    // and back: a server on node 2 answers node 1
    PodRef server2 = DataplaneFixture.pod("server2");
    rt2.startPodSandbox(server2, "10.244.2.21");
    fx.httpServer(rt2, server2, "hello back");
    assertThat(fx.fetch(rt1, server, "10.244.2.21")).contains("BODY=hello back");
  }

  @Test
  void twoClustersWithTheSamePodCidrEachRunAPodWithTheSameIp() throws Exception {
    ClusterNetwork c1 = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    ClusterNetwork c2 = fx.cluster("cluster-2", 2, "10.244.0.0/16");
    NetnsRuntime rt1 = fx.runtime(c1, c1.addNode(1, "cluster-1-node-1", "10.244.1.0/24"));
    NetnsRuntime rt2 = fx.runtime(c2, c2.addNode(1, "cluster-2-node-1", "10.244.1.0/24"));
    PodRef web = DataplaneFixture.pod("web");
    PodRef client = DataplaneFixture.pod("client");
    for (NetnsRuntime rt : new NetnsRuntime[] {rt1, rt2}) {
      rt.startPodSandbox(web, "10.244.1.5");
      rt.startPodSandbox(client, "10.244.1.6");
    }
    assertThat(rt1.netnsOf(web)).isNotEqualTo(rt2.netnsOf(web));

    fx.httpServer(rt1, web, "I am cluster-1");
    fx.httpServer(rt2, web, "I am cluster-2");
    assertThat(fx.fetch(rt1, client, "10.244.1.5")).contains("BODY=I am cluster-1").doesNotContain("cluster-2");
    assertThat(fx.fetch(rt2, client, "10.244.1.5")).contains("BODY=I am cluster-2").doesNotContain("cluster-1");
  }

  @Test
  void extraRoutesReachEveryNodeIncludingLaterOnes() {
    ClusterNetwork net = fx.cluster("cluster-1", 1, "10.244.0.0/16");
    NodeNetwork n1 = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
    net.addRoute(Cidr.parse("10.71.0.0/16"), net.gatewayAddress());
    NodeNetwork n2 = net.addNode(2, "cluster-1-node-2", "10.244.2.0/24");
    for (NodeNetwork n : new NodeNetwork[] {n1, n2}) {
      assertThat(fx.dataplane.ip().in(n.netns(), "route", "show", "10.71.0.0/16").stdout())
          .contains("via " + net.gatewayAddress());
    }
    assertThat(net.gatewayAddress()).isEqualTo("100.64.1.254");
    assertThatThrownBy(() -> net.addRoute(Cidr.parse("10.72.0.0/16"), "192.168.1.1"))
        .hasMessageContaining("not on the underlay");
    net.removeRoute(Cidr.parse("10.71.0.0/16"));
    assertThat(fx.dataplane.ip().in(n1.netns(), "route", "show", "10.71.0.0/16").stdout()).isBlank();
  }
}
