package io.pontoon.sandbox.apiserver.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;

/**
 * The certificate authority of one sandbox cluster: it issues the API server's serving
 * certificate, client certificates for kubeconfigs, and signs CertificateSigningRequests.
 */
public final class ClusterCa {
  public static final String CERT_FILE = "ca.crt";
  public static final String KEY_FILE = "ca.key";
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Like kube's signer: certificates start a little in the past so that clock skew does not reject them. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final SecureRandom random = new SecureRandom();

  private ClusterCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new self-signed CA with an ECDSA P-256 key and the subject {@code CN=<clusterName>-ca}. */
  public static ClusterCa generate(String clusterName) {
    KeyPair pair = newEcKeyPair();
    X500Name subject = name(clusterName + "-ca", List.of());
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(new SecureRandom()),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(pair.getPrivate())));
      return new ClusterCa(cert, pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the cluster CA", e);
    }
  }

  /** Reads {@code ca.crt} and {@code ca.key} from the directory; the key must belong to the certificate. */
  public static ClusterCa load(Path dir) throws IOException {
    X509Certificate cert = Pem.decodeCertificate(Files.readString(dir.resolve(CERT_FILE), StandardCharsets.US_ASCII));
    PrivateKey key = Pem.decodePrivateKey(Files.readString(dir.resolve(KEY_FILE), StandardCharsets.US_ASCII));
    if (!keyMatches(key, cert.getPublicKey())) {
      throw new IllegalArgumentException(dir.resolve(KEY_FILE) + " is not the key of " + dir.resolve(CERT_FILE));
    }
    return new ClusterCa(cert, key);
  }

  /** Writes {@code ca.crt} (0644) and {@code ca.key} (0600) into the directory, creating it. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeFile(dir.resolve(CERT_FILE), certificatePem(), "rw-r--r--");
    writeFile(dir.resolve(KEY_FILE), Pem.encodePrivateKey(key), "rw-------");
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.encodeCertificate(certificate);
  }

  /**
   * A serving certificate with a new key: subject CN is the first DNS name (else the first IP),
   * SANs are all given names and addresses, usages digital signature, key encipherment, server auth.
   */
  public IssuedCertificate issueServing(List<String> dnsNames, List<String> ipAddresses, Duration validity) {
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one DNS name or IP address");
    }
    List<GeneralName> sans = new ArrayList<>();
    dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
    ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
    String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
    KeyPair pair = newEcKeyPair();
    X509Certificate cert = issue(name(cn, List.of()), pair.getPublic(), validity,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth),
        new GeneralNames(sans.toArray(GeneralName[]::new)));
    return new IssuedCertificate(cert, pair.getPrivate());
  }

  /** A client certificate with a new key: CN is the user name, each organization a group. */
  public IssuedCertificate issueClient(String commonName, List<String> organizations, Duration validity) {
    KeyPair pair = newEcKeyPair();
    X509Certificate cert = issue(name(commonName, organizations), pair.getPublic(), validity,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth), null);
    return new IssuedCertificate(cert, pair.getPrivate());
  }

  /**
   * Signs a PEM PKCS#10 request as kube-controller-manager's signer does: the request's signature
   * must verify; subject, public key and subject alternative names are kept; key usages and
   * extended key usages come from the Kubernetes usage strings; other requested extensions are
   * dropped; the serial is random; the certificate never outlives the CA.
   *
   * @return the certificate as PEM
   * @throws IllegalArgumentException when the request does not parse or verify, or a usage is unknown
   */
  public String signCsr(byte[] csrPem, List<String> usages, Duration validity) {
    PKCS10CertificationRequest csr = Pem.decodeCsr(csrPem);
    verify(csr);
    KeyUsages.Mapped mapped = KeyUsages.map(usages);
    PublicKey publicKey = publicKey(csr.getSubjectPublicKeyInfo());
    GeneralNames sans = requestedSans(csr);
    X509Certificate cert = issue(csr.getSubject(), publicKey, validity, mapped.keyUsage(),
        mapped.extendedKeyUsage(), sans == null || sans.getNames().length == 0 ? null : sans);
    return Pem.encodeCertificate(cert);
  }

  /**
   * Reads a PEM PKCS#10 request: subject CN and O, SANs and key algorithm. The signature is checked.
   *
   * @throws IllegalArgumentException when it is not a valid CERTIFICATE REQUEST
   */
  public static CsrInfo parseCsr(byte[] pem) {
    PKCS10CertificationRequest csr = Pem.decodeCsr(pem);
    verify(csr);
    GeneralNames sans = requestedSans(csr);
    String algorithm = publicKey(csr.getSubjectPublicKeyInfo()).getAlgorithm();
    List<String> cns = X509.values(csr.getSubject(), BCStyle.CN);
    return new CsrInfo(
        cns.isEmpty() ? "" : cns.get(0),
        X509.values(csr.getSubject(), BCStyle.O),
        X509.names(sans, GeneralName.dNSName),
        X509.names(sans, GeneralName.iPAddress),
        X509.names(sans, GeneralName.rfc822Name),
        X509.names(sans, GeneralName.uniformResourceIdentifier),
        algorithm);
  }

  private X509Certificate issue(X500Name subject, PublicKey publicKey, Duration validity, KeyUsage keyUsage,
      ExtendedKeyUsage extendedKeyUsage, GeneralNames sans) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive");
    }
    Instant now = Instant.now();
    Instant notAfter = now.plus(validity);
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(random),
          Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
      if (keyUsage != null) b.addExtension(Extension.keyUsage, true, keyUsage);
      if (extendedKeyUsage != null) b.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage);
      if (sans != null) b.addExtension(Extension.subjectAlternativeName, false, sans);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue certificate", e);
    }
  }

  private static void verify(PKCS10CertificationRequest csr) {
    try {
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey(csr.getSubjectPublicKeyInfo())))) {
        throw new IllegalArgumentException("unable to verify certificate request signature");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("unable to verify certificate request signature: " + e.getMessage(), e);
    }
  }

  /**
   * The JDK key for a SubjectPublicKeyInfo. Looked up by algorithm name rather than OID so that the
   * JDK's own providers suffice and no provider has to be registered process-wide.
   */
  private static PublicKey publicKey(SubjectPublicKeyInfo info) {
    ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
    String algorithm;
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) algorithm = "EC";
    else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) algorithm = "RSA";
    else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) algorithm = "Ed25519";
    else throw new IllegalArgumentException("unsupported public key algorithm " + oid.getId());
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("malformed public key in certificate request: " + e.getMessage(), e);
    }
  }

  /** The subjectAltName of the request's extensionRequest attribute, or null. */
  private static GeneralNames requestedSans(PKCS10CertificationRequest csr) {
    for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable value : attribute.getAttributeValues()) {
        Extensions extensions = Extensions.getInstance(value);
        GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (names != null) return names;
      }
    }
    return null;
  }

  /** Subject with O before CN, the order Go's pkix.Name writes. */
  static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(o -> b.addRDN(BCStyle.O, o));
    if (commonName != null && !commonName.isEmpty()) b.addRDN(BCStyle.CN, commonName);
    return b.build();
  }

  static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
    }
  }

  static String signatureAlgorithm(PrivateKey key) {
    if (key instanceof ECPrivateKey) return "SHA256withECDSA";
    if (key instanceof RSAPrivateKey) return "SHA256withRSA";
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) return "Ed25519";
    throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
  }

  /** Positive, non-zero, below 2^128 like kube's signer. */
  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
    try {
      String algorithm = signatureAlgorithm(key);
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(publicKey);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Writes through a temporary file created with the final permissions, then renames it, so a
   * key is never readable by others even for a moment and a crash leaves no half-written file.
   */
  static void writeFile(Path file, String content, String posixMode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(posixMode);
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      if (posix) Files.setPosixFilePermissions(tmp, perms);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String toString() {
    return "ClusterCa[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
