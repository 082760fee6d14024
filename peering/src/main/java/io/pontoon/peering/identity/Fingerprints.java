package io.pontoon.peering.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** {@code sha256:<hex>} of a certificate's DER encoding: how a peering service is pinned. */
public final class Fingerprints {
  public static final String PREFIX = "sha256:";

  private Fingerprints() {}

  public static String of(X509Certificate certificate) {
    try {
      return PREFIX + HexFormat.of().formatHex(sha256(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  /** Lowercases and adds the prefix, so "SHA256:AB.." and "ab.." compare equal. */
  public static String normalize(String fingerprint) {
    String f = fingerprint.trim().toLowerCase(java.util.Locale.ROOT).replace(":", "");
    if (f.startsWith("sha256")) f = f.substring(6);
    return PREFIX + f;
  }
}
