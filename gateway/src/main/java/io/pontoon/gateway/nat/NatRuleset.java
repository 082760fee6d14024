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
 * <p>The table is of family {@code netdev}: each tunnel interface gets an ingress and an egress
 * chain bound to that device alone, so only packets crossing the tunnel meet a rule; the IP hooks
 * (prerouting, forward, postrouting, output), which every packet of the namespace would cross,
 * stay empty. The translation is stateless (see gateway/README.md "NAT and routes"): addresses are
 * rewritten in place with payload statements ({@code ip daddr set ip daddr & HOSTMASK | NET}, for
 * which nft also fixes the IP and TCP/UDP checksums) and the headers quoted by ICMP errors by
 * {@link IcmpErrorRules}; nothing here uses conntrack. The device must exist when the script is
 * applied (kernels before 6.16 refuse a missing one).
 */
public final class NatRuleset {
  public static final String DEFAULT_TABLE = "pontoon";
  /** The family of Pontoon's tables. */
  public static final String FAMILY = "netdev";
  /** The family Pontoon's tables had when they used the IP hooks; such a table is replaced too. */
  static final String LEGACY_FAMILY = "ip";
  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,63}");

  private NatRuleset() {}

  public static String requireTable(String table) {
    if (table == null || !TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("nft table name must match " + TABLE_NAME + ", got '" + table + "'");
    }
    return table;
  }

  /**
   * The script that makes table {@code table} hold exactly the rules of {@code peers} (and removes
   * an {@code ip} table of that name left by an earlier version, in the same transaction).
   */
  public static String render(String table, List<PeerNat> peers) {
    requireTable(table);
    StringBuilder s = new StringBuilder();
    for (String family : List.of(LEGACY_FAMILY, FAMILY)) {
      s.append("table ").append(family).append(' ').append(table).append(" {\n}\n");
      s.append("delete table ").append(family).append(' ').append(table).append('\n');
    }
    s.append(tableBody(table, peers));
    return s.toString();
  }

  /** The table alone, as {@code nft list table} would show its rules. */
  static String tableBody(String table, List<PeerNat> peers) {
    StringBuilder s = new StringBuilder("table " + FAMILY + " " + table + " {\n");
    for (PeerNat p : peers) {
      String dev = '"' + p.interfaceName() + '"';
      String in = p.interfaceName() + "-icmp-in";
      String out = p.interfaceName() + "-icmp-out";
      // from the tunnel: ingress, before routing, so the translated destination is what is routed
      // (first of any ingress chain on the device, as dstnat would be)
      s.append("  chain ").append(p.interfaceName()).append("-ingress {\n")
          .append("    type filter hook ingress device ").append(dev).append(" priority -300; policy accept;\n");
      if (!p.identity()) {
        // the last address of the block is the gateway's own (the health probe's): never a pod's
        String pods = Cidr.formatAddress(p.localRemapped().network()) + "-"
            + Cidr.formatAddress(p.localRemapped().last() - 1);
        s.append("   ").append(ICMP_ERRORS).append(" ip daddr ").append(pods).append(" jump ").append(in).append('\n');
        s.append("    ip daddr ").append(pods).append(" ip daddr set ip daddr & ").append(hostMask(p.localRemapped()))
            .append(" | ").append(networkAddress(p.localPodCidr())).append('\n');
      }
      // the tunnel's MTU is below the pods': clamp TCP's MSS both ways (nft only ever lowers it)
      s.append("    ").append(MSS_CLAMP).append(p.mss()).append('\n');
      s.append("  }\n");
      // into the tunnel: egress, after routing and the IP hooks (last of any egress chain, as srcnat)
      s.append("  chain ").append(p.interfaceName()).append("-egress {\n")
          .append("    type filter hook egress device ").append(dev).append(" priority 300; policy accept;\n");
      if (!p.identity()) {
        s.append("   ").append(ICMP_ERRORS).append(" jump ").append(out).append('\n');
        s.append("    ip saddr ").append(p.localPodCidr()).append(" ip saddr set ip saddr & ")
            .append(hostMask(p.localPodCidr())).append(" | ").append(networkAddress(p.localRemapped())).append('\n');
      }
      s.append("    ").append(MSS_CLAMP).append(p.mss()).append('\n');
      s.append("  }\n");
      if (!p.identity()) {
        // errors coming in quote what our pod sent (its source as the peer sees it); errors going
        // out quote what reached our pod (its destination as translated on the way in)
        s.append("  chain ").append(in).append(" {\n")
            .append(IcmpErrorRules.render(IcmpErrorRules.INNER_SOURCE, p.localRemapped(), p.localPodCidr()))
            .append("  }\n");
        s.append("  chain ").append(out).append(" {\n")
            .append(IcmpErrorRules.render(IcmpErrorRules.INNER_DESTINATION, p.localPodCidr(), p.localRemapped()))
            .append("  }\n");
      }
    }
    return s.append("}\n").toString();
  }

  private static final String MSS_CLAMP = "tcp flags syn tcp option maxseg size set ";
  private static final String ICMP_ERRORS =
      " icmp type { destination-unreachable, time-exceeded, parameter-problem }";

  private static String hostMask(Cidr c) {
    return Cidr.formatAddress(c.size() - 1);
  }

  private static String networkAddress(Cidr c) {
    return Cidr.formatAddress(c.network());
  }
}
