package io.pontoon.vk.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpRemapTest {
  @Test
  void keepsHostBitsAndPassesOtherAddresses() {
    IpRemap r = IpRemap.of("10.244.0.0/16", "10.71.0.0/16");
    assertThat(r.translate("10.244.3.7")).isEqualTo("10.71.3.7");
    assertThat(r.translate("10.245.3.7")).isEqualTo("10.245.3.7");
    assertThat(r.translate("fd00::1")).isEqualTo("fd00::1");
    assertThat(r.translate(null)).isNull();
    assertThat(IpRemap.IDENTITY.translate("10.244.3.7")).isEqualTo("10.244.3.7");
  }

  @Test
  void architectureExample() {
    // A sees B's 10.0.0.0/24 as 10.71.0.0/24: pod B 10.0.0.5 is 10.71.0.5 in A
    assertThat(IpRemap.of("10.0.0.0/24", "10.71.0.0/24").translate("10.0.0.5")).isEqualTo("10.71.0.5");
  }

  @Test
  void refusesMismatchedOrMalformedCidrs() {
    assertThatThrownBy(() -> IpRemap.of("10.0.0.0/24", "10.71.0.0/16")).hasMessageContaining("size");
    assertThatThrownBy(() -> IpRemap.of("10.0.0/24", "10.71.0.0/24")).hasMessageContaining("not an IPv4 CIDR");
    assertThatThrownBy(() -> IpRemap.of("10.0.0.0/33", "10.71.0.0/24")).hasMessageContaining("not an IPv4 CIDR");
  }
}
