package io.pontoon.gateway.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of assign, release and restart over small pools (so exhaustion happens
 * often): allocations never overlap each other or the cluster's own ranges, are stable for a
 * peer whose CIDR did not change, and survive restarts.
 */
class IpamPropertyTest {
  static final List<String> PEER_CIDRS = List.of(
      "10.244.0.0/16", "10.244.0.0/24", "10.0.0.0/24", "10.96.0.0/24", "172.16.0.0/20",
      "192.168.0.0/25", "10.1.0.0/16", "100.64.0.0/22", "192.168.1.0/24");

  @Test
  void allocationsNeverOverlapWhateverTheOrder() {
    for (long seed = 0; seed < 300; seed++) {
      run(seed);
    }
  }

  private void run(long seed) {
    Random r = new Random(seed);
    IpamConfig config = new IpamConfig(
        Cidr.parse("10.244.0.0/16"), Cidr.parse("10.96.0.0/12"),
        r.nextBoolean() ? List.of(Cidr.parse("10.0.0.0/24")) : List.of(),
        List.of(Cidr.parse("10.0.0.0/14"), Cidr.parse("172.16.0.0/18"), Cidr.parse("192.168.0.0/22")));
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      peers.add(new UUID(seed, i).toString().replace('-', 'a').substring(0, 8)
          + "-0000-4000-8000-" + String.format("%012d", i));
    }
    MemoryStore store = new MemoryStore();
    Ipam ipam = new Ipam(config, store);
    Map<String, Cidr> lastRequested = new HashMap<>();
    Map<String, Cidr> lastAnswer = new HashMap<>();
    for (int step = 0; step < 200; step++) {
      int op = r.nextInt(10);
      String peer = peers.get(r.nextInt(peers.size()));
      if (op < 6) {
        Cidr wanted = r.nextInt(4) == 0 && lastRequested.containsKey(peer)
            ? lastRequested.get(peer)
            : Cidr.parse(PEER_CIDRS.get(r.nextInt(PEER_CIDRS.size())));
        try {
          Cidr got = ipam.assign(peer, "p" + peers.indexOf(peer), wanted);
          assertThat(got.prefix()).as("seed %d", seed).isEqualTo(wanted.prefix());
          if (wanted.equals(lastRequested.get(peer))) {
            assertThat(got).as("seed %d stable", seed).isEqualTo(lastAnswer.get(peer));
          }
          lastRequested.put(peer, wanted);
          lastAnswer.put(peer, got);
        } catch (IpamException e) {
          assertThat(e.reason()).isEqualTo("CIDRExhausted");
        }
      } else if (op < 8) {
        ipam.release(peer);
        lastRequested.remove(peer);
        lastAnswer.remove(peer);
      } else {
        ipam = new Ipam(config, store);
      }
      check(seed, config, ipam, store);
    }
  }

  private static void check(long seed, IpamConfig config, Ipam ipam, MemoryStore store) {
    List<Allocation> all = ipam.allocations();
    assertThat(all).as("seed %d: memory equals store", seed)
        .containsExactlyInAnyOrderElementsOf(store.saved.values());
    for (int i = 0; i < all.size(); i++) {
      Cidr a = all.get(i).remapped();
      for (Cidr own : config.ownRanges()) {
        assertThat(a.overlaps(own)).as("seed %d: %s overlaps own %s", seed, a, own).isFalse();
      }
      for (int j = i + 1; j < all.size(); j++) {
        assertThat(a.overlaps(all.get(j).remapped()))
            .as("seed %d: %s overlaps %s", seed, a, all.get(j).remapped()).isFalse();
      }
    }
  }
}
