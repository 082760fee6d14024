package io.pontoon.gateway.nat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders Pontoon's nft table for a set of tunnel interfaces as one {@code nft -f} script that
 * replaces only that table, atomically: {@code table …} (creates it when missing, so the delete
 * never fails), {@code delete table …}, then the full table. nft applies a file as one
 * transaction, so a failing script leaves the previous table as it was.
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
    StringBuilder fwd = new StringBuilder();
    for (PeerNat p : peers) {
      String dev = '"' + p.interfaceName() + '"';
      // the probe's address is the gateway's own: never translated into a pod's
      pre.append("    iifname ").append(dev).append(" ip daddr ").append(p.tunnelAddress()).append(" accept\n");
      if (!p.identity()) {
        pre.append("    iifname ").append(dev).append(" ip daddr ").append(p.localRemapped())
            .append(" dnat ip prefix to ").append(p.localPodCidr()).append('\n');
        post.append("    oifname ").append(dev).append(" ip saddr ").append(p.localPodCidr())
            .append(" snat ip prefix to ").append(p.localRemapped()).append('\n');
      }
      // the tunnel's MTU is below the pods': clamp TCP's MSS both ways
      fwd.append("    oifname ").append(dev).append(" tcp flags syn tcp option maxseg size set rt mtu\n");
      fwd.append("    iifname ").append(dev).append(" tcp flags syn tcp option maxseg size set rt mtu\n");
    }
    return "table ip " + table + " {\n"
        + "  chain prerouting {\n"
        + "    type nat hook prerouting priority dstnat; policy accept;\n" + pre
        + "  }\n"
        + "  chain postrouting {\n"
        + "    type nat hook postrouting priority srcnat; policy accept;\n" + post
        + "  }\n"
        + "  chain forward {\n"
        + "    type filter hook forward priority mangle; policy accept;\n" + fwd
        + "  }\n"
        + "}\n";
  }
}
