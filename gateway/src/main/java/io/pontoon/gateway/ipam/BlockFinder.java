package io.pontoon.gateway.ipam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Pure search for a free block: the preferred one when free, else the lowest free one in the pools. */
final class BlockFinder {
  private BlockFinder() {}

  static Optional<Cidr> find(Cidr preferred, Collection<Cidr> used, List<Cidr> pools) {
    List<Cidr> sorted = new ArrayList<>(used);
    sorted.sort(null);
    if (firstOverlap(preferred, sorted) == null) {
      return Optional.of(preferred);
    }
    long size = preferred.size();
    for (Cidr pool : pools) {
      if (pool.prefix() > preferred.prefix()) {
        continue;
      }
      long candidate = pool.network();
      // Each step either returns or jumps past one used range, so this ends after |used|+1 steps.
      while (candidate + size - 1 <= pool.last()) {
        Cidr block = Cidr.ofSize(candidate, size);
        Cidr clash = firstOverlap(block, sorted);
        if (clash == null) {
          return Optional.of(block);
        }
        long next = clash.last() + 1;
        candidate = (next + size - 1) / size * size;
      }
    }
    return Optional.empty();
  }

  /** The used range with the highest end among those overlapping {@code block}, or null. */
  private static Cidr firstOverlap(Cidr block, List<Cidr> sorted) {
    Cidr found = null;
    for (Cidr u : sorted) {
      if (u.network() > block.last()) {
        break;
      }
      if (u.overlaps(block) && (found == null || u.last() > found.last())) {
        found = u;
      }
    }
    return found;
  }
}
