package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;

class PemTest {
  private final ClusterCa ca = ClusterCa.generate("pem");

  @Test
  void decodesChainsInOrder() {
    IssuedCertificate leaf = ca.issueClient("a", List.of(), Duration.ofHours(1));
    String bundle = "leading text\n" + Pem.encodeCertificates(List.of(leaf.certificate(), ca.certificate()));
    assertThat(Pem.decodeCertificates(bundle)).containsExactly(leaf.certificate(), ca.certificate());
    assertThatThrownBy(() -> Pem.decodeCertificates("nothing")).hasMessageContaining("no CERTIFICATE block");
  }

  @Test
  void decodesPkcs8EcAndRsaKeys() throws Exception {
    KeyPair ec = ClusterCa.newEcKeyPair();
    PrivateKey fromPkcs8 = Pem.decodePrivateKey(Pem.encodePrivateKey(ec.getPrivate()));
    assertThat(fromPkcs8.getEncoded()).isEqualTo(ec.getPrivate().getEncoded());

    // SEC 1 "EC PRIVATE KEY" as openssl writes it: curve named inside
    java.math.BigInteger s = ((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS();
    byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, s,
        new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1))
        .getEncoded();
    PrivateKey fromSec1 = Pem.decodePrivateKey(Pem.encode("EC PRIVATE KEY", sec1));
    assertThat(fromSec1.getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPrivateKey) fromSec1).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS());

    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
    PrivateKey fromPkcs1 = Pem.decodePrivateKey(Pem.encode("RSA PRIVATE KEY", pkcs1));
    assertThat(fromPkcs1.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
  }

  @Test
  void rejectsMissingKeys() {
    assertThatThrownBy(() -> Pem.decodePrivateKey(ca.certificatePem())).hasMessageContaining("no private key block");
  }

  @Test
  void fabric8ReadsIssuedClientCredentials() throws Exception {
    IssuedCertificate client = ca.issueClient("alice", List.of("devs"), Duration.ofHours(1));
    KeyStore ks = CertUtils.createKeyStore(
        new ByteArrayInputStream(client.certificatePem().getBytes(StandardCharsets.US_ASCII)),
        new ByteArrayInputStream(client.keyPem().getBytes(StandardCharsets.US_ASCII)),
        "EC", "changeit".toCharArray(), null, "changeit".toCharArray());
    assertThat(ks.size()).isEqualTo(1);
  }

  @Test
  void csrRoundTrip() {
    CsrBuilder.GeneratedCsr csr = CsrBuilder.forSubject("bob", List.of("a", "b")).build();
    assertThat(csr.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(Pem.decodeCsr(csr.pem().getBytes(StandardCharsets.US_ASCII)).getSubject().toString())
        .isEqualTo("O=a,O=b,CN=bob");
    assertThat(csr.toString()).doesNotContain("PRIVATE");
    assertThat(Pem.decodePrivateKey(csr.privateKeyPem()).getEncoded()).isEqualTo(csr.keyPair().getPrivate().getEncoded());
  }
}
