package io.pontoon.gateway.ipam;

import java.util.Objects;

/**
 * Maps addresses of one block onto the same offset in another block of the same size: the
 * prefix mapping the gateway's NAT does, for code that reports addresses (the virtual kubelet
 * reports a remote pod's IP as the local cluster sees it).
 */
public record AddressTranslator(Cidr from, Cidr to) {

  public AddressTranslator {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.prefix() != to.prefix()) {
      throw new IllegalArgumentException(
          "cannot translate between blocks of different sizes: " + from + " and " + to);
    }
  }

  public static AddressTranslator of(String from, String to) {
    return new AddressTranslator(Cidr.parse(from), Cidr.parse(to));
  }

  /** {@code address} moved from {@link #from} into {@link #to}; it must lie inside {@link #from}. */
  public String translate(String address) {
    long a = Cidr.parseAddress(address);
    if (a < from.network() || a > from.last()) {
      throw new IllegalArgumentException(address + " is not inside " + from);
    }
    return Cidr.formatAddress(to.network() + (a - from.network()));
  }

  /** Whether {@code address} is inside {@link #from} (so {@link #translate} accepts it). */
  public boolean translates(String address) {
    return from.contains(address);
  }

  /** The opposite direction. */
  public AddressTranslator reverse() {
    return new AddressTranslator(to, from);
  }
}
