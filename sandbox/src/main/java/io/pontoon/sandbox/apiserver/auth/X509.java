package io.pontoon.sandbox.apiserver.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Reading identities out of X.509 names, the way kube-apiserver's x509 authenticator does. */
public final class X509 {
  private X509() {}

  /** The subject's CN: the user name of a client certificate. Empty when there is none. */
  public static String commonName(X509Certificate certificate) {
    List<String> cns = values(subject(certificate), BCStyle.CN);
    return cns.isEmpty() ? "" : cns.get(0);
  }

  /** The subject's O values, in order: the groups of a client certificate. */
  public static List<String> organizations(X509Certificate certificate) {
    return values(subject(certificate), BCStyle.O);
  }

  /**
   * The user a verified client certificate authenticates: CN as name, O as groups, plus
   * system:authenticated. Empty without a CN, which kube's x509 authenticator does not accept.
   * Checking the chain and the client auth usage is the TLS layer's job.
   */
  public static Optional<UserInfo> user(X509Certificate certificate) {
    String cn = commonName(certificate);
    if (cn.isEmpty()) return Optional.empty();
    return Optional.of(UserInfo.authenticated(cn, "", organizations(certificate)));
  }

  /** {@code sha256:<hex>} of the DER certificate, the form Pontoon pins peers with. */
  public static String sha256Fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static X500Name subject(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  /** Values of one attribute type across all RDNs, multi-valued RDNs included (Go writes several O in one RDN). */
  static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
    List<String> out = new ArrayList<>();
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
        if (tv.getType().equals(type)) {
          ASN1Encodable v = tv.getValue();
          out.add(v instanceof ASN1String s ? s.getString() : v.toString());
        }
      }
    }
    return List.copyOf(out);
  }

  /** The text form of a SAN entry of the given GeneralName tag (DNS, IP, email, URI). */
  static List<String> names(GeneralNames names, int tag) {
    if (names == null) return List.of();
    List<String> out = new ArrayList<>();
    for (GeneralName n : names.getNames()) {
      if (n.getTagNo() != tag) continue;
      if (tag == GeneralName.iPAddress) {
        ipText(ASN1OctetString.getInstance(n.getName()).getOctets()).ifPresent(out::add);
      } else {
        out.add(((ASN1String) n.getName()).getString());
      }
    }
    return List.copyOf(out);
  }

  private static Optional<String> ipText(byte[] address) {
    try {
      return Optional.of(InetAddress.getByAddress(address).getHostAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
