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
 */
public record DataplaneConfig(Cidr underlayPool, int underlayPrefix, Duration commandTimeout) {

  public DataplaneConfig {
    Objects.requireNonNull(underlayPool, "underlayPool");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    if (underlayPrefix < underlayPool.prefix() || underlayPrefix > 29) {
      throw new IllegalArgumentException("underlayPrefix must be between /" + underlayPool.prefix() + " and /29, got /"
          + underlayPrefix);
    }
  }

  public static DataplaneConfig defaults() {
    return new DataplaneConfig(Cidr.parse("100.64.0.0/16"), 24, Duration.ofSeconds(10));
  }

  public DataplaneConfig withUnderlayPool(String pool, int prefix) {
    return new DataplaneConfig(Cidr.parse(pool), prefix, commandTimeout);
  }

  /** The underlay subnet of cluster {@code clusterIndex}. */
  public Cidr underlay(int clusterIndex) {
    return underlayPool.subnet(underlayPrefix, clusterIndex);
  }
}
