package io.pontoon.sandbox.cluster.dataplane;

import java.time.Duration;
import java.util.Objects;

/**
 * Address plan and limits of the dataplane.
 *
 * @param underlayPool the block from which each cluster's underlay subnet is carved; 100.64.0.0/16 by
 *     default (shared address space, unlikely on a developer's LAN, and never visible outside the
 *     sandbox's namespaces anyway)
 * @param underlayPrefix prefix of one cluster's underlay; cluster index {@code ci} gets the
 *     {@code ci}-th block (100.64.ci.0/24 by default)
 * @param commandTimeout limit for every {@code ip}/{@code kill} command
 * @param wan the sandbox-wide network joining the clusters' gateways; cluster index {@code ci} has
 *     address number {@code ci} (100.127.0.ci by default, also shared address space)
 */
public record DataplaneConfig(Cidr underlayPool, int underlayPrefix, Duration commandTimeout, Cidr wan) {
  /** The WAN of {@link #defaults()}: the gateway of cluster i is 100.127.0.i. */
  public static final String DEFAULT_WAN = "100.127.0.0/24";

  public DataplaneConfig {
    Objects.requireNonNull(underlayPool, "underlayPool");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(wan, "wan");
    if (wan.prefix() > 30) throw new IllegalArgumentException("the WAN must be /30 or larger, got " + wan);
    if (wan.contains(underlayPool) || underlayPool.contains(wan)) {
      throw new IllegalArgumentException("the WAN " + wan + " overlaps the underlay pool " + underlayPool);
    }
    if (underlayPrefix < underlayPool.prefix() || underlayPrefix > 29) {
      throw new IllegalArgumentException("underlayPrefix must be between /" + underlayPool.prefix() + " and /29, got /"
          + underlayPrefix);
    }
  }

  public static DataplaneConfig defaults() {
    return new DataplaneConfig(Cidr.parse("100.64.0.0/16"), 24, Duration.ofSeconds(10), Cidr.parse(DEFAULT_WAN));
  }

  public DataplaneConfig withUnderlayPool(String pool, int prefix) {
    return new DataplaneConfig(Cidr.parse(pool), prefix, commandTimeout, wan);
  }

  public DataplaneConfig withWan(String cidr) {
    return new DataplaneConfig(underlayPool, underlayPrefix, commandTimeout, Cidr.parse(cidr));
  }

  /**
   * The WAN address of cluster {@code clusterIndex}'s gateway: host number {@code clusterIndex} of
   * the WAN, so the index must be a usable host number (1..254 on a /24).
   */
  public String wanAddress(int clusterIndex) {
    if (clusterIndex < 1 || clusterIndex > wan.size() - 2) {
      throw new IllegalArgumentException("a cluster with a gateway needs an index between 1 and " + (wan.size() - 2)
          + " (its host number on the WAN " + wan + "), got " + clusterIndex);
    }
    return wan.address(clusterIndex);
  }

  /** The underlay subnet of cluster {@code clusterIndex}. */
  public Cidr underlay(int clusterIndex) {
    return underlayPool.subnet(underlayPrefix, clusterIndex);
  }
}
