package io.pontoon.peering.identity;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The peering service's key and self-signed certificate. Its SHA-256 fingerprint is the
 * cluster's public identity: consumers pin it, so no CA is involved.
 */
public record PeeringTls(String certificatePem, String privateKeyPem) {
  private static final Duration VALIDITY = Duration.ofDays(3650);

  @Override
  public String toString() {
    return "PeeringTls{fingerprint=" + fingerprint() + "}";
  }

  public X509Certificate certificate() {
    return Pem.certificate(certificatePem);
  }

  public String fingerprint() {
    return Fingerprints.of(certificate());
  }

  /** A new EC P-256 key and a certificate for {@code clusterName}, valid for the given hosts. */
  public static PeeringTls generate(String clusterName, List<String> hosts) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = gen.generateKeyPair();
      X500Name subject = new X500Name("CN=pontoon-peering-" + clusterName);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          subject, new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      GeneralName[] names = hosts.stream().map(PeeringTls::generalName).toArray(GeneralName[]::new);
      if (names.length > 0) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new PeeringTls(Pem.encode(cert), Pem.privateKeyPem(pair.getPrivate()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the peering certificate: " + e.getMessage(), e);
    }
  }

  private static GeneralName generalName(String host) {
    boolean ip = host.matches("[0-9.]+") || host.contains(":");
    if (ip) {
      try {
        return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress());
      } catch (Exception e) {
        // fall back to a DNS name
      }
    }
    return new GeneralName(GeneralName.dNSName, host);
  }
}
