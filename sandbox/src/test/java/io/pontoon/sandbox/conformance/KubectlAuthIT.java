package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.apiserver.auth.CsrBuilder;
import io.pontoon.sandbox.apiserver.auth.Kubeconfig;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Authentication and authorization as kubectl sees them: can-i, whoami, Forbidden, CSRs, tokens. */
@ExtendWith(SandboxExtension.class)
class KubectlAuthIT {
  @TempDir static Path dir;
  static SandboxApiServer server;
  static Kubectl admin;
  static Kubectl alice;

  @BeforeAll
  static void setUp(SandboxApiServer s) {
    server = s;
    admin = Kubectl.admin(s, dir);
    alice = Kubectl.user(s, dir, "alice", List.of("dev"));
    admin.run("create", "namespace", "team").ok();
    admin.run("create", "role", "pod-reader", "-n", "team", "--verb=get,list,watch", "--resource=pods").ok();
    admin.run("create", "rolebinding", "alice-reads", "-n", "team", "--role=pod-reader", "--user=alice").ok();
    admin.run("create", "clusterrole", "node-viewer", "--verb=get", "--resource=nodes").ok();
    admin.run("create", "clusterrolebinding", "dev-nodes", "--clusterrole=node-viewer", "--group=dev").ok();
  }

  @Test
  void adminCanDoAnything() {
    assertThat(admin.run("auth", "can-i", "create", "pods").ok()).isEqualTo("yes\n");
    assertThat(admin.run("auth", "can-i", "*", "*").ok()).isEqualTo("yes\n");
    assertThat(admin.run("auth", "can-i", "get", "/healthz").ok()).isEqualTo("yes\n");
  }

  @Test
  void limitedUserCanIAnswersPerVerbAndNamespace() {
    assertThat(alice.run("auth", "can-i", "list", "pods", "-n", "team").ok()).isEqualTo("yes\n");
    Kubectl.Result no = alice.run("auth", "can-i", "delete", "pods", "-n", "team");
    assertThat(no.exitCode()).isEqualTo(1);
    assertThat(no.out()).isEqualTo("no\n");
    assertThat(alice.run("auth", "can-i", "list", "pods", "-n", "default").out()).isEqualTo("no\n");
    assertThat(alice.run("auth", "can-i", "get", "nodes").ok()).isEqualTo("yes\n");
    assertThat(alice.run("auth", "can-i", "list", "nodes").out()).isEqualTo("no\n");
    // the admin asks on someone's behalf through impersonation-free SubjectAccessReview: can-i --list
    String list = alice.run("auth", "can-i", "--list", "-n", "team").ok();
    assertThat(Kubectl.header(list)).containsExactly("Resources", "Non-Resource URLs", "Resource Names", "Verbs");
    assertThat(Kubectl.row(list, 0, "pods")).containsExactly("pods", "[]", "[]", "[get list watch]");
    assertThat(Kubectl.row(list, 0, "nodes")).containsExactly("nodes", "[]", "[]", "[get]");
    assertThat(list).contains("selfsubjectaccessreviews.authorization.k8s.io");
  }

  @Test
  void whoAmI() {
    String me = alice.run("auth", "whoami").ok();
    assertThat(Kubectl.header(me)).containsExactly("ATTRIBUTE", "VALUE");
    assertThat(Kubectl.row(me, 0, "Username")).containsExactly("Username", "alice");
    assertThat(Kubectl.row(me, 0, "Groups")).containsExactly("Groups", "[dev system:authenticated]");
    assertThat(admin.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").ok())
        .isEqualTo("kubernetes-admin");
  }

  @Test
  void forbiddenMessagesAreKubes() {
    assertThat(alice.run("get", "pods", "-n", "team").err()).isEqualTo("No resources found in team namespace.\n");
    assertThat(alice.run("get", "configmaps", "-n", "team").fails()).isEqualTo(
        "Error from server (Forbidden): configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" "
            + "in API group \"\" in the namespace \"team\"\n");
    assertThat(alice.run("create", "configmap", "x", "-n", "team").fails()).contains(
        // generators print the server's message behind their own prefix
        "error: failed to create configmap: configmaps is forbidden: User \"alice\" cannot create resource "
            + "\"configmaps\" in API group \"\" in the namespace \"team\"");
    assertThat(alice.run("get", "namespaces").fails()).isEqualTo(
        "Error from server (Forbidden): namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" "
            + "in API group \"\" at the cluster scope\n");
    assertThat(alice.run("delete", "namespace", "team").fails()).contains(
        "Error from server (Forbidden): namespaces \"team\" is forbidden: User \"alice\" cannot delete resource "
            + "\"namespaces\" in API group \"\" in the namespace \"team\"");
    assertThat(alice.run("get", "deployments.apps", "-n", "team").fails()).contains(
        "cannot list resource \"deployments\" in API group \"apps\" in the namespace \"team\"");
  }

  @Test
  void certificateApproveIssuesAWorkingClientCertificate() {
    CsrBuilder.GeneratedCsr csr = CsrBuilder.forSubject("carol", List.of("ops")).build();
    String request = Base64.getEncoder().encodeToString(csr.pem().getBytes(StandardCharsets.US_ASCII));
    admin.runWithStdin("""
        apiVersion: certificates.k8s.io/v1
        kind: CertificateSigningRequest
        metadata: {name: carol}
        spec:
          request: %s
          signerName: kubernetes.io/kube-apiserver-client
          expirationSeconds: 86400
          usages: [client auth]
        """.formatted(request), "create", "-f", "-").ok();
    String pending = admin.run("get", "csr", "carol").ok();
    assertThat(Kubectl.header(pending)).containsExactly("NAME", "AGE", "SIGNERNAME", "REQUESTOR",
        "REQUESTEDDURATION", "CONDITION");
    List<String> row = Kubectl.row(pending, 0, "carol");
    assertThat(row.subList(2, 6)).containsExactly("kubernetes.io/kube-apiserver-client", "kubernetes-admin", "24h",
        "Pending");
    assertThat(admin.run("certificate", "approve", "carol").ok())
        .isEqualTo("certificatesigningrequest.certificates.k8s.io/carol approved\n");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        admin.run("get", "csr", "carol", "-o", "jsonpath={.status.certificate}").ok()).isNotEmpty());
    assertThat(Kubectl.row(admin.run("get", "csr", "carol").ok(), 0, "carol")).last().isEqualTo("Approved,Issued");
    String certPem = new String(Base64.getDecoder().decode(
        admin.run("get", "csr", "carol", "-o", "jsonpath={.status.certificate}").ok()), StandardCharsets.US_ASCII);
    String kc = Kubeconfig.of(server.clusterName(), server.url(), server.ca().certificatePem(), "carol",
        new Kubeconfig.ClientCertificate(certPem, csr.privateKeyPem())).render();
    Kubectl carol = Kubectl.withKubeconfig(kc, dir, "carol");
    assertThat(Kubectl.row(carol.run("auth", "whoami").ok(), 0, "Groups"))
        .containsExactly("Groups", "[ops system:authenticated]");

    CsrBuilder.GeneratedCsr other = CsrBuilder.forSubject("mallory", List.of()).build();
    admin.runWithStdin("""
        apiVersion: certificates.k8s.io/v1
        kind: CertificateSigningRequest
        metadata: {name: mallory}
        spec:
          request: %s
          signerName: kubernetes.io/kube-apiserver-client
          usages: [client auth]
        """.formatted(Base64.getEncoder().encodeToString(other.pem().getBytes(StandardCharsets.US_ASCII))),
        "create", "-f", "-").ok();
    assertThat(admin.run("certificate", "deny", "mallory").ok())
        .isEqualTo("certificatesigningrequest.certificates.k8s.io/mallory denied\n");
    assertThat(Kubectl.row(admin.run("get", "csr", "mallory").ok(), 0, "mallory")).last().isEqualTo("Denied");
    assertThat(admin.run("get", "csr", "mallory", "-o", "jsonpath={.status.certificate}").ok()).isEmpty();
  }

  @Test
  void createTokenForAServiceAccount() {
    admin.run("create", "serviceaccount", "robot", "-n", "team").ok();
    admin.run("create", "rolebinding", "robot-reads", "-n", "team", "--role=pod-reader",
        "--serviceaccount=team:robot").ok();
    String token = admin.run("create", "token", "robot", "-n", "team", "--duration=10m").ok().strip();
    assertThat(token).isNotEmpty().doesNotContain("\n");
    String kc = Kubeconfig.of(server.clusterName(), server.url(), server.ca().certificatePem(), "robot",
        new Kubeconfig.Token(token)).render();
    Kubectl robot = Kubectl.withKubeconfig(kc, dir, "robot");
    String me = robot.run("auth", "whoami").ok();
    assertThat(Kubectl.row(me, 0, "Username")).containsExactly("Username", "system:serviceaccount:team:robot");
    assertThat(Kubectl.row(me, 0, "Groups")).containsExactly("Groups",
        "[system:serviceaccounts system:serviceaccounts:team system:authenticated]");
    assertThat(robot.run("auth", "can-i", "list", "pods", "-n", "team").ok()).isEqualTo("yes\n");
    assertThat(robot.run("get", "secrets", "-n", "team").fails()).contains(
        "User \"system:serviceaccount:team:robot\" cannot list resource \"secrets\" in API group \"\" in the "
            + "namespace \"team\"");
    assertThat(admin.run("create", "token", "nobody", "-n", "team").fails())
        .contains("serviceaccounts \"nobody\" not found");
    // a deleted service account's tokens stop working
    admin.run("delete", "serviceaccount", "robot", "-n", "team").ok();
    assertThat(robot.run("auth", "whoami").fails()).contains("Unauthorized");
  }
}
