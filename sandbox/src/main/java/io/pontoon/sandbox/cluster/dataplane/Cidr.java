package io.pontoon.sandbox.cluster.dataplane;

/**
 * An IPv4 block such as {@code 10.244.1.0/24}. The address is normalised to the network address.
 *
 * @param network the network address as an unsigned 32-bit value
 */
public record Cidr(long network, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix must be 0..32, got " + prefix);
    if (network < 0 || network > 0xFFFF_FFFFL) throw new IllegalArgumentException("not an IPv4 address: " + network);
    network = network & mask(prefix);
  }

  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not a CIDR (missing /prefix): " + text);
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR (bad prefix): " + text, e);
    }
    return new Cidr(parseAddress(text.substring(0, slash).strip()), prefix);
  }

  /** Parses a dotted-quad IPv4 address into an unsigned 32-bit value. */
  public static long parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + text);
    long value = 0;
    for (String part : parts) {
      int octet;
      try {
        octet = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + text, e);
      }
      if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  public static String formatAddress(long value) {
    return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + (value & 0xFF);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  /** The n-th address of the block (0 is the network address). */
  public String address(long n) {
    if (n < 0 || n >= size()) throw new IllegalArgumentException("address " + n + " is outside " + this);
    return formatAddress(network + n);
  }

  /** The n-th sub-block of the given prefix length (e.g. the 3rd /24 of a /16). */
  public Cidr subnet(int newPrefix, long n) {
    if (newPrefix < prefix || newPrefix > 32) {
      throw new IllegalArgumentException("cannot split " + this + " into /" + newPrefix);
    }
    long count = 1L << (newPrefix - prefix);
    if (n < 0 || n >= count) throw new IllegalArgumentException(this + " has " + count + " /" + newPrefix
        + " blocks; block " + n + " does not exist");
    return new Cidr(network + n * (1L << (32 - newPrefix)), newPrefix);
  }

  public boolean contains(String address) {
    return (parseAddress(address) & mask(prefix)) == network;
  }

  public boolean contains(Cidr other) {
    return other.prefix >= prefix && (other.network & mask(prefix)) == network;
  }

  /** Index of an address inside the block. */
  public long indexOf(String address) {
    if (!contains(address)) throw new IllegalArgumentException(address + " is not inside " + this);
    return parseAddress(address) - network;
  }

  @Override
  public String toString() {
    return formatAddress(network) + "/" + prefix;
  }
}
