package io.pontoon.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how an announcement was seen: unicast DNS under a domain, or mDNS on a LAN
 * (an interface or address), and how long the sighting stays valid without a new one.
 */
public record Source(Kind kind, String origin, Duration ttl) {
  public enum Kind {
    /** Unicast DNS-SD, published by an admin under a domain. */
    DNS,
    /** Multicast DNS on a local network. */
    MDNS
  }

  public Source {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
  }

  public static Source dns(String domain, Duration ttl) {
    return new Source(Kind.DNS, domain, ttl);
  }

  public static Source mdns(String where, Duration ttl) {
    return new Source(Kind.MDNS, where, ttl);
  }

  @Override
  public String toString() {
    return (kind == Kind.DNS ? "dns:" : "mdns:") + origin;
  }
}
