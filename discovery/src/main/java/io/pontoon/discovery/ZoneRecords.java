package io.pontoon.discovery;

import io.pontoon.api.PontoonNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The unicast DNS-SD records that announce one cluster under a domain: PTR, SRV, TXT, and the
 * A/AAAA records of the SRV target when the peering host is an address (a SRV target must be a
 * name, so the cluster then gets {@code <cluster-name>.<domain>}). {@link #zoneFile()} prints
 * them for an admin to paste into a zone.
 */
public record ZoneRecords(String domain, Announcement announcement, long ttlSeconds, String target,
    List<InetAddress> addresses) {

  public ZoneRecords {
    Objects.requireNonNull(announcement, "announcement");
    domain = normalizeDomain(domain);
    if (ttlSeconds < 0 || ttlSeconds > 2_147_483_647L) {
      throw new IllegalArgumentException("TTL must be 0..2147483647 seconds, got " + ttlSeconds);
    }
    addresses = List.copyOf(addresses);
  }

  /**
   * The records of {@code announcement} under {@code domain}. When its host is an IP address,
   * the SRV target is {@code <cluster-name>.<domain>} with that address; otherwise the target is
   * the host and {@code hostAddresses} (possibly none, when the host is published elsewhere)
   * become its A/AAAA records.
   */
  public static ZoneRecords of(String domain, Announcement announcement, Duration ttl, List<InetAddress> hostAddresses) {
    String d = normalizeDomain(domain);
    String host = announcement.host();
    List<InetAddress> addresses = new ArrayList<>(hostAddresses);
    String target;
    if (isAddressLiteral(host)) {
      target = announcement.clusterName() + "." + d;
      InetAddress literal = literal(host);
      if (!addresses.contains(literal)) addresses.add(0, literal);
    } else {
      target = host.toLowerCase(Locale.ROOT);
    }
    return new ZoneRecords(d, announcement, ttl.toSeconds(), target, addresses);
  }

  /** {@code _pontoon._tcp.<domain>}, the name browsers query for PTR records. */
  public String serviceName() {
    return PontoonNames.DNS_SD_SERVICE + "." + domain;
  }

  /** {@code <cluster-name>._pontoon._tcp.<domain>}, owner of SRV and TXT. */
  public String instanceName() {
    return announcement.clusterName() + "." + serviceName();
  }

  /** Zone-file lines (absolute names, class IN) with a comment saying what they are. */
  public String zoneFile() {
    StringBuilder sb = new StringBuilder();
    sb.append("; Pontoon cluster ").append(announcement.clusterName())
        .append(" (").append(announcement.clusterId()).append(")\n");
    line(sb, serviceName(), "PTR", instanceName() + ".");
    line(sb, instanceName(), "SRV", "0 0 " + announcement.port() + " " + target + ".");
    StringBuilder txt = new StringBuilder();
    for (String s : announcement.txt()) {
      if (txt.length() > 0) txt.append(' ');
      txt.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    line(sb, instanceName(), "TXT", txt.toString());
    for (InetAddress a : addresses) {
      line(sb, target, a instanceof Inet4Address ? "A" : "AAAA", a.getHostAddress());
    }
    if (addresses.isEmpty()) {
      sb.append("; ").append(target).append(" must have A or AAAA records where it is published\n");
    }
    return sb.toString();
  }

  private void line(StringBuilder sb, String name, String type, String data) {
    sb.append(name).append(". ").append(ttlSeconds).append(" IN ").append(type).append(' ').append(data).append('\n');
  }

  /** Lowercase, no trailing dot, every label a host label; else a message naming the domain. */
  static String normalizeDomain(String domain) {
    if (domain == null || domain.isBlank()) {
      throw new IllegalArgumentException("DNS domain is empty; give one such as example.com");
    }
    String d = domain.trim().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
    if (!Announcement.isHost(d) || isAddressLiteral(d) || d.length() > 200) {
      throw new IllegalArgumentException("DNS domain " + Announcement.quote(domain)
          + " is not a domain name (labels of a-z, 0-9 and '-', separated by dots)");
    }
    return d;
  }

  static boolean isAddressLiteral(String host) {
    return host.contains(":") || host.matches("^[0-9.]+$");
  }

  private static InetAddress literal(String host) {
    try {
      return InetAddress.getByName(host); // a literal: no lookup happens
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + host, e);
    }
  }
}
