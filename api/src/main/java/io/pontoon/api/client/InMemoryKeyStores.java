package io.pontoon.api.client;

import java.util.Map;

/**
 * Cheap password protection for the PKCS#12 key stores that live only in memory.
 *
 * <p>Every TLS identity a Pontoon process uses (fabric8 clients' client certificates, Vert.x
 * servers' PEM key pairs, the pinned peering client) becomes a PKCS#12 key store in memory, and
 * the JDK protects each key entry with PBKDF2 at 10,000 iterations when it is put and again when
 * it is read, and MACs the store likewise. For a store that is never written anywhere, with its
 * password next to it in the same heap, that buys nothing, and it costs start-up time (on two
 * cores about 0.6–0.9 s of a virtual kubelet's start, which is on the path from {@code pontoon
 * peer} to a Ready node). The JDK reads these system properties of the same names as its
 * {@code java.security} settings; a value set on the command line wins.
 *
 * <p>Pontoon writes no key store to disk; a process that did would want the JDK's defaults.
 */
public final class InMemoryKeyStores {
  static final Map<String, String> ITERATIONS = Map.of(
      "keystore.pkcs12.keyPbeIterationCount", "1",
      "keystore.pkcs12.certPbeIterationCount", "1",
      "keystore.pkcs12.macIterationCount", "1");

  private InMemoryKeyStores() {}

  /** Sets the iteration counts to 1 unless already set; call first thing in {@code main}. */
  public static void useCheapProtection() {
    ITERATIONS.forEach((k, v) -> {
      if (System.getProperty(k) == null) System.setProperty(k, v);
    });
  }
}
