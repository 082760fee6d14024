package io.pontoon.sandbox.apiserver;

import java.util.Optional;

/**
 * An IPv4 service range. As kube-apiserver, the network and broadcast addresses are never handed
 * out, so offset 0 is the first host address (the {@code kubernetes} service's).
 */
record ServiceCidr(long network, int prefix) {

  ServiceCidr {
    if (prefix < 12 || prefix > 30) {
      throw new IllegalArgumentException("service CIDR prefix must be between /12 and /30, got /" + prefix);
    }
  }

  static ServiceCidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not a CIDR: " + cidr);
    long ip = parseIp(cidr.substring(0, slash))
        .orElseThrow(() -> new IllegalArgumentException("not an IPv4 CIDR: " + cidr));
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR: " + cidr, e);
    }
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("not a CIDR: " + cidr);
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    return new ServiceCidr(ip & mask, prefix);
  }

  /** Dotted quad to an unsigned 32-bit value; empty when it is not one. */
  static Optional<Long> parseIp(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return Optional.empty();
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return Optional.empty();
      if (p.length() > 1 && p.charAt(0) == '0') return Optional.empty();
      int octet = Integer.parseInt(p);
      if (octet > 255) return Optional.empty();
      v = (v << 8) | octet;
    }
    return Optional.of(v);
  }

  static String format(long ip) {
    return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
  }

  /** Host addresses in the range (without network and broadcast). */
  int size() {
    return (int) ((1L << (32 - prefix)) - 2);
  }

  /** The offset of an address, or -1 when it is not a host address of this range. */
  int offsetOf(long ip) {
    long off = ip - network - 1;
    return off >= 0 && off < size() ? (int) off : -1;
  }

  String addressAt(int offset) {
    return format(network + 1 + offset);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }
}
