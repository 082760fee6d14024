package io.pontoon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneRecordsTest {
  static final String ID = AnnouncementTest.ID;
  static final String FP = AnnouncementTest.FP;

  @Test
  void anAddressHostGetsANameUnderTheDomain() {
    ZoneRecords z = ZoneRecords.of("Example.COM.", Announcement.of(ID, "alpha", "192.0.2.10", 8443, FP),
        Duration.ofSeconds(300), List.of());
    assertThat(z.zoneFile()).isEqualTo(
        "; Pontoon cluster alpha (" + ID + ")\n"
            + "_pontoon._tcp.example.com. 300 IN PTR alpha._pontoon._tcp.example.com.\n"
            + "alpha._pontoon._tcp.example.com. 300 IN SRV 0 0 8443 alpha.example.com.\n"
            + "alpha._pontoon._tcp.example.com. 300 IN TXT \"v=1\" \"id=" + ID + "\" \"name=alpha\" \"fp=" + FP + "\"\n"
            + "alpha.example.com. 300 IN A 192.0.2.10\n");
  }

  @Test
  void aNamedHostIsTheTarget() throws Exception {
    ZoneRecords z = ZoneRecords.of("example.com", Announcement.of(ID, "alpha", "peer.example.net", 443, FP),
        Duration.ofSeconds(60), List.of(InetAddress.getByName("2001:db8::1")));
    assertThat(z.zoneFile()).contains("SRV 0 0 443 peer.example.net.\n")
        .contains("peer.example.net. 60 IN AAAA 2001:db8:0:0:0:0:0:1\n");
    ZoneRecords bare = ZoneRecords.of("example.com", Announcement.of(ID, "alpha", "peer.example.net", 443, FP),
        Duration.ofSeconds(60), List.of());
    assertThat(bare.zoneFile()).contains("; peer.example.net must have A or AAAA records");
  }

  @Test
  void badDomainsAreRefused() {
    Announcement a = Announcement.of(ID, "alpha", "192.0.2.10", 8443, FP);
    assertThatThrownBy(() -> ZoneRecords.of("bad domain", a, Duration.ofSeconds(1), List.of()))
        .hasMessageContaining("is not a domain name");
    assertThatThrownBy(() -> ZoneRecords.of("", a, Duration.ofSeconds(1), List.of())).hasMessageContaining("empty");
  }
}
