package io.pontoon.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryKeyStoresTest {
  private final Map<String, String> saved = new HashMap<>();

  @BeforeEach
  void save() {
    InMemoryKeyStores.ITERATIONS.keySet().forEach(k -> saved.put(k, System.getProperty(k)));
    InMemoryKeyStores.ITERATIONS.keySet().forEach(System::clearProperty);
  }

  @AfterEach
  void restore() {
    saved.forEach((k, v) -> {
      if (v == null) System.clearProperty(k);
      else System.setProperty(k, v);
    });
  }

  @Test
  void setsTheIterationCountsButKeepsAValueGivenOnTheCommandLine() {
    System.setProperty("keystore.pkcs12.macIterationCount", "5000");
    InMemoryKeyStores.useCheapProtection();
    assertThat(System.getProperty("keystore.pkcs12.keyPbeIterationCount")).isEqualTo("1");
    assertThat(System.getProperty("keystore.pkcs12.certPbeIterationCount")).isEqualTo("1");
    assertThat(System.getProperty("keystore.pkcs12.macIterationCount")).isEqualTo("5000");
  }

  @Test
  void aKeyStoreMadeAfterwardsStillProtectsAndReturnsItsEntries() throws Exception {
    InMemoryKeyStores.useCheapProtection();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] password = "changeit".toCharArray();
    ks.setEntry("k", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
        new KeyStore.PasswordProtection(password));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, password);
    KeyStore back = KeyStore.getInstance("PKCS12");
    back.load(new ByteArrayInputStream(out.toByteArray()), password);
    assertThat(back.getKey("k", password).getEncoded()).hasSize(16);
  }
}
