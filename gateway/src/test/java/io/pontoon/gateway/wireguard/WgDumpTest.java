package io.pontoon.gateway.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WgDumpTest {
  static final String PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
  static final String PEER1 = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  static final String PEER2 = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

  @Test
  void parsesInterfaceAndPeers() {
    String dump = PRIV + "\t" + PUB + "\t51820\toff\n"
        + PEER1 + "\t(none)\t100.100.0.2:51821\t10.71.0.0/24\t1700000000\t1234\t5678\t25\n"
        + PEER2 + "\t(none)\t(none)\t10.9.0.0/24,10.8.0.0/24\t0\t0\t0\toff\n";
    InterfaceState s = WgDump.parse(dump);
    assertThat(s.publicKey()).isEqualTo(PUB);
    assertThat(s.listenPort()).isEqualTo(51820);
    assertThat(s.toString()).doesNotContain(PRIV);
    PeerState p1 = s.peer(PEER1).orElseThrow();
    assertThat(p1.endpoint()).contains("100.100.0.2:51821");
    assertThat(p1.allowedIps()).containsExactly("10.71.0.0/24");
    assertThat(p1.latestHandshake()).contains(Instant.ofEpochSecond(1700000000));
    assertThat(p1.rxBytes()).isEqualTo(1234);
    assertThat(p1.txBytes()).isEqualTo(5678);
    assertThat(p1.persistentKeepaliveSeconds()).isEqualTo(25);
    PeerState p2 = s.peer(PEER2).orElseThrow();
    assertThat(p2.endpoint()).isEmpty();
    assertThat(p2.latestHandshake()).isEmpty();
    assertThat(p2.allowedIps()).containsExactly("10.9.0.0/24", "10.8.0.0/24");
    assertThat(p2.persistentKeepaliveSeconds()).isZero();
  }

  @Test
  void malformedOutputIsAClearError() {
    assertThatThrownBy(() -> WgDump.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> WgDump.parse("a\tb\n")).hasMessageContaining("expected 4");
    assertThatThrownBy(() -> WgDump.parse(PRIV + "\t" + PUB + "\t1\toff\nx\ty\n"))
        .hasMessageContaining("expected 8");
  }
}
