package io.pontoon.gateway.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import io.pontoon.api.PontoonNames;
import org.junit.jupiter.api.Test;

class IpamTest {
  static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
  static final String B = "bbbbbbbb-0000-4000-8000-000000000002";
  static final String C = "cccccccc-0000-4000-8000-000000000003";

  final IpamConfig config =
      IpamConfig.of(Cidr.parse("10.244.0.0/16"), Cidr.parse("10.96.0.0/12"));

  @Test
  void keepsThePeersRealCidrWhenFree() {
    Ipam ipam = new Ipam(config, new MemoryStore());
    assertThat(ipam.assign(A, "a", Cidr.parse("10.50.0.0/16"))).hasToString("10.50.0.0/16");
  }

  @Test
  void remapsAnOverlappingCidrIntoTheLowestFreeBlock() {
    Ipam ipam = new Ipam(config, new MemoryStore());
    assertThat(ipam.assign(A, "a", Cidr.parse("10.244.0.0/16"))).hasToString("10.0.0.0/16");
    assertThat(ipam.assign(B, "b", Cidr.parse("10.244.0.0/16"))).hasToString("10.1.0.0/16");
    // the service CIDR 10.96.0.0/12 is never handed out
    assertThat(ipam.assign(C, "c", Cidr.parse("10.100.0.0/16"))).hasToString("10.2.0.0/16");
  }

  @Test
  void isIdempotentAndSurvivesRestart() {
    MemoryStore store = new MemoryStore();
    Ipam ipam = new Ipam(config, store);
    Cidr first = ipam.assign(A, "a", Cidr.parse("10.244.0.0/16"));
    assertThat(ipam.assign(A, "a", Cidr.parse("10.244.0.0/16"))).isEqualTo(first);
    Ipam restarted = new Ipam(config, store);
    assertThat(restarted.assign(A, "a", Cidr.parse("10.244.0.0/16"))).isEqualTo(first);
    assertThat(restarted.assign(B, "b", Cidr.parse("10.244.0.0/16"))).isNotEqualTo(first);
  }

  @Test
  void releaseFreesTheBlock() {
    MemoryStore store = new MemoryStore();
    Ipam ipam = new Ipam(config, store);
    Cidr a = ipam.assign(A, "a", Cidr.parse("10.244.0.0/16"));
    ipam.release(A);
    assertThat(store.saved).isEmpty();
    assertThat(ipam.assign(B, "b", Cidr.parse("10.244.0.0/16"))).isEqualTo(a);
    ipam.release(C); // nothing to release: fine
  }

  @Test
  void exhaustionIsAClearError() {
    Ipam ipam = new Ipam(config.withPools(List.of(Cidr.parse("192.168.0.0/23"))), new MemoryStore());
    ipam.assign(A, "a", Cidr.parse("10.244.0.0/24"));
    ipam.assign(B, "b", Cidr.parse("10.244.0.0/24"));
    assertThatThrownBy(() -> ipam.assign(C, "c", Cidr.parse("10.244.0.0/24")))
        .isInstanceOfSatisfying(IpamException.class,
            e -> assertThat(e.reason()).isEqualTo(PontoonNames.Reasons.CIDR_EXHAUSTED))
        .hasMessageContaining("no free /24 block for peer c")
        .hasMessageContaining("add a pool");
  }

  @Test
  void invalidArgumentsAreRefused() {
    Ipam ipam = new Ipam(config, new MemoryStore());
    assertThatThrownBy(() -> ipam.assign("not-a-uuid", "a", Cidr.parse("10.0.0.0/16")))
        .hasMessageContaining("cluster ID");
    assertThatThrownBy(() -> ipam.assign(A, "Bad_Name", Cidr.parse("10.0.0.0/16")))
        .hasMessageContaining("DNS-1123");
  }

  @Test
  void aStoredBlockThatNowOverlapsIsReplaced() {
    MemoryStore store = new MemoryStore();
    store.save(new Allocation(A, "a", Cidr.parse("10.244.0.0/16"), Cidr.parse("10.244.0.0/16")));
    Ipam ipam = new Ipam(config, store);
    assertThat(ipam.allocations()).isEmpty();
    assertThat(ipam.assign(A, "a", Cidr.parse("10.244.0.0/16"))).hasToString("10.0.0.0/16");
  }
}
