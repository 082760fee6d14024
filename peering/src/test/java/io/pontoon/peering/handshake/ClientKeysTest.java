package io.pontoon.peering.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class ClientKeysTest {
  @Test
  void everyTakeIsANewRsaKeyAndAClosedSupplyStillAnswers() {
    ClientKeys keys = new ClientKeys();
    KeyPair a = keys.take();
    KeyPair b = keys.take();
    assertThat(a.getPublic()).isInstanceOf(RSAPublicKey.class);
    assertThat(((RSAPublicKey) a.getPublic()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(b.getPublic()).isNotEqualTo(a.getPublic());
    keys.close();
    KeyPair c = keys.take(); // made on the caller's thread once the background maker is gone
    assertThat(c.getPublic()).isNotEqualTo(b.getPublic()).isNotEqualTo(a.getPublic());
  }

  @Test
  void aCsrFromAGivenKeyNamesTheTenantUser() {
    ConsumerCsr csr = ConsumerCsr.of("abc", ClientKeys.generate());
    assertThat(csr.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(csr.privateKeyPem()).contains("PRIVATE KEY");
    assertThat(csr.toString()).doesNotContain("PRIVATE");
  }
}
