package io.pontoon.sandbox.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void carvesNodeBlocksInOrder() {
    Cidr cluster = Cidr.parse("10.244.0.0/16");
    assertThat(cluster.subnet(0, 24)).hasToString("10.244.0.0/24");
    assertThat(cluster.subnet(1, 24)).hasToString("10.244.1.0/24");
    assertThat(cluster.subnet(255, 24)).hasToString("10.244.255.0/24");
    assertThat(Cidr.parse("10.0.0.0/8").subnet(3, 26)).hasToString("10.0.0.192/26");
  }

  @Test
  void refusesBlocksThatDoNotExist() {
    Cidr cluster = Cidr.parse("10.244.0.0/16");
    assertThatThrownBy(() -> cluster.subnet(256, 24)).hasMessageContaining("256 blocks");
    assertThatThrownBy(() -> cluster.subnet(0, 8)).hasMessageContaining("do not fit");
    assertThatThrownBy(() -> Cidr.parse("10.244.0.1/16")).hasMessageContaining("host bits");
  }

  @Test
  void containsAndAddresses() {
    Cidr c = Cidr.parse("10.244.1.0/24");
    assertThat(c.contains("10.244.1.77")).isTrue();
    assertThat(c.contains("10.244.2.1")).isFalse();
    assertThat(c.address(2)).isEqualTo("10.244.1.2");
    assertThat(c.size()).isEqualTo(256);
  }
}
