package io.pontoon.peering.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

class PemTest {
  @Test
  void privateKeysAreWrittenAsUnencryptedPkcs8AndReadBack() throws Exception {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
      String pem = Pem.privateKeyPem(pair.getPrivate());
      assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
      assertThat(Pem.blocks(pem, "PRIVATE KEY")).singleElement().isEqualTo(pair.getPrivate().getEncoded());
      assertThat(Pem.privateKey(pem).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }
  }
}
