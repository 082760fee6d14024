package io.pontoon.gateway.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import io.pontoon.gateway.ipam.Cidr;
import org.junit.jupiter.api.Test;

class NatRulesetTest {
  final PeerNat toB = new PeerNat("pt-bbbbbbbb", Cidr.parse("10.0.0.0/24"),
      Cidr.parse("10.72.0.0/24"), Cidr.parse("10.71.0.0/24"), 1420);
  final PeerNat toC = new PeerNat("pt-cccccccc", Cidr.parse("10.0.0.0/24"),
      Cidr.parse("10.0.0.0/24"), Cidr.parse("10.5.0.0/24"), 1400);

  @Test
  void replacesOnlyItsTableInOneScript() {
    String s = NatRuleset.render("pontoon", List.of(toB));
    // an ip table of the same name (what earlier versions wrote) goes in the same transaction
    assertThat(s).startsWith("table ip pontoon {\n}\ndelete table ip pontoon\n"
        + "table netdev pontoon {\n}\ndelete table netdev pontoon\ntable netdev pontoon {\n");
    assertThat(s).doesNotContain("flush ruleset");
    assertThat(s).endsWith("}\n");
  }

  @Test
  void eachTunnelTranslatesOnlyItsOwnClustersAddressesStatelessly() {
    String s = NatRuleset.render("pontoon", List.of(toB, toC));
    String ingress = chain(s, "pt-bbbbbbbb-ingress");
    String egress = chain(s, "pt-bbbbbbbb-egress");
    assertThat(ingress).contains("type filter hook ingress device \"pt-bbbbbbbb\" priority -300; policy accept;\n")
        .contains("    ip daddr 10.72.0.0-10.72.0.254 ip daddr set ip daddr & 0.0.0.255 | 10.0.0.0\n");
    assertThat(egress).contains("type filter hook egress device \"pt-bbbbbbbb\" priority 300; policy accept;\n")
        .contains("    ip saddr 10.0.0.0/24 ip saddr set ip saddr & 0.0.0.255 | 10.72.0.0\n");
    // the gateway's own tunnel address (the probe's) is left out of the translated range
    assertThat(ingress).doesNotContain("10.72.0.255");
    // no conntrack and no IP hooks: nothing but the tunnel's own packets meets a rule
    assertThat(s).doesNotContain("type nat").doesNotContain("snat").doesNotContain("dnat").doesNotContain("notrack")
        .doesNotContain("prerouting").doesNotContain("postrouting").doesNotContain("forward").doesNotContain("output")
        .doesNotContain("iifname").doesNotContain("oifname");
    // MSS clamped both ways to the tunnel's MTU less 40
    assertThat(ingress).contains("    tcp flags syn tcp option maxseg size set 1380\n");
    assertThat(egress).contains("    tcp flags syn tcp option maxseg size set 1380\n");
    // the peer kept our real CIDR: no translation, but MSS clamping still
    String cIngress = chain(s, "pt-cccccccc-ingress");
    String cEgress = chain(s, "pt-cccccccc-egress");
    assertThat(cIngress + cEgress).doesNotContain(" set ip ").doesNotContain("jump");
    assertThat(s).doesNotContain("pt-cccccccc-icmp");
    assertThat(cIngress).contains("tcp flags syn tcp option maxseg size set 1360\n");
    assertThat(cEgress).contains("tcp flags syn tcp option maxseg size set 1360\n");
  }

  @Test
  void translatesTheHeadersQuotedByIcmpErrors() {
    String s = NatRuleset.render("pontoon", List.of(toB));
    assertThat(chain(s, "pt-bbbbbbbb-ingress")).contains("    icmp type { destination-unreachable, time-exceeded, "
        + "parameter-problem } ip daddr 10.72.0.0-10.72.0.254 jump pt-bbbbbbbb-icmp-in\n");
    assertThat(chain(s, "pt-bbbbbbbb-egress")).contains("    icmp type { destination-unreachable, time-exceeded, "
        + "parameter-problem } jump pt-bbbbbbbb-icmp-out\n");
    // the quoted header is translated before the outer one (the jump comes first)
    String ingress = chain(s, "pt-bbbbbbbb-ingress");
    assertThat(ingress.indexOf("jump")).isLessThan(ingress.indexOf("ip daddr set"));
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
        Cidr.parse("10.71.0.0/24"), 1420)).hasMessageContaining("size of our pod CIDR");
    assertThatThrownBy(() -> new PeerNat("much-too-long-name", Cidr.parse("10.0.0.0/24"),
        Cidr.parse("10.72.0.0/24"), Cidr.parse("10.71.0.0/24"), 1420)).hasMessageContaining("interface name");
    assertThatThrownBy(() -> new PeerNat("pt-x", Cidr.parse("10.0.0.0/24"), Cidr.parse("10.72.0.0/24"),
        Cidr.parse("10.71.0.0/24"), 100)).hasMessageContaining("MTU must be 576..9000, got 100");
  }

  /** The text of one chain of a rendered script. */
  private static String chain(String script, String name) {
    int start = script.indexOf("  chain " + name + " {\n");
    assertThat(start).as("chain %s in%n%s", name, script).isNotNegative();
    return script.substring(start, script.indexOf("\n  }\n", start) + 5);
  }
}
