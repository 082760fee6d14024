package io.pontoon.gateway.ipam;

/**
 * An IPv4 block such as {@code 10.244.0.0/16}.
 *
 * @param network the network address as an unsigned 32-bit value (host bits zero)
 * @param prefix the prefix length, 0..32
 */
public record Cidr(long network, int prefix) implements Comparable<Cidr> {

  public Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix must be 0..32, got " + prefix);
    }
    if (network < 0 || network > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not an IPv4 address: " + network);
    }
    if ((network & ~mask(prefix) & 0xFFFF_FFFFL) != 0) {
      throw new IllegalArgumentException(
          formatAddress(network) + "/" + prefix + " has host bits set; use "
              + formatAddress(network & mask(prefix)) + "/" + prefix);
    }
  }

  /** Parses {@code a.b.c.d/n}; host bits must be zero, so a typo is not silently widened. */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("CIDR is missing (expected a.b.c.d/n)");
    }
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not an IPv4 CIDR (missing /prefix): '" + text + "'");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IPv4 CIDR (bad prefix): '" + text + "'", e);
    }
    return new Cidr(parseAddress(t.substring(0, slash)), prefix);
  }

  /** The block of {@code size} addresses (a power of two) starting at {@code network}. */
  public static Cidr ofSize(long network, long size) {
    if (Long.bitCount(size) != 1 || size > (1L << 32)) {
      throw new IllegalArgumentException("block size must be a power of two, got " + size);
    }
    return new Cidr(network, 32 - Long.numberOfTrailingZeros(size));
  }

  /** Parses a dotted-quad IPv4 address into an unsigned 32-bit value. */
  public static long parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  public static String formatAddress(long value) {
    return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF)
        + "." + (value & 0xFF);
  }

  static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  /** The last address of the block, as an unsigned value. */
  public long last() {
    return network + size() - 1;
  }

  /** The n-th address of the block (0 is the network address). */
  public String address(long n) {
    if (n < 0 || n >= size()) {
      throw new IllegalArgumentException("address " + n + " is outside " + this);
    }
    return formatAddress(network + n);
  }

  public boolean contains(String address) {
    return (parseAddress(address) & mask(prefix)) == network;
  }

  public boolean contains(Cidr other) {
    return other.prefix >= prefix && (other.network & mask(prefix)) == network;
  }

  /** Whether the two blocks share an address (for CIDRs: one contains the other). */
  public boolean overlaps(Cidr other) {
    return network <= other.last() && other.network <= last();
  }

  @Override
  public int compareTo(Cidr o) {
    int c = Long.compare(network, o.network);
    return c != 0 ? c : Integer.compare(prefix, o.prefix);
  }

  @Override
  public String toString() {
    return formatAddress(network) + "/" + prefix;
  }
}
