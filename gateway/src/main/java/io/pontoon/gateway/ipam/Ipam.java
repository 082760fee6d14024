package io.pontoon.gateway.ipam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.pontoon.api.PontoonNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks, per peer, the block under which that peer's pods appear in this cluster (its remapped
 * CIDR): the peer's real pod CIDR when it overlaps nothing here, else the lowest free block of
 * the same size in the pools. Allocations never overlap each other nor the cluster's own ranges,
 * are persisted before they are returned, and are reloaded on construction.
 *
 * <p>Thread-safe; every method is short and in-memory apart from the store write.
 */
public final class Ipam {
  private static final Logger LOG = LoggerFactory.getLogger(Ipam.class);
  private static final Pattern CLUSTER_ID = Pattern.compile(PontoonNames.CLUSTER_ID_PATTERN);

  private final IpamConfig config;
  private final AllocationStore store;
  /** Valid allocations by peer cluster ID, in allocation order. */
  private final Map<String, Allocation> allocations = new LinkedHashMap<>();

  public Ipam(IpamConfig config, AllocationStore store) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    for (Allocation a : store.load()) {
      Optional<Cidr> clash = clash(a.remapped(), a.peerClusterId());
      if (clash.isPresent()) {
        // Left in the store; the peer's next assign() replaces it with a valid block.
        LOG.warn("ipam=load peer={} remapped={} conflictsWith={} action=reallocate-on-next-assign",
            a.peerClusterId(), a.remapped(), clash.get());
        continue;
      }
      allocations.put(a.peerClusterId(), a);
    }
    LOG.info("ipam=loaded allocations={} podCIDR={} serviceCIDR={}",
        allocations.size(), config.podCidr(), config.serviceCidr());
  }

  public IpamConfig config() {
    return config;
  }

  /**
   * The block assigned to the peer, allocating and persisting it on first call. Repeated calls
   * with the same pod CIDR return the same block; a changed pod CIDR gets a new one.
   *
   * @throws IpamException with reason {@code CIDRExhausted} when no block of that size is free
   * @throws IllegalArgumentException when an argument is malformed
   */
  public synchronized Cidr assign(String peerClusterId, String peerName, Cidr peerPodCidr) {
    requireClusterId(peerClusterId);
    if (!PontoonNames.isDns1123Label(peerName)) {
      throw new IllegalArgumentException(
          "peer name must be a DNS-1123 label, got '" + peerName + "'");
    }
    Objects.requireNonNull(peerPodCidr, "peer pod CIDR");
    Allocation existing = allocations.get(peerClusterId);
    if (existing != null && existing.peerPodCidr().equals(peerPodCidr)) {
      if (!existing.peerName().equals(peerName)) {
        existing = new Allocation(peerClusterId, peerName, peerPodCidr, existing.remapped());
        store.save(existing);
        allocations.put(peerClusterId, existing);
      }
      return existing.remapped();
    }
    List<Cidr> used = new ArrayList<>(config.ownRanges());
    for (Allocation a : allocations.values()) {
      if (!a.peerClusterId().equals(peerClusterId)) {
        used.add(a.remapped());
      }
    }
    Cidr block = BlockFinder.find(peerPodCidr, used, config.pools())
        .orElseThrow(() -> new IpamException(PontoonNames.Reasons.CIDR_EXHAUSTED,
            "no free /" + peerPodCidr.prefix() + " block for peer " + peerName + " (pod CIDR "
                + peerPodCidr + "): pools " + config.pools() + " are used up by this cluster's "
                + "ranges and " + (used.size() - config.ownRanges().size())
                + " other peers; unpeer a cluster or add a pool"));
    Allocation a = new Allocation(peerClusterId, peerName, peerPodCidr, block);
    store.save(a); // persisted first: a crash after this returns the same block on restart
    allocations.remove(peerClusterId);
    allocations.put(peerClusterId, a);
    LOG.info("ipam=assign peer={} peerName={} podCIDR={} remapped={}",
        peerClusterId, peerName, peerPodCidr, block);
    return block;
  }

  /** Frees the peer's block (unpeer); a no-op when it has none. */
  public synchronized void release(String peerClusterId) {
    requireClusterId(peerClusterId);
    store.delete(peerClusterId);
    if (allocations.remove(peerClusterId) != null) {
      LOG.info("ipam=release peer={}", peerClusterId);
    }
  }

  public synchronized Optional<Allocation> allocation(String peerClusterId) {
    return Optional.ofNullable(allocations.get(peerClusterId));
  }

  /** Every valid allocation, oldest first. */
  public synchronized List<Allocation> allocations() {
    return List.copyOf(allocations.values());
  }

  /** The range {@code block} overlaps among own ranges and other peers' blocks, if any. */
  private Optional<Cidr> clash(Cidr block, String peerClusterId) {
    for (Cidr own : config.ownRanges()) {
      if (own.overlaps(block)) {
        return Optional.of(own);
      }
    }
    for (Allocation a : allocations.values()) {
      if (!a.peerClusterId().equals(peerClusterId) && a.remapped().overlaps(block)) {
        return Optional.of(a.remapped());
      }
    }
    return Optional.empty();
  }

  private static void requireClusterId(String id) {
    if (id == null || !CLUSTER_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("peer cluster ID must be a lowercase UUID, got '" + id + "'");
    }
  }
}
