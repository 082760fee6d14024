package io.pontoon.peering.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM encoding and decoding of the few objects peering handles: certificates, PKCS#8 keys, CSRs. */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

  private Pem() {}

  public static String encode(Object object) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** The DER bytes of every block of {@code type} in {@code pem}. */
  public static List<byte[]> blocks(String pem, String type) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(type)) out.add(Base64.getMimeDecoder().decode(m.group(2)));
    }
    return out;
  }

  public static List<X509Certificate> certificates(String pem) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certs = new ArrayList<>();
      for (byte[] der : blocks(pem, "CERTIFICATE")) {
        certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  public static X509Certificate certificate(String pem) {
    List<X509Certificate> certs = certificates(pem);
    if (certs.isEmpty()) throw new IllegalArgumentException("no PEM certificate found");
    return certs.get(0);
  }

  /** A PKCS#8 ("PRIVATE KEY") or traditional ("EC PRIVATE KEY", "RSA PRIVATE KEY") key. */
  public static PrivateKey privateKey(String pem) {
    try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(pem))) {
      Object o = parser.readObject();
      var converter = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
      if (o instanceof org.bouncycastle.openssl.PEMKeyPair kp) return converter.getKeyPair(kp).getPrivate();
      if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) return converter.getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM private key", e);
    }
    throw new IllegalArgumentException("no PEM private key found");
  }

  /** Unencrypted PKCS#8 PEM, the form every Kubernetes client reads from a kubeconfig; never log it. */
  public static String privateKeyPem(PrivateKey key) {
    try {
      return encode(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalArgumentException("cannot encode the " + key.getAlgorithm() + " key as PKCS#8", e);
    }
  }
}
