package io.pontoon.gateway.nat;

import java.util.List;
import java.util.regex.Pattern;

import io.pontoon.gateway.ipam.Cidr;

/**
 * Renders Pontoon's nft table for a set of tunnel interfaces as one {@code nft -f} script that
 * replaces only that table, atomically: {@code table …} (creates it when missing, so the delete
 * never fails), {@code delete table …}, then the full table. nft applies a file as one
 * transaction, so a failing script leaves the previous table as it was.
 *
 * <p>The translation is stateless (see gateway/README.md "NAT and routes"): addresses are
 * rewritten in place with payload statements ({@code ip daddr set ip daddr & HOSTMASK | NET}, for
 * which nft also fixes the IP and TCP/UDP checksums), tunnel traffic bypasses conntrack, and the
 * headers quoted by ICMP errors are translated by {@link IcmpErrorRules}.
 */
public final class NatRuleset {
  public static final String DEFAULT_TABLE = "pontoon";
  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,63}");

  private NatRuleset() {}

  public static String requireTable(String table) {
    if (table == null || !TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("nft table name must match " + TABLE_NAME + ", got '" + table + "'");
    }
    return table;
  }

  /** The script that makes table {@code table} hold exactly the rules of {@code peers}. */
  public static String render(String table, List<PeerNat> peers) {
    requireTable(table);
    StringBuilder s = new StringBuilder();
    s.append("table ip ").append(table).append(" {\n}\n");
    s.append("delete table ip ").append(table).append('\n');
    s.append(tableBody(table, peers));
    return s.toString();
  }

  /** The table alone, as {@code nft list table} would show its rules. */
  static String tableBody(String table, List<PeerNat> peers) {
    StringBuilder pre = new StringBuilder();
    StringBuilder post = new StringBuilder();
    StringBuilder out = new StringBuilder();
    StringBuilder fwd = new StringBuilder();
    StringBuilder icmpChains = new StringBuilder();
    for (PeerNat p : peers) {
      String dev = '"' + p.interfaceName() + '"';
      // tunnel traffic is translated statelessly: conntrack would only cost time
      pre.append("    iifname ").append(dev).append(" notrack\n");
      pre.append("    ip daddr ").append(p.remoteRemapped()).append(" notrack\n");
      out.append("    ip daddr ").append(p.remoteRemapped()).append(" notrack\n");
      // the probe's address is the gateway's own: never translated into a pod's
      pre.append("    iifname ").append(dev).append(" ip daddr ").append(p.tunnelAddress()).append(" accept\n");
      if (!p.identity()) {
        String in = p.interfaceName() + "-icmp-in";
        String outbound = p.interfaceName() + "-icmp-out";
        pre.append("    iifname ").append(dev).append(ICMP_ERRORS).append(" jump ").append(in).append('\n');
        pre.append("    iifname ").append(dev).append(" ip daddr ").append(p.localRemapped())
            .append(" ip daddr set ip daddr & ").append(hostMask(p.localRemapped()))
            .append(" | ").append(networkAddress(p.localPodCidr())).append('\n');
        post.append("    oifname ").append(dev).append(ICMP_ERRORS).append(" jump ").append(outbound).append('\n');
        post.append("    oifname ").append(dev).append(" ip saddr ").append(p.localPodCidr())
            .append(" ip saddr set ip saddr & ").append(hostMask(p.localPodCidr()))
            .append(" | ").append(networkAddress(p.localRemapped())).append('\n');
        // errors coming in quote what our pod sent (its source as the peer sees it); errors going
        // out quote what reached our pod (its destination as translated on the way in)
        icmpChains.append("  chain ").append(in).append(" {\n")
            .append(IcmpErrorRules.render(IcmpErrorRules.INNER_SOURCE, p.localRemapped(), p.localPodCidr()))
            .append("  }\n");
        icmpChains.append("  chain ").append(outbound).append(" {\n")
            .append(IcmpErrorRules.render(IcmpErrorRules.INNER_DESTINATION, p.localPodCidr(), p.localRemapped()))
            .append("  }\n");
      }
      // the tunnel's MTU is below the pods': clamp TCP's MSS both ways
      fwd.append("    oifname ").append(dev).append(" tcp flags syn tcp option maxseg size set rt mtu\n");
      fwd.append("    iifname ").append(dev).append(" tcp flags syn tcp option maxseg size set rt mtu\n");
    }
    // prerouting at raw priority: before routing (so a translated destination is routed) and
    // before conntrack (so notrack takes effect); postrouting: after routing chose the tunnel
    return "table ip " + table + " {\n"
        + "  chain prerouting {\n"
        + "    type filter hook prerouting priority raw; policy accept;\n" + pre
        + "  }\n"
        + "  chain output {\n"
        + "    type filter hook output priority raw; policy accept;\n" + out
        + "  }\n"
        + "  chain postrouting {\n"
        + "    type filter hook postrouting priority srcnat; policy accept;\n" + post
        + "  }\n"
        + "  chain forward {\n"
        + "    type filter hook forward priority mangle; policy accept;\n" + fwd
        + "  }\n"
        + icmpChains
        + "}\n";
  }

  private static final String ICMP_ERRORS =
      " icmp type { destination-unreachable, time-exceeded, parameter-problem }";

  private static String hostMask(Cidr c) {
    return Cidr.formatAddress(c.size() - 1);
  }

  private static String networkAddress(Cidr c) {
    return Cidr.formatAddress(c.network());
  }
}
