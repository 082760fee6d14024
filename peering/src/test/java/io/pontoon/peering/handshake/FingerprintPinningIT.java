package io.pontoon.peering.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pontoon.api.PontoonNames;
import io.pontoon.peering.identity.Pem;
import io.pontoon.peering.identity.PeeringTls;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * An impostor serves TLS with another certificate: the consumer aborts in the TLS handshake,
 * says expected vs got, and the impostor receives no application byte (so never the token).
 */
class FingerprintPinningIT {

  @Test
  void aMismatchAbortsBeforeAnythingIsSent() throws Exception {
    PeeringTls impostor = PeeringTls.generate("impostor", List.of("127.0.0.1"));
    PeeringTls genuine = PeeringTls.generate("genuine", List.of("127.0.0.1"));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("k", Pem.privateKey(impostor.privateKeyPem()), new char[0],
        new X509Certificate[] {impostor.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0)) {
      CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.setSoTimeout(10_000);
          InputStream in = s.getInputStream();
          int n = 0;
          try {
            while (in.read() >= 0) n++;
          } catch (Exception e) {
            // the client aborted the TLS handshake
          }
          return n;
        } catch (Exception e) {
          return -1;
        }
      });
      String url = "https://127.0.0.1:" + server.getLocalPort();
      var req = new Messages.HandshakeRequest("0123456789abcdef." + "S".repeat(43),
          new Messages.ClusterRef("11111111-2222-3333-4444-555555555555", "consumer"), "csr",
          new Messages.Network("10.0.0.0/16", "10.1.0.0/16"), null, null, Map.of());
      PeeringException e = catchThrowableOfType(PeeringException.class,
          () -> new HandshakeClient(Duration.ofSeconds(10)).handshake(url, genuine.fingerprint(), req));
      assertThat(e.reason()).isEqualTo(PontoonNames.Reasons.FINGERPRINT_MISMATCH);
      assertThat(e.getMessage()).contains("expected " + genuine.fingerprint(), impostor.fingerprint(), "nothing was sent");
      assertThat(received.get(15, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void anUnreachableProviderSaysSo() {
    PeeringException e = catchThrowableOfType(PeeringException.class, () -> new HandshakeClient(Duration.ofSeconds(5))
        .identity("https://127.0.0.1:1", PeeringTls.generate("x", List.of()).fingerprint()));
    assertThat(e.reason()).isEqualTo(PontoonNames.Reasons.PEER_UNREACHABLE);
    assertThat(e.getMessage()).contains("cannot reach the peering service at https://127.0.0.1:1");
  }
}
