package io.pontoon.peering.webhook;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's own TLS: a CA made at start (its key is dropped once the serving certificate is
 * signed, so nothing else can ever be signed with it) and a serving certificate for the given
 * DNS names and IPs. The API server trusts the CA through the configuration's caBundle, which
 * the registrar rewrites on every start.
 */
public record WebhookTls(String caPem, String certPem, String keyPem) {
  private static final Duration VALIDITY = Duration.ofDays(365);

  public static WebhookTls generate(List<String> hosts) {
    try {
      KeyPair ca = keyPair();
      KeyPair leaf = keyPair();
      Instant now = Instant.now();
      X500Name caName = new X500Name("CN=pontoon-webhook-ca");
      X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(VALIDITY)), caName, ca.getPublic());
      caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(caBuilder, ca);

      X509v3CertificateBuilder leafBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(VALIDITY)),
          new X500Name("CN=" + (hosts.isEmpty() ? "pontoon-webhook" : hosts.get(0))), leaf.getPublic());
      leafBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leafBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      leafBuilder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      List<GeneralName> names = new ArrayList<>();
      for (String h : hosts) {
        names.add(isIp(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
      }
      leafBuilder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      X509Certificate leafCert = sign(leafBuilder, ca);
      return new WebhookTls(pem(caCert), pem(leafCert), pem(new JcaPKCS8Generator(leaf.getPrivate(), null)));
    } catch (Exception e) {
      throw new IllegalStateException("could not make the webhook's certificates: " + e.getMessage(), e);
    }
  }

  private static boolean isIp(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  @Override
  public String toString() {
    return "WebhookTls[ca=…, cert=…, key=(hidden)]"; // never print the key
  }
}
