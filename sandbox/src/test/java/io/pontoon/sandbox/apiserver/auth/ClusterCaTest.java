package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
  private static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
  private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

  private final ClusterCa ca = ClusterCa.generate("alpha");

  @Test
  void caIsSelfSignedTenYearCa() throws Exception {
    X509Certificate cert = ca.certificate();
    assertThat(X509.commonName(cert)).isEqualTo("alpha-ca");
    assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
    cert.verify(cert.getPublicKey());
    assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3649)));
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void servingCertificateVerifiesAndCarriesSans() throws Exception {
    IssuedCertificate serving = ca.issueServing(List.of("localhost", "kubernetes.default.svc"),
        List.of("127.0.0.1", "::1"), Duration.ofDays(365));
    X509Certificate cert = serving.certificate();
    cert.verify(ca.certificate().getPublicKey());
    cert.checkValidity();
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(cert.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
        .containsExactly((Object) "localhost", "kubernetes.default.svc", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(X509.commonName(cert)).isEqualTo("localhost");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
  }

  @Test
  void clientCertificateNamesUserAndGroups() throws Exception {
    IssuedCertificate client = ca.issueClient("alice", List.of("system:masters", "devs"), Duration.ofHours(1));
    X509Certificate cert = client.certificate();
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(X509.commonName(cert)).isEqualTo("alice");
    assertThat(X509.organizations(cert)).containsExactly("system:masters", "devs");
    assertThat(X509.user(cert).orElseThrow().groups()).containsExactly("system:masters", "devs", "system:authenticated");
    assertThat(X509.user(ca.issueClient("", List.of("devs"), Duration.ofHours(1)).certificate())).isEmpty();
    assertThat(client.toString()).doesNotContain("PRIVATE");
    // the PEM handed to clients is SEC1 with the curve inside; it must decode to the same secret
    assertThat(client.keyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(((java.security.interfaces.ECPrivateKey) Pem.decodePrivateKey(client.keyPem())).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) client.key()).getS());
  }

  @Test
  void certificatesNeverOutliveTheCa() {
    IssuedCertificate client = ca.issueClient("bob", List.of(), Duration.ofDays(365 * 50));
    assertThat(client.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void saveAndLoadRoundTripWithPrivateKeyFile(@TempDir Path dir) throws Exception {
    Path caDir = dir.resolve("pki");
    ca.save(caDir);
    assertThat(Files.getPosixFilePermissions(caDir.resolve("ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(caDir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    ClusterCa loaded = ClusterCa.load(caDir);
    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    // the loaded CA signs certificates that verify against the saved one
    loaded.issueClient("carol", List.of(), Duration.ofHours(1)).certificate().verify(ca.certificate().getPublicKey());
  }

  @Test
  void loadRejectsAKeyOfAnotherCa(@TempDir Path dir) throws Exception {
    ca.save(dir);
    ClusterCa other = ClusterCa.generate("beta");
    Path otherDir = dir.resolve("other");
    other.save(otherDir);
    Files.copy(otherDir.resolve("ca.key"), dir.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ClusterCa.load(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not the key of");
  }

  @Test
  void signsAClientCsrKeepingSubjectAndKey() throws Exception {
    CsrBuilder.GeneratedCsr csr = CsrBuilder.forSubject("pontoon-beta", List.of("pontoon:peers")).build();
    String pem = ca.signCsr(csr.pem().getBytes(StandardCharsets.US_ASCII),
        List.of("digital signature", "key encipherment", "client auth"), Duration.ofDays(30));
    X509Certificate cert = Pem.decodeCertificate(pem);
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getPublicKey()).isEqualTo(csr.keyPair().getPublic());
    assertThat(X509.commonName(cert)).isEqualTo("pontoon-beta");
    assertThat(X509.organizations(cert)).containsExactly("pontoon:peers");
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    boolean[] ku = cert.getKeyUsage();
    assertThat(ku[0]).as("digitalSignature").isTrue();
    assertThat(ku[2]).as("keyEncipherment").isTrue();
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofDays(30)).plusSeconds(5));
  }

  @Test
  void signsAServingCsrForwardingSansAndRsaKeys() throws Exception {
    CsrBuilder.GeneratedCsr csr = CsrBuilder.forSubject("system:node:n1", List.of("system:nodes"))
        .dnsNames(List.of("n1.local")).ipAddresses(List.of("10.0.0.7")).rsa(2048).build();
    X509Certificate cert = Pem.decodeCertificate(ca.signCsr(csr.pem().getBytes(StandardCharsets.US_ASCII),
        List.of("server auth", "digital signature", "key encipherment"), Duration.ofDays(1)));
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(cert.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1)).containsExactly((Object) "n1.local", "10.0.0.7");
  }

  @Test
  void serialsAreRandomAndPositive() {
    byte[] csr = CsrBuilder.forSubject("x", List.of()).build().pem().getBytes(StandardCharsets.US_ASCII);
    X509Certificate a = Pem.decodeCertificate(ca.signCsr(csr, List.of("client auth"), Duration.ofHours(1)));
    X509Certificate b = Pem.decodeCertificate(ca.signCsr(csr, List.of("client auth"), Duration.ofHours(1)));
    assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    assertThat(a.getSerialNumber().signum()).isPositive();
  }

  @Test
  void rejectsUnknownUsagesInKubesWords() {
    byte[] csr = CsrBuilder.forSubject("x", List.of()).build().pem().getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> ca.signCsr(csr, List.of("client auth", "flying"), Duration.ofHours(1)))
        .hasMessage("unrecognized usage values: [\"flying\"]");
  }

  @Test
  void rejectsTamperedOrWrongPem() {
    String pem = CsrBuilder.forSubject("x", List.of()).build().pem();
    assertThatThrownBy(() -> ca.signCsr(ca.certificatePem().getBytes(), List.of("client auth"), Duration.ofHours(1)))
        .hasMessage("PEM block type must be CERTIFICATE REQUEST");
    // flip one byte of the signature: the last base64 characters of the body
    String body = pem.replace("-----BEGIN CERTIFICATE REQUEST-----", "").replace("-----END CERTIFICATE REQUEST-----", "")
        .replaceAll("\\s", "");
    byte[] der = java.util.Base64.getDecoder().decode(body);
    der[der.length - 3] ^= 0x01;
    String tampered = Pem.encode("CERTIFICATE REQUEST", der);
    assertThatThrownBy(() -> ca.signCsr(tampered.getBytes(), List.of("client auth"), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unable to verify certificate request signature");
  }

  @Test
  void parseCsrReportsSubjectSansAndKey() {
    String pem = CsrBuilder.forSubject("system:node:n1", List.of("system:nodes"))
        .dnsNames(List.of("n1")).ipAddresses(List.of("192.168.1.2")).build().pem();
    CsrInfo info = ClusterCa.parseCsr(pem.getBytes(StandardCharsets.US_ASCII));
    assertThat(info.commonName()).isEqualTo("system:node:n1");
    assertThat(info.organizations()).containsExactly("system:nodes");
    assertThat(info.dnsNames()).containsExactly("n1");
    assertThat(info.ipAddresses()).containsExactly("192.168.1.2");
    assertThat(info.emailAddresses()).isEmpty();
    assertThat(info.publicKeyAlgorithm()).isEqualTo("EC");
    assertThat(info.user().name()).isEqualTo("system:node:n1");
  }

  @Test
  void opensslAcceptsTheChainWhenAvailable(@TempDir Path dir) throws Exception {
    Path openssl = Path.of("/usr/bin/openssl");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(openssl), "openssl not installed; skipped");
    IssuedCertificate client = ca.issueClient("alice", List.of("devs"), Duration.ofHours(1));
    Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
    Files.writeString(dir.resolve("c.crt"), client.certificatePem());
    Process p = new ProcessBuilder(openssl.toString(), "verify", "-purpose", "sslclient", "-CAfile",
        dir.resolve("ca.crt").toString(), dir.resolve("c.crt").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("OK");
  }
}
