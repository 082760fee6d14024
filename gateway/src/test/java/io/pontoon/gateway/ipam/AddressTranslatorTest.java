package io.pontoon.gateway.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressTranslatorTest {
  @Test
  void mapsTheSameOffset() {
    AddressTranslator t = AddressTranslator.of("10.0.0.0/24", "10.71.0.0/24");
    assertThat(t.translate("10.0.0.5")).isEqualTo("10.71.0.5");
    assertThat(t.reverse().translate("10.71.0.5")).isEqualTo("10.0.0.5");
    assertThat(AddressTranslator.of("10.244.0.0/16", "172.16.0.0/16").translate("10.244.3.9"))
        .isEqualTo("172.16.3.9");
  }

  @Test
  void refusesAddressesOutsideAndDifferentSizes() {
    AddressTranslator t = AddressTranslator.of("10.0.0.0/24", "10.71.0.0/24");
    assertThat(t.translates("10.0.1.1")).isFalse();
    assertThatThrownBy(() -> t.translate("10.0.1.1")).hasMessageContaining("not inside 10.0.0.0/24");
    assertThatThrownBy(() -> AddressTranslator.of("10.0.0.0/24", "10.71.0.0/16"))
        .hasMessageContaining("different sizes");
  }

  @Test
  void roundTripsRandomAddresses() {
    Random r = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      int prefix = 8 + r.nextInt(25);
      long size = 1L << (32 - prefix);
      Cidr from = Cidr.ofSize((r.nextLong() & 0xFFFF_FFFFL) / size * size, size);
      Cidr to = Cidr.ofSize((r.nextLong() & 0xFFFF_FFFFL) / size * size, size);
      AddressTranslator t = new AddressTranslator(from, to);
      String a = from.address(Math.floorMod(r.nextLong(), size));
      String moved = t.translate(a);
      assertThat(to.contains(moved)).isTrue();
      assertThat(t.reverse().translate(moved)).isEqualTo(a);
    }
  }
}
