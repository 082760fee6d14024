package io.pontoon.gateway.nat;

import java.util.List;
import java.util.Map;

import io.pontoon.gateway.ipam.Cidr;

/**
 * nft rules that translate the <em>inner</em> header of ICMP errors (destination unreachable,
 * time exceeded, parameter problem), which quote the packet they answer: without conntrack nothing
 * else would, and the receiver would not match the error to its socket.
 *
 * <p>nft writes raw payload ({@code @th,…}) without fixing any checksum, so the ICMP checksum is
 * corrected by hand: the address rewrite keeps the host bits, so it changes the message's
 * one's-complement sum by a constant {@link #checksumDelta}; the rule then writes the type and code
 * bytes through nft's typed {@code icmp type/code} fields (which do update the checksum) to values
 * that differ from the real ones by exactly that delta, and puts the real bytes back with a raw
 * write (which does not). That needs the real type and code, hence one rule per pair. The quoted
 * IP header's own checksum is left stale: Linux does not check it when matching an error to a socket.
 */
final class IcmpErrorRules {
  /** ICMP error types and the codes RFC 792/1191/1812 define for them. */
  static final Map<Integer, Integer> CODES = Map.of(3, 16, 11, 2, 12, 3);
  static final List<Integer> TYPES = List.of(3, 11, 12);
  /** Bit offsets, from the ICMP header, of the quoted IP header and its addresses (IHL 5). */
  static final int INNER_VERSION_IHL = 64;
  static final int INNER_SOURCE = 160;
  static final int INNER_DESTINATION = 192;

  private IcmpErrorRules() {}

  /**
   * One rule per error type and code: when the quoted address at {@code innerOffset} lies in
   * {@code from}, it becomes the same host in {@code to}, and the ICMP checksum stays valid.
   */
  static String render(int innerOffset, Cidr from, Cidr to) {
    long hostMask = from.size() - 1;
    long netMask = 0xFFFF_FFFFL & ~hostMask;
    int delta = checksumDelta(from, to);
    String field = "@th," + innerOffset + ",32";
    StringBuilder s = new StringBuilder();
    for (int type : TYPES) {
      for (int code = 0; code < CODES.get(type); code++) {
        int word = (type << 8) | code;
        int shifted = onesAdd(word, delta);
        s.append("    icmp type ").append(type).append(" icmp code ").append(code)
            .append(" @th,").append(INNER_VERSION_IHL).append(",8 0x45 ")
            .append(field).append(" & ").append(hex(netMask)).append(" == ").append(hex(from.network()))
            .append(' ').append(field).append(" set ").append(field).append(" & ").append(hex(hostMask))
            .append(" | ").append(hex(to.network()))
            .append(" icmp type set ").append(shifted >> 8).append(" icmp code set ").append(shifted & 0xFF)
            .append(" @th,0,16 set ").append(String.format("0x%04x", word)).append('\n');
      }
    }
    return s.toString();
  }

  /**
   * How much the one's-complement sum of a message changes when an address of {@code from} is
   * replaced by the same host in {@code to}: the host bits cancel, so it is the difference of the
   * two network addresses' sums.
   */
  static int checksumDelta(Cidr from, Cidr to) {
    return onesAdd(wordSum(to.network()), ~wordSum(from.network()) & 0xFFFF);
  }

  static int wordSum(long address) {
    return onesAdd((int) (address >>> 16) & 0xFFFF, (int) address & 0xFFFF);
  }

  static int onesAdd(int a, int b) {
    int s = a + b;
    return (s & 0xFFFF) + (s >>> 16);
  }

  private static String hex(long v) {
    return String.format("0x%08x", v);
  }
}
