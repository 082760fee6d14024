package io.pontoon.gateway.ipam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@link AllocationStore} in a map: survives "restarts" (new Ipam instances) within a test. */
final class MemoryStore implements AllocationStore {
  final Map<String, Allocation> saved = new LinkedHashMap<>();

  @Override
  public List<Allocation> load() {
    return new ArrayList<>(saved.values());
  }

  @Override
  public void save(Allocation allocation) {
    saved.remove(allocation.peerClusterId());
    saved.put(allocation.peerClusterId(), allocation);
  }

  @Override
  public void delete(String peerClusterId) {
    saved.remove(peerClusterId);
  }
}
