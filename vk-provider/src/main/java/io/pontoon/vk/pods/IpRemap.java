package io.pontoon.vk.pods;

import java.util.Objects;

/**
 * How the home cluster sees the provider's pod addresses: the provider's pod CIDR and the block
 * the home cluster assigned to it (ARCHITECTURE.md, double NAT). Host bits are kept; addresses
 * outside the provider's pod CIDR (host-network pods, IPv6) pass unchanged.
 */
public record IpRemap(int from, int to, int prefix) {
  /** No translation: before the gateway assigns a block, or when the CIDRs do not overlap. */
  public static final IpRemap IDENTITY = new IpRemap(0, 0, 0);

  public IpRemap {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix must be 0..32, got " + prefix);
  }

  /** {@code providerPodCidr} seen as {@code remappedCidr}; both IPv4 and of the same size. */
  public static IpRemap of(String providerPodCidr, String remappedCidr) {
    Objects.requireNonNull(providerPodCidr, "provider pod CIDR");
    Objects.requireNonNull(remappedCidr, "remapped CIDR");
    int[] a = parseCidr(providerPodCidr);
    int[] b = parseCidr(remappedCidr);
    if (a[1] != b[1]) {
      throw new IllegalArgumentException("remapped CIDR " + remappedCidr + " must have the size of "
          + providerPodCidr);
    }
    return new IpRemap(a[0] & mask(a[1]), b[0] & mask(b[1]), a[1]);
  }

  /** {@code ip} as the home cluster sees it. */
  public String translate(String ip) {
    if (ip == null || this.equals(IDENTITY)) return ip;
    Integer addr = parseIpv4(ip);
    if (addr == null) return ip;
    int m = mask(prefix);
    if ((addr & m) != from) return ip;
    return format(to | (addr & ~m));
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  private static int[] parseCidr(String cidr) {
    int slash = cidr.indexOf('/');
    Integer addr = slash < 0 ? null : parseIpv4(cidr.substring(0, slash));
    int prefix;
    try {
      prefix = slash < 0 ? -1 : Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (addr == null || prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("not an IPv4 CIDR: '" + cidr + "'");
    }
    return new int[] {addr, prefix};
  }

  private static Integer parseIpv4(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) return null;
    int v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
      int octet = Integer.parseInt(p);
      if (octet > 255) return null;
      v = v << 8 | octet;
    }
    return v;
  }

  private static String format(int v) {
    return (v >>> 24) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
  }
}
