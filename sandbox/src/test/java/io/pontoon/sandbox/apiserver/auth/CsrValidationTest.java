package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsrValidationTest {
  private static CsrInfo csr(String cn, List<String> orgs, List<String> dns, List<String> ips) {
    return new CsrInfo(cn, orgs, dns, ips, List.of(), List.of(), "EC");
  }

  @Test
  void kubeApiServerClientNeedsClientAuthAndNothingElse() {
    CsrInfo any = csr("alice", List.of(), List.of("x"), List.of());
    String signer = CsrValidation.KUBE_APISERVER_CLIENT;
    assertThat(CsrValidation.problems(signer, any, List.of("client auth"))).isEmpty();
    assertThat(CsrValidation.problems(signer, any, List.of("digital signature", "key encipherment", "client auth")))
        .isEmpty();
    assertThat(CsrValidation.problems(signer, any, List.of("digital signature")))
        .containsExactly("missing required usage for client certificate: client auth");
    assertThat(CsrValidation.problems(signer, any, List.of("client auth", "server auth")))
        .containsExactly("invalid usage for client certificate: server auth");
  }

  @Test
  void kubeletServingRules() {
    String signer = CsrValidation.KUBELET_SERVING;
    List<String> usages = List.of("digital signature", "key encipherment", "server auth");
    CsrInfo good = csr("system:node:n1", List.of("system:nodes"), List.of("n1"), List.of());
    assertThat(CsrValidation.problems(signer, good, usages)).isEmpty();
    assertThat(CsrValidation.problems(signer, good, List.of("server auth", "digital signature"))).isEmpty();
    assertThat(CsrValidation.problems(signer, good, List.of("server auth")))
        .containsExactly("usages did not match [digital signature key encipherment server auth]");
    assertThat(CsrValidation.problems(signer, csr("n1", List.of("devs"), List.of(), List.of()), usages))
        .containsExactly("subject organization is not system:nodes", "DNS or IP subjectAltName is required",
            "subject common name does not begin with system:node:");
    CsrInfo withEmail = new CsrInfo("system:node:n1", List.of("system:nodes"), List.of(), List.of("10.0.0.1"),
        List.of("a@b"), List.of(), "EC");
    assertThat(CsrValidation.problems(signer, withEmail, usages)).containsExactly("Email subjectAltNames are not allowed");
  }

  @Test
  void kubeletClientRules() {
    String signer = CsrValidation.KUBE_APISERVER_CLIENT_KUBELET;
    CsrInfo good = csr("system:node:n1", List.of("system:nodes"), List.of(), List.of());
    assertThat(CsrValidation.problems(signer, good, List.of("digital signature", "client auth"))).isEmpty();
    assertThat(CsrValidation.problems(signer, csr("system:node:n1", List.of("system:nodes"), List.of("n1"), List.of()),
        List.of("digital signature", "key encipherment", "client auth")))
        .containsExactly("DNS subjectAltNames are not allowed");
  }

  @Test
  void legacyAndForeignSignersAreUnrestricted() {
    CsrInfo any = csr("x", List.of(), List.of(), List.of());
    assertThat(CsrValidation.problems(CsrValidation.LEGACY_UNKNOWN, any, List.of("server auth"))).isEmpty();
    assertThat(CsrValidation.problems("example.com/signer", any, List.of())).isEmpty();
    assertThat(CsrValidation.isBuiltInSigner("example.com/signer")).isFalse();
    assertThat(CsrValidation.isBuiltInSigner(CsrValidation.KUBELET_SERVING)).isTrue();
  }

  @Test
  void parsedRealCsrValidates() {
    String pem = CsrBuilder.forSubject("system:node:n2", List.of("system:nodes")).ipAddresses(List.of("10.1.1.1"))
        .build().pem();
    CsrInfo info = ClusterCa.parseCsr(pem.getBytes());
    assertThat(CsrValidation.problems(CsrValidation.KUBELET_SERVING, info,
        List.of("digital signature", "server auth"))).isEmpty();
  }
}
