package io.pontoon.sandbox.cluster.node;

/** An IPv4 block such as {@code 10.244.0.0/16}. */
public record Cidr(long base, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix must be 0..32, got " + prefix);
    long mask = mask(prefix);
    if ((base & ~mask & 0xffffffffL) != 0) {
      throw new IllegalArgumentException(toAddress(base) + "/" + prefix + " has host bits set");
    }
  }

  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not a CIDR: " + text);
    return new Cidr(parseAddress(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
  }

  public static long parseAddress(String ip) {
    String[] parts = ip.split("\\.");
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
    long v = 0;
    for (String p : parts) {
      int octet = Integer.parseInt(p);
      if (octet < 0 || octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + ip);
      v = (v << 8) | octet;
    }
    return v;
  }

  public static String toAddress(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  /** The {@code index}-th block of length {@code subPrefix} inside this one (0-based). */
  public Cidr subnet(long index, int subPrefix) {
    if (subPrefix < prefix) {
      throw new IllegalArgumentException("/" + subPrefix + " blocks do not fit in " + this);
    }
    long count = 1L << (subPrefix - prefix);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(this + " has " + count + " blocks of /" + subPrefix + "; block " + index
          + " does not exist");
    }
    return new Cidr(base + index * (1L << (32 - subPrefix)), subPrefix);
  }

  public boolean contains(String ip) {
    long v = parseAddress(ip);
    return (v & mask(prefix)) == base;
  }

  /** The address at {@code offset} from the start of the block. */
  public String address(long offset) {
    if (offset < 0 || offset >= size()) throw new IllegalArgumentException(offset + " is outside " + this);
    return toAddress(base + offset);
  }

  @Override
  public String toString() {
    return toAddress(base) + "/" + prefix;
  }
}
