package io.pontoon.gateway.ipam;

import java.util.List;

/** Where IPAM keeps its allocations so that a restart gives the same answers. */
public interface AllocationStore {
  /** Every stored allocation, oldest first. */
  List<Allocation> load();

  /** Creates or replaces the allocation of {@code allocation.peerClusterId()}. */
  void save(Allocation allocation);

  /** Forgets the peer's allocation; nothing happens when there is none. */
  void delete(String peerClusterId);
}
