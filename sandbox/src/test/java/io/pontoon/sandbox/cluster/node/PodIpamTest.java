package io.pontoon.sandbox.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodIpamTest {
  @Test
  void skipsNetworkGatewayAndBroadcast() {
    PodIpam ipam = new PodIpam(Cidr.parse("10.244.0.0/24"));
    assertThat(ipam.gateway()).isEqualTo("10.244.0.1");
    assertThat(ipam.allocate("a")).isEqualTo("10.244.0.2");
    Set<String> all = new HashSet<>(Set.of("10.244.0.2"));
    for (int i = 0; i < 252; i++) all.add(ipam.allocate("p" + i));
    assertThat(all).hasSize(253).doesNotContain("10.244.0.0", "10.244.0.1", "10.244.0.255");
    assertThatThrownBy(() -> ipam.allocate("one-too-many")).hasMessageContaining("no free pod IP");
  }

  @Test
  void sameOwnerSameAddressAndReleasedAddressesComeBackLast() {
    PodIpam ipam = new PodIpam(Cidr.parse("10.244.0.0/29")); // .2 to .6
    String a = ipam.allocate("a");
    assertThat(ipam.allocate("a")).isEqualTo(a);
    ipam.release("a");
    assertThat(ipam.allocate("b")).isEqualTo("10.244.0.3");
    assertThat(ipam.allocate("c")).isEqualTo("10.244.0.4");
    assertThat(ipam.allocate("d")).isEqualTo("10.244.0.5");
    assertThat(ipam.allocate("e")).isEqualTo("10.244.0.6");
    assertThat(ipam.allocate("f")).isEqualTo("10.244.0.2");
    assertThat(ipam.inUse()).isEqualTo(5);
  }

  @Test
  void neverHandsOutALiveAddress() {
    PodIpam ipam = new PodIpam(Cidr.parse("10.244.0.0/29"));
    ipam.allocate("a");
    ipam.allocate("b");
    ipam.release("a");
    for (int i = 0; i < 4; i++) assertThat(ipam.allocate("n" + i)).isNotEqualTo(ipam.addressOf("b").orElseThrow());
  }
}
