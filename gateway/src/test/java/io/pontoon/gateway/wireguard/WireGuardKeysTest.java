package io.pontoon.gateway.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import io.pontoon.gateway.HostCommands;
import io.pontoon.sandbox.junit.HostRequirements;
import org.junit.jupiter.api.Test;

class WireGuardKeysTest {
  @Test
  void generatedKeysHaveWireGuardsFormat() {
    WireGuardKeys.KeyPair k = WireGuardKeys.generate();
    assertThat(k.privateKey()).hasSize(44).endsWith("=");
    assertThat(k.publicKey()).hasSize(44).isEqualTo(WireGuardKeys.publicKey(k.privateKey()));
    assertThat(k.toString()).doesNotContain(k.privateKey()).contains(k.publicKey());
  }

  @Test
  void publicKeyMatchesAKnownVector() {
    // RFC 7748 section 6.1: Alice's private key and public key
    String priv = java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of()
        .parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    String pub = java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of()
        .parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    assertThat(WireGuardKeys.publicKey(priv)).isEqualTo(pub);
  }

  @Test
  void agreesWithWgPubkey() {
    HostRequirements.check().tool("wg", "wireguard-tools").orSkip();
    for (int i = 0; i < 5; i++) {
      WireGuardKeys.KeyPair k = WireGuardKeys.generate();
      String wg = HostCommands.host().run(List.of("wg", "pubkey"),
          (k.privateKey() + "\n").getBytes(StandardCharsets.US_ASCII)).orThrow().stdout().strip();
      assertThat(wg).isEqualTo(k.publicKey());
      String wgPriv = HostCommands.host().run("wg", "genkey").stdout().strip();
      String wgPub = HostCommands.host().run(List.of("wg", "pubkey"),
          (wgPriv + "\n").getBytes(StandardCharsets.US_ASCII)).orThrow().stdout().strip();
      assertThat(WireGuardKeys.publicKey(wgPriv)).isEqualTo(wgPub);
    }
  }

  @Test
  void badKeysAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> WireGuardKeys.publicKey("c2VjcmV0"))
        .hasMessageContaining("32 bytes in base64").hasMessageNotContaining("c2VjcmV0");
  }
}
