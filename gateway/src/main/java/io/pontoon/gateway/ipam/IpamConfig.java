package io.pontoon.gateway.ipam;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What IPAM must not hand out (the cluster's own pod and service CIDRs and any reserved ranges)
 * and where it takes blocks from when a peer's real CIDR is taken.
 */
public record IpamConfig(Cidr podCidr, Cidr serviceCidr, List<Cidr> reserved, List<Cidr> pools) {

  /** RFC 1918 space, in this order. */
  public static final List<Cidr> DEFAULT_POOLS = List.of(
      Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"));

  public IpamConfig {
    Objects.requireNonNull(podCidr, "podCidr");
    reserved = List.copyOf(reserved == null ? List.of() : reserved);
    pools = List.copyOf(pools == null || pools.isEmpty() ? DEFAULT_POOLS : pools);
  }

  /** The cluster's pod and service CIDRs with the default pools and nothing else reserved. */
  public static IpamConfig of(Cidr podCidr, Cidr serviceCidr) {
    return new IpamConfig(podCidr, serviceCidr, List.of(), DEFAULT_POOLS);
  }

  public IpamConfig withReserved(List<Cidr> more) {
    return new IpamConfig(podCidr, serviceCidr, more, pools);
  }

  public IpamConfig withPools(List<Cidr> newPools) {
    return new IpamConfig(podCidr, serviceCidr, reserved, newPools);
  }

  /** Every range that is never handed out: pod CIDR, service CIDR, reserved ranges. */
  public List<Cidr> ownRanges() {
    List<Cidr> all = new ArrayList<>();
    all.add(podCidr);
    if (serviceCidr != null) {
      all.add(serviceCidr);
    }
    all.addAll(reserved);
    return all;
  }
}
