package io.pontoon.peering.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pontoon.peering.network.ListenPorts.Taken;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Listen ports: lowest free from the base, stable per peer, never shared by two Tunnels. */
class ListenPortsTest {
  private static Taken t(String peer, int port, String created) {
    return new Taken(peer, port, created, "pontoon-tenant-" + peer + "/" + peer);
  }

  @Test
  void firstTunnelGetsTheBase() {
    assertThat(ListenPorts.choose(51820, "a", List.of())).isEqualTo(51820);
  }

  @Test
  void nextTunnelsGetTheLowestFreePort() {
    List<Taken> existing = List.of(t("a", 51820, "2026-01-01T00:00:00Z"), t("b", 51822, "2026-01-01T00:00:01Z"));
    assertThat(ListenPorts.choose(51820, "c", existing)).isEqualTo(51821);
    assertThat(ListenPorts.choose(51820, "d", List.of(t("a", 51820, null), t("c", 51821, null), t("b", 51822, null))))
        .isEqualTo(51823);
  }

  @Test
  void aReplayKeepsThePeersPort() {
    List<Taken> existing = List.of(t("a", 51820, "2026-01-01T00:00:00Z"), t("b", 51821, "2026-01-01T00:00:01Z"),
        t("c", 51825, "2026-01-01T00:00:02Z"));
    assertThat(ListenPorts.choose(51820, "b", existing)).isEqualTo(51821);
    assertThat(ListenPorts.choose(51820, "c", existing)).isEqualTo(51825);
  }

  @Test
  void aFreedPortIsHandedOutAgain() {
    // b unpeered: its Tunnel (51821) is gone
    List<Taken> existing = List.of(t("a", 51820, "2026-01-01T00:00:00Z"), t("c", 51822, "2026-01-01T00:00:02Z"));
    assertThat(ListenPorts.choose(51820, "d", existing)).isEqualTo(51821);
  }

  @Test
  void theBaseComesFromTheGatewayEndpoint() {
    assertThat(ListenPorts.choose(40000, "a", List.of())).isEqualTo(40000);
    assertThat(PeerTunnels.port("100.127.0.1:40000")).isEqualTo(40000);
    assertThat(PeerTunnels.port(null)).isEqualTo(51820);
    assertThat(PeerTunnels.withPort("100.127.0.1:51820", 51823)).isEqualTo("100.127.0.1:51823");
  }

  @Test
  void twoTunnelsWrittenBeforePortsWereAllocatedAreSeparatedTheYoungerMoves() {
    // a consumer-side and a provider-side Tunnel both got the default port
    List<Taken> existing = List.of(t("old", 51820, "2026-01-01T00:00:00Z"), t("young", 51820, "2026-01-02T00:00:00Z"));
    assertThat(ListenPorts.choose(51820, "old", existing)).isEqualTo(51820);
    assertThat(ListenPorts.choose(51820, "young", existing)).isEqualTo(51821);
  }

  @Test
  void exhaustedPortsAreAClearError() {
    assertThatThrownBy(() -> ListenPorts.choose(65535, "b", List.of(t("a", 65535, null))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no free UDP port from 65535");
    assertThatThrownBy(() -> ListenPorts.choose(0, "b", List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anySequenceOfPeersAndUnpeersNeverSharesAPort() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<Taken> tunnels = new ArrayList<>();
      int clock = 0;
      for (int step = 0; step < 30; step++) {
        String peer = "p" + random.nextInt(12);
        boolean exists = tunnels.stream().anyMatch(x -> x.peerId().equals(peer));
        if (exists && random.nextInt(3) == 0) {
          tunnels.removeIf(x -> x.peerId().equals(peer));
          continue;
        }
        int port = ListenPorts.choose(51820, peer, tunnels);
        // a replay gives the same port
        if (exists) assertThat(port).isEqualTo(tunnels.stream().filter(x -> x.peerId().equals(peer)).findFirst()
            .orElseThrow().port());
        tunnels.removeIf(x -> x.peerId().equals(peer));
        tunnels.add(t(peer, port, String.format("2026-01-01T00:00:%02dZ", clock++ % 60)));
        Set<Integer> ports = new HashSet<>();
        for (Taken x : tunnels) assertThat(ports.add(x.port())).as("port %s shared in %s", x.port(), tunnels).isTrue();
        assertThat(port).isBetween(51820, 51820 + 11);
      }
    }
  }
}
