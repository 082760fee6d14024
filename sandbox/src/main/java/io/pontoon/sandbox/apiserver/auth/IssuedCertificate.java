package io.pontoon.sandbox.apiserver.auth;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and the private key that goes with it. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {
  public String certificatePem() {
    return Pem.encodeCertificate(certificate);
  }

  /** PKCS#8 PEM of the key; handle with care, never log it. */
  public String keyPem() {
    return Pem.encodePrivateKeyTraditional(key);
  }

  @Override
  public String toString() {
    // the default record form would print the private key
    return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName()
        + ", notAfter=" + certificate.getNotAfter().toInstant() + "]";
  }
}
