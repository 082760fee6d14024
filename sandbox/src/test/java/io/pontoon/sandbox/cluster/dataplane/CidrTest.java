package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void parsesAndNormalises() {
    Cidr c = Cidr.parse("10.244.1.7/24");
    assertThat(c).hasToString("10.244.1.0/24");
    assertThat(c.size()).isEqualTo(256);
    assertThat(c.address(1)).isEqualTo("10.244.1.1");
    assertThat(c.address(255)).isEqualTo("10.244.1.255");
  }

  @Test
  void containsAddressesAndBlocks() {
    Cidr cluster = Cidr.parse("10.244.0.0/16");
    assertThat(cluster.contains("10.244.3.4")).isTrue();
    assertThat(cluster.contains("10.245.0.1")).isFalse();
    assertThat(cluster.contains(Cidr.parse("10.244.9.0/24"))).isTrue();
    assertThat(cluster.contains(Cidr.parse("10.0.0.0/8"))).isFalse();
    assertThat(Cidr.parse("10.244.1.0/24").indexOf("10.244.1.9")).isEqualTo(9);
  }

  @Test
  void carvesSubnets() {
    Cidr pool = Cidr.parse("100.64.0.0/16");
    assertThat(pool.subnet(24, 0)).hasToString("100.64.0.0/24");
    assertThat(pool.subnet(24, 7)).hasToString("100.64.7.0/24");
    assertThat(pool.subnet(24, 255)).hasToString("100.64.255.0/24");
    assertThatThrownBy(() -> pool.subnet(24, 256)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> pool.subnet(8, 0)).hasMessageContaining("cannot split");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0")).hasMessageContaining("missing /prefix");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.256/24")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0/24")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/24").address(256)).hasMessageContaining("outside");
  }
}
