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
    assertThat(s).endsWith("}\n");
  }

  @Test
  void eachTunnelTranslatesOnlyItsOwnClustersAddressesStatelessly() {
    String s = NatRuleset.render("pontoon", List.of(toB, toC));
    assertThat(s).contains("oifname \"pt-bbbbbbbb\" ip saddr 10.0.0.0/24 ip saddr set ip saddr & 0.0.0.255 | 10.72.0.0\n");
    assertThat(s).contains("iifname \"pt-bbbbbbbb\" ip daddr 10.72.0.0/24 ip daddr set ip daddr & 0.0.0.255 | 10.0.0.0\n");
    assertThat(s).contains("iifname \"pt-bbbbbbbb\" ip daddr 10.72.0.255 accept");
    assertThat(s.indexOf("10.72.0.255 accept")).isLessThan(s.indexOf("ip daddr set"));
    // no conntrack: no nat chains, and tunnel traffic is not tracked
    assertThat(s).doesNotContain("type nat").doesNotContain("snat").doesNotContain("dnat");
    assertThat(s).contains("type filter hook prerouting priority raw;")
        .contains("iifname \"pt-bbbbbbbb\" notrack").contains("ip daddr 10.71.0.0/24 notrack");
    // the peer kept our real CIDR: no translation, but MSS clamping still
    assertThat(s).doesNotContain("oifname \"pt-cccccccc\" ip saddr").doesNotContain("pt-cccccccc-icmp");
    assertThat(s).contains("oifname \"pt-cccccccc\" tcp flags syn tcp option maxseg size set rt mtu");
  }

  @Test
  void translatesTheHeadersQuotedByIcmpErrors() {
    String s = NatRuleset.render("pontoon", List.of(toB));
    assertThat(s).contains("iifname \"pt-bbbbbbbb\" icmp type { destination-unreachable, time-exceeded, "
        + "parameter-problem } jump pt-bbbbbbbb-icmp-in");
    assertThat(s).contains("oifname \"pt-bbbbbbbb\" icmp type { destination-unreachable, time-exceeded, "
        + "parameter-problem } jump pt-bbbbbbbb-icmp-out");
    String in = s.substring(s.indexOf("chain pt-bbbbbbbb-icmp-in {"), s.indexOf("chain pt-bbbbbbbb-icmp-out {"));
    // one rule per error type and code: 16 + 2 + 3; coming in, the quoted source 10.72.0.x becomes 10.0.0.x
    assertThat(in.lines().filter(l -> l.contains("icmp type set"))).hasSize(21);
    assertThat(in).contains("icmp type 3 icmp code 3 @th,64,8 0x45 @th,160,32 & 0xffffff00 == 0x0a480000 "
        + "@th,160,32 set @th,160,32 & 0x000000ff | 0x0a000000 icmp type set 2 icmp code set 187 @th,0,16 set 0x0303\n");
    String out = s.substring(s.indexOf("chain pt-bbbbbbbb-icmp-out {"));
    assertThat(out).contains("icmp type 11 icmp code 0 @th,64,8 0x45 @th,192,32 & 0xffffff00 == 0x0a000000 "
        + "@th,192,32 set @th,192,32 & 0x000000ff | 0x0a480000");
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
