package io.pontoon.gateway.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void parsesAndFormats() {
    Cidr c = Cidr.parse("10.244.0.0/16");
    assertThat(c.size()).isEqualTo(65536);
    assertThat(c.address(5)).isEqualTo("10.244.0.5");
    assertThat(Cidr.formatAddress(c.last())).isEqualTo("10.244.255.255");
    assertThat(c).hasToString("10.244.0.0/16");
    assertThat(Cidr.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
  }

  @Test
  void rejectsHostBitsWithTheFix() {
    assertThatThrownBy(() -> Cidr.parse("10.244.1.7/16"))
        .hasMessageContaining("host bits").hasMessageContaining("10.244.0.0/16");
  }

  @Test
  void rejectsMalformedInput() {
    for (String bad : new String[] {"10.0.0.0", "10.0.0/8", "10.0.0.256/32", "a.b.c.d/8",
        "10.0.0.0/33", "10.0.0.0/-1", " /8", "10..0.0/8"}) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void overlapAndContainment() {
    Cidr a = Cidr.parse("10.0.0.0/8");
    Cidr b = Cidr.parse("10.71.0.0/24");
    Cidr c = Cidr.parse("11.0.0.0/24");
    assertThat(a.overlaps(b)).isTrue();
    assertThat(b.overlaps(a)).isTrue();
    assertThat(a.contains(b)).isTrue();
    assertThat(b.contains(a)).isFalse();
    assertThat(a.overlaps(c)).isFalse();
    assertThat(a.contains("10.1.2.3")).isTrue();
    assertThat(b.contains("10.71.1.0")).isFalse();
  }
}
