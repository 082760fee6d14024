package io.pontoon.sandbox.apiserver.auth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Makes a key pair and a PEM certificate request for it, the way a client asking the
 * CertificateSigningRequest API for a certificate does. The private key stays with the caller.
 */
public final class CsrBuilder {
  /** A request and the key it was made for. */
  public record GeneratedCsr(KeyPair keyPair, String pem) {
    /** PKCS#8 PEM of the private key; never log it. */
    public String privateKeyPem() {
      return Pem.encodePrivateKey(keyPair.getPrivate());
    }

    @Override
    public String toString() {
      return "GeneratedCsr[" + keyPair.getPublic().getAlgorithm() + "]";
    }
  }

  private final String commonName;
  private final List<String> organizations = new ArrayList<>();
  private final List<String> dnsNames = new ArrayList<>();
  private final List<String> ipAddresses = new ArrayList<>();
  private KeyPair keyPair;

  private CsrBuilder(String commonName) {
    this.commonName = commonName;
  }

  public static CsrBuilder forSubject(String commonName, List<String> organizations) {
    CsrBuilder b = new CsrBuilder(commonName);
    b.organizations.addAll(organizations);
    return b;
  }

  public CsrBuilder dnsNames(List<String> names) {
    dnsNames.addAll(names);
    return this;
  }

  public CsrBuilder ipAddresses(List<String> addresses) {
    ipAddresses.addAll(addresses);
    return this;
  }

  /** Use this key pair instead of a new ECDSA P-256 one. */
  public CsrBuilder keyPair(KeyPair pair) {
    this.keyPair = pair;
    return this;
  }

  /** Use a new RSA key of the given size instead of ECDSA P-256. */
  public CsrBuilder rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      this.keyPair = g.generateKeyPair();
      return this;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public GeneratedCsr build() {
    KeyPair pair = keyPair != null ? keyPair : ClusterCa.newEcKeyPair();
    JcaPKCS10CertificationRequestBuilder b =
        new JcaPKCS10CertificationRequestBuilder(ClusterCa.name(commonName, organizations), pair.getPublic());
    if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
      List<GeneralName> sans = new ArrayList<>();
      dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
      ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
      try {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    PKCS10CertificationRequest csr = b.build(ClusterCa.signer(pair.getPrivate()));
    return new GeneratedCsr(pair, Pem.encodeCsr(csr));
  }
}
