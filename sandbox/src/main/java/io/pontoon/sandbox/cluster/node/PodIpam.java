package io.pontoon.sandbox.cluster.node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out pod IPs from one node's podCIDR, as host-local IPAM does: the first address is the
 * network, the second the node's gateway, the last the broadcast; the rest go round-robin, so a
 * released address is reused as late as possible and a live one never.
 */
public final class PodIpam {
  private final Cidr cidr;
  private final Map<String, String> byOwner = new HashMap<>();
  private final Map<String, String> byIp = new HashMap<>();
  private long next = 2;

  public PodIpam(Cidr cidr) {
    if (cidr.size() < 4) throw new IllegalArgumentException(cidr + " is too small for pods");
    this.cidr = cidr;
  }

  public Cidr cidr() {
    return cidr;
  }

  /** The gateway address pods route through (the node's bridge in dataplane mode). */
  public String gateway() {
    return cidr.address(1);
  }

  /** The owner's address, allocating one when it has none. */
  public synchronized String allocate(String owner) {
    String have = byOwner.get(owner);
    if (have != null) return have;
    long usable = cidr.size() - 3;
    for (long tried = 0; tried < usable; tried++) {
      String ip = cidr.address(next);
      next = next + 1 >= cidr.size() - 1 ? 2 : next + 1;
      if (!byIp.containsKey(ip)) {
        byIp.put(ip, owner);
        byOwner.put(owner, ip);
        return ip;
      }
    }
    throw new IllegalStateException("no free pod IP left in " + cidr + " (" + byIp.size() + " in use)");
  }

  public synchronized Optional<String> addressOf(String owner) {
    return Optional.ofNullable(byOwner.get(owner));
  }

  public synchronized void release(String owner) {
    String ip = byOwner.remove(owner);
    if (ip != null) byIp.remove(ip);
  }

  public synchronized int inUse() {
    return byIp.size();
  }
}
