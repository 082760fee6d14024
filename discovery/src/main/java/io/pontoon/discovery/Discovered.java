package io.pontoon.discovery;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One announced instance as a browser found it: the announcement, where it came from, the DNS-SD
 * instance name, and the addresses its host resolved to (never empty).
 */
public record Discovered(Announcement announcement, Source source, String instance, List<InetAddress> addresses) {
  public Discovered {
    Objects.requireNonNull(announcement, "announcement");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(instance, "instance");
    addresses = List.copyOf(addresses);
  }
}
