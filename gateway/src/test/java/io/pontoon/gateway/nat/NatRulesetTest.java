package io.pontoon.gateway.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import io.pontoon.gateway.ipam.Cidr;
import org.junit.jupiter.api.Test;

class NatRulesetTest {
  final PeerNat toB = new PeerNat("pt-bbbbbbbb", Cidr.parse("10.0.0.0/24"),
      Cidr.parse("10.72.0.0/24"), Cidr.parse("10.71.0.0/24"));
  final PeerNat toC = new PeerNat("pt-cccccccc", Cidr.parse("10.0.0.0/24"),
      Cidr.parse("10.0.0.0/24"), Cidr.parse("10.5.0.0/24"));

  @Test
  void replacesOnlyItsTableInOneScript() {
    String s = NatRuleset.render("pontoon", List.of(toB));
    assertThat(s).startsWith("table ip pontoon {\n}\ndelete table ip pontoon\ntable ip pontoon {\n");
    assertThat(s).doesNotContain("flush ruleset");
  }

  @Test
  void eachTunnelTranslatesOnlyItsOwnClustersAddresses() {
    String s = NatRuleset.render("pontoon", List.of(toB, toC));
    assertThat(s).contains("oifname \"pt-bbbbbbbb\" ip saddr 10.0.0.0/24 snat ip prefix to 10.72.0.0/24");
    assertThat(s).contains("iifname \"pt-bbbbbbbb\" ip daddr 10.72.0.0/24 dnat ip prefix to 10.0.0.0/24");
    assertThat(s).contains("iifname \"pt-bbbbbbbb\" ip daddr 10.72.0.255 accept");
    // the peer kept our real CIDR: no translation, but MSS clamping still
    assertThat(s).doesNotContain("oifname \"pt-cccccccc\" ip saddr");
    assertThat(s).contains("oifname \"pt-cccccccc\" tcp flags syn tcp option maxseg size set rt mtu");
    assertThat(s.indexOf("10.72.0.255 accept")).isLessThan(s.indexOf("dnat ip prefix"));
  }

  @Test
  void isDeterministic() {
    assertThat(NatRuleset.render("t", List.of(toB, toC))).isEqualTo(NatRuleset.render("t", List.of(toB, toC)));
  }

  @Test
  void refusesBadInput() {
    assertThatThrownBy(() -> NatRuleset.render("bad name;", List.of())).hasMessageContaining("table name");
    assertThatThrownBy(() -> new PeerNat("pt-x", Cidr.parse("10.0.0.0/24"), Cidr.parse("10.72.0.0/16"),
        Cidr.parse("10.71.0.0/24"))).hasMessageContaining("size of our pod CIDR");
    assertThatThrownBy(() -> new PeerNat("much-too-long-name", Cidr.parse("10.0.0.0/24"),
        Cidr.parse("10.72.0.0/24"), Cidr.parse("10.71.0.0/24"))).hasMessageContaining("interface name");
  }
}
