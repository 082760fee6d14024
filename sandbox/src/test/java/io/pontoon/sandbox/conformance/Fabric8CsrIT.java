package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.apiserver.auth.CsrBuilder;
import io.pontoon.sandbox.apiserver.auth.Pem;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 8: the CertificateSigningRequest API, approval and the built-in signers. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8CsrIT {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private SandboxApiServer server;
  private KubernetesClient client;

  @BeforeAll
  void connect(SandboxApiServer server) {
    this.server = server;
    client = admin(server);
  }

  @AfterAll
  void disconnect() {
    client.close();
  }

  private CertificateSigningRequest submit(String name, String signer, CsrBuilder.GeneratedCsr csr,
      String... usages) {
    return client.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
        .withNewMetadata().withName(name).endMetadata().withNewSpec().withSignerName(signer)
        .withRequest(Base64.getEncoder().encodeToString(csr.pem().getBytes(StandardCharsets.US_ASCII)))
        .withUsages(usages).withExpirationSeconds(3600).endSpec().build()).create();
  }

  private String awaitCertificate(String name) {
    var csr = client.certificates().v1().certificateSigningRequests().withName(name);
    await().atMost(DEADLINE).until(() -> csr.get().getStatus() != null && csr.get().getStatus().getCertificate() != null);
    return new String(Base64.getDecoder().decode(csr.get().getStatus().getCertificate()), StandardCharsets.US_ASCII);
  }

  @Test
  void approvedClientCsrGetsACertificateThatAuthenticates() throws Exception {
    CsrBuilder.GeneratedCsr csr = CsrBuilder.forSubject("peer-a", List.of("pontoon:peers")).build();
    CertificateSigningRequest created = submit("peer-a", "kubernetes.io/kube-apiserver-client", csr,
        "digital signature", "client auth");
    // the requester is recorded by the server
    assertThat(created.getSpec().getUsername()).isEqualTo("kubernetes-admin");
    assertThat(created.getSpec().getGroups()).contains("system:masters", "system:authenticated");
    CertificateSigningRequest approved = client.certificates().v1().certificateSigningRequests().withName("peer-a")
        .approve();
    assertThat(approved.getStatus().getConditions()).extracting(CertificateSigningRequestCondition::getType)
        .contains("Approved");
    String pem = awaitCertificate("peer-a");

    X509Certificate cert = Pem.decodeCertificate(pem);
    cert.verify(server.ca().certificate().getPublicKey());
    assertThat(cert.getIssuerX500Principal()).isEqualTo(server.ca().certificate().getSubjectX500Principal());
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=peer-a").contains("O=pontoon:peers");
    assertThat(cert.getPublicKey()).isEqualTo(csr.keyPair().getPublic());
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
        .isLessThanOrEqualTo(Duration.ofHours(1).plusMinutes(10));

    Config config = server.adminConfig();
    config.setClientCertData(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
    config.setClientKeyData(Base64.getEncoder().encodeToString(Pem.encodePrivateKeyTraditional(
        csr.keyPair().getPrivate()).getBytes(StandardCharsets.US_ASCII)));
    config.setClientKeyAlgo("EC");
    try (KubernetesClient peer = client(config)) {
      var self = peer.authentication().v1().selfSubjectReviews().create(
          new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder().build());
      assertThat(self.getStatus().getUserInfo().getUsername()).isEqualTo("peer-a");
      assertThat(self.getStatus().getUserInfo().getGroups()).containsExactlyInAnyOrder("pontoon:peers",
          "system:authenticated");
    }
  }

  @Test
  void kubeletServingSignerIssuesForNodes() throws Exception {
    CsrBuilder.GeneratedCsr good = CsrBuilder.forSubject("system:node:node-a", List.of("system:nodes"))
        .dnsNames(List.of("node-a")).ipAddresses(List.of("127.0.0.1")).build();
    submit("serving-good", "kubernetes.io/kubelet-serving", good, "digital signature", "server auth");
    client.certificates().v1().certificateSigningRequests().withName("serving-good").approve();
    X509Certificate cert = Pem.decodeCertificate(awaitCertificate("serving-good"));
    cert.verify(server.ca().certificate().getPublicKey());
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
        .containsExactlyInAnyOrder("node-a", "127.0.0.1");
  }

  @Test
  void kubeletServingSignerRefusesOtherSubjects() {
    CsrBuilder.GeneratedCsr bad = CsrBuilder.forSubject("alice", List.of("devs")).dnsNames(List.of("x")).build();
    submit("serving-bad", "kubernetes.io/kubelet-serving", bad, "digital signature", "server auth");
    var csr = client.certificates().v1().certificateSigningRequests().withName("serving-bad");
    csr.approve();
    await().atMost(DEADLINE).until(() -> csr.get().getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Failed")));
    CertificateSigningRequestCondition failed = csr.get().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow();
    assertThat(failed.getReason()).isEqualTo("SignerValidationFailure");
    assertThat(failed.getMessage()).contains("subject organization is not system:nodes")
        .contains("subject common name does not begin with system:node:");
    assertThat(csr.get().getStatus().getCertificate()).isNull();
  }

  @Test
  void deniedCsrGetsNoCertificate() {
    CsrBuilder.GeneratedCsr req = CsrBuilder.forSubject("nobody", List.of()).build();
    submit("denied", "kubernetes.io/kube-apiserver-client", req, "client auth");
    var csr = client.certificates().v1().certificateSigningRequests().withName("denied");
    CertificateSigningRequest denied = csr.deny();
    assertThat(denied.getStatus().getConditions()).extracting(CertificateSigningRequestCondition::getType)
        .containsExactly("Denied");
    // the signer runs on every change and every 2 s; it must leave a denied request alone
    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
        .until(() -> csr.get().getStatus().getCertificate() == null);
  }
}
