package io.pontoon.peering.handshake;

import io.pontoon.peering.identity.Fingerprints;
import java.net.Socket;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS context that trusts exactly one server certificate, named by its SHA-256 fingerprint.
 * A mismatch fails the TLS handshake itself, so no request byte (and no token) is ever sent to
 * an impostor. Being an {@link X509ExtendedTrustManager}, it also replaces hostname checks: the
 * pin is stronger than a name.
 */
public final class PinnedTls {
  private final String expected;
  private final AtomicReference<String> seen = new AtomicReference<>();

  public PinnedTls(String expectedFingerprint) {
    this.expected = Fingerprints.normalize(expectedFingerprint);
  }

  public String expected() {
    return expected;
  }

  /** The fingerprint the server presented, once a handshake has been attempted. */
  public String seen() {
    return seen.get();
  }

  public boolean mismatched() {
    return seen.get() != null && !seen.get().equals(expected);
  }

  public SSLContext context() {
    return context(null, null);
  }

  /** With a client certificate and key (for {@code DELETE /v1/peerings/{id}}). */
  public SSLContext context(X509Certificate clientCert, PrivateKey clientKey) {
    try {
      KeyManager[] kms = null;
      if (clientCert != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", clientKey, new char[0], new X509Certificate[] {clientCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        kms = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kms, new javax.net.ssl.TrustManager[] {new Pin()}, null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private final class Pin extends X509ExtendedTrustManager {
    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) throw new CertificateException("no server certificate");
      String got = Fingerprints.of(chain[0]);
      seen.set(got);
      if (!got.equals(expected)) {
        throw new CertificateException("certificate fingerprint mismatch: expected " + expected + ", got " + got);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
