package io.pontoon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnouncementTest {
  static final String ID = "0b7c2a9e-4f1d-4c3a-9e2b-5d6f7a8b9c0d";
  static final String FP = "sha256:" + "ab".repeat(32);

  @Test
  void txtRoundTrips() {
    Announcement a = Announcement.of(ID, "alpha", "peer.example.com", 8443, FP);
    assertThat(a.txt()).containsExactly("v=1", "id=" + ID, "name=alpha", "fp=" + FP);
    assertThat(Announcement.fromTxt(a.txt(), "peer.example.com.", 8443)).isEqualTo(a);
    assertThat(a.peeringUrl()).isEqualTo("https://peer.example.com:8443");
    assertThat(Announcement.of(ID, "alpha", "fd00::1", 443, FP).peeringUrl()).isEqualTo("https://[fd00::1]:443");
  }

  @Test
  void keysAreCaseInsensitiveUnknownKeysIgnoredEmptyStringsAllowed() {
    Announcement a = Announcement.fromTxt(List.of("", "V=1", "ID=" + ID, "Name=alpha", "fp=" + FP, "future=x", "flag"),
        "10.0.0.1", 1);
    assertThat(a.clusterName()).isEqualTo("alpha");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no id|v=1,name=alpha,fp=" + "sha256:abababababababababababababababababababababababababababababababab" + "|no id=",
      "no fp|v=1,id=" + ID + ",name=alpha|no fp=",
      "no version|id=" + ID + ",name=alpha,fp=sha256:abababababababababababababababababababababababababababababababab|no v=",
      "version 2|v=2,id=" + ID + ",name=alpha,fp=sha256:abababababababababababababababababababababababababababababababab|not a supported protocol version",
      "short fp|v=1,id=" + ID + ",name=alpha,fp=sha256:abab|fingerprint must be sha256:",
      "fp not hex|v=1,id=" + ID + ",name=alpha,fp=sha256:zzababababababababababababababababababababababababababababababab|fingerprint must be",
      "fp uppercase|v=1,id=" + ID + ",name=alpha,fp=sha256:ABababababababababababababababababababababababababababababababab|fingerprint must be",
      "duplicate id|v=1,id=" + ID + ",id=" + ID + ",name=alpha,fp=sha256:abababababababababababababababababababababababababababababababab|appears more than once",
      "bad id|v=1,id=not-a-uuid,name=alpha,fp=sha256:abababababababababababababababababababababababababababababababab|cluster ID must be a lowercase UUID",
      "bad name|v=1,id=" + ID + ",name=Alpha_1,fp=sha256:abababababababababababababababababababababababababababababababab|cluster name must be a DNS-1123 label",
      "key without value|v=1,id,name=alpha,fp=sha256:abababababababababababababababababababababababababababababababab|has no value",
      "no key|v=1,=x,id=" + ID + ",name=alpha,fp=sha256:abababababababababababababababababababababababababababababababab|no key",
  })
  void rejectsWithAMessageNamingTheRule(String what, String txt, String message) {
    assertThatThrownBy(() -> Announcement.fromTxt(List.of(txt.split(",")), "h.example", 443))
        .isInstanceOf(InvalidAnnouncementException.class).hasMessageContaining(message);
  }

  @Test
  void stringsOver255BytesAndLongNamesAreRejected() {
    List<String> strings = List.of("v=1", "id=" + ID, "name=" + "a".repeat(250), "fp=" + FP);
    assertThatThrownBy(() -> Announcement.fromTxt(strings, "h", 1)).hasMessageContaining("DNS-1123");
    List<String> tooLong = List.of("v=1", "id=" + ID, "name=alpha", "fp=" + FP, "x=" + "y".repeat(300));
    assertThatThrownBy(() -> Announcement.fromTxt(tooLong, "h", 1)).hasMessageContaining("longer than 255");
  }

  @ParameterizedTest
  @CsvSource({"bad host!, false", "-lead.example, false", "a..b, false", "peer.example.com, true", "10.1.2.3, true",
      "999.1.1.1, false", "fd00::1, true", "127, false", "x_y.example, false"})
  void hosts(String host, boolean valid) {
    assertThat(Announcement.isHost(host)).isEqualTo(valid);
  }

  @Test
  void endpointIsValidated() {
    assertThatThrownBy(() -> Announcement.of(ID, "alpha", "h.example", 0, FP)).hasMessageContaining("port");
    assertThatThrownBy(() -> Announcement.of(ID, "alpha", "bad host", 1, FP)).hasMessageContaining("host");
    assertThatThrownBy(() -> Announcement.of(ID, "alpha", "h", 1, "sha256:" + "\u0001".repeat(64)))
        .hasMessageContaining("\\x01");
  }
}
