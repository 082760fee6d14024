package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesTest {
  private final Names names = new Names(new SandboxId("a1b2c3"));

  @Test
  void interfaceNamesFitTheKernelLimitAtTheLargestIndexes() {
    List<String> all = List.of(
        names.underlayBridge(Names.MAX_CLUSTER_INDEX),
        names.nodeUplink(Names.MAX_NODE_INDEX),
        names.nodeUplinkPeer(Names.MAX_NODE_INDEX),
        names.nodeBridge(Names.MAX_NODE_INDEX),
        names.podHostVeth("a-very-long-cluster-name", "some-namespace-with-a-long-name", "pod-" + "x".repeat(200)),
        names.attachedUplink(Names.MAX_CLUSTER_INDEX),
        names.attachedUplinkPeer(Names.MAX_CLUSTER_INDEX),
        names.gatewayWanLink(Names.MAX_CLUSTER_INDEX),
        names.gatewayWanLinkPeer(Names.MAX_CLUSTER_INDEX),
        names.wanBridge());
    assertThat(all).allSatisfy(n -> {
      assertThat(n.length()).isLessThanOrEqualTo(Names.MAX_INTERFACE_NAME);
      assertThat(n).matches(names.interfacePattern());
    });
    assertThat(all).doesNotHaveDuplicates();
  }

  @Test
  void namespacesCarryTheSandboxPrefix() {
    assertThat(names.clusterNetns(1)).isEqualTo("pontoon-a1b2c3-c1");
    assertThat(names.nodeNetns(1, 2)).isEqualTo("pontoon-a1b2c3-c1-n2");
    assertThat(names.podNetns("cluster-1", "default", "web")).startsWith("pontoon-a1b2c3-p-").hasSize(27);
  }

  @Test
  void gatewayAndWanNamespacesCarryTheSandboxPrefixAndTheClusterName() {
    assertThat(names.gatewayNetns("cluster-1")).isEqualTo("pontoon-a1b2c3-gw-cluster-1");
    assertThat(Dataplane.gatewayNetnsName(new SandboxId("a1b2c3"), "cluster-2")).isEqualTo("pontoon-a1b2c3-gw-cluster-2");
    assertThat(names.wanNetns()).isEqualTo("pontoon-a1b2c3-wan").isEqualTo(Dataplane.wanNetnsName(new SandboxId("a1b2c3")));
    assertThat(names.gatewayNetns("c".repeat(63))).startsWith(names.netnsPrefix());
    assertThatThrownBy(() -> names.gatewayNetns("../etc")).hasMessageContaining("DNS-1123 label");
    assertThatThrownBy(() -> names.gatewayNetns("c".repeat(64))).hasMessageContaining("DNS-1123 label");
  }

  @Test
  void gatewayWanAddressesFollowTheClusterIndex() {
    assertThat(Dataplane.gatewayWanAddress(1)).isEqualTo("100.127.0.1");
    assertThat(Dataplane.gatewayWanAddress(254)).isEqualTo("100.127.0.254");
    assertThatThrownBy(() -> Dataplane.gatewayWanAddress(0)).hasMessageContaining("between 1 and 254");
    assertThatThrownBy(() -> Dataplane.gatewayWanAddress(255)).hasMessageContaining("between 1 and 254");
    assertThatThrownBy(() -> DataplaneConfig.defaults().withWan("100.64.3.0/24")).hasMessageContaining("overlaps");
  }

  @Test
  void podNamesAreStableAndDistinguishClustersNamespacesAndPods() {
    String a = names.podNetns("cluster-1", "default", "web");
    assertThat(names.podNetns("cluster-1", "default", "web")).isEqualTo(a);
    assertThat(names.podNetns("cluster-2", "default", "web")).isNotEqualTo(a);
    assertThat(names.podNetns("cluster-1", "other", "web")).isNotEqualTo(a);
    assertThat(names.podNetns("cluster-1", "default", "web2")).isNotEqualTo(a);
    // the separator keeps "a/b-c" and "a-b/c" apart
    assertThat(names.podNetns("cluster-1", "a", "b-c")).isNotEqualTo(names.podNetns("cluster-1", "a-b", "c"));
    assertThat(Dataplane.netnsName(new SandboxId("a1b2c3"), "cluster-1", "default", "web")).isEqualTo(a);
  }

  @Test
  void twoSandboxesNeverShareANameOrAPrefix() {
    Names other = new Names(new SandboxId("a1b2c4"));
    assertThat(other.clusterNetns(1)).isNotEqualTo(names.clusterNetns(1));
    assertThat(other.nodeBridge(1)).isNotEqualTo(names.nodeBridge(1));
    assertThat(names.clusterNetns(1)).doesNotStartWith(other.netnsPrefix());
    assertThat(other.podHostVeth("c", "n", "p")).doesNotMatch(names.interfacePattern());
  }

  @Test
  void theWireGuardNamesOfTheGatewayCannotMatch() {
    assertThat("pt-0123abcd").doesNotMatch(names.interfacePattern());
  }

  @Test
  void rejectsIndexesOutOfRange() {
    assertThatThrownBy(() -> names.clusterNetns(256)).hasMessageContaining("cluster index");
    assertThatThrownBy(() -> names.nodeBridge(1000)).hasMessageContaining("node index");
  }

  @Test
  void sandboxIdsDeriveFromTheDirectory(@TempDir Path dir) {
    SandboxId a = SandboxId.forDirectory(dir);
    assertThat(a.value()).matches("[0-9a-f]{6}");
    assertThat(SandboxId.forDirectory(dir.resolve("x").resolve(".."))).isEqualTo(a);
    assertThat(SandboxId.forDirectory(dir.resolve("other"))).isNotEqualTo(a);
    assertThatThrownBy(() -> new SandboxId("XYZ")).hasMessageContaining("6 lower-case hex");
  }
}
