package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
  private final ClusterCa ca = ClusterCa.generate("alpha");
  private final IssuedCertificate admin = ca.issueClient("admin", List.of("system:masters"), Duration.ofDays(1));

  private Kubeconfig certConfig() {
    return Kubeconfig.of("alpha", "https://127.0.0.1:6443", ca.certificatePem(), "admin",
        Kubeconfig.ClientCertificate.of(admin));
  }

  @Test
  void rendersEmbeddedCredentials() {
    String yaml = certConfig().withNamespace("pontoon-system").render();
    assertThat(yaml).startsWith("apiVersion: v1\nkind: Config\n");
    String caData = Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.US_ASCII));
    assertThat(yaml).contains("certificate-authority-data: \"" + caData + "\"");
    assertThat(yaml).contains("client-certificate-data: ").contains("client-key-data: ");
    assertThat(yaml).contains("current-context: \"admin@alpha\"").contains("namespace: \"pontoon-system\"");
  }

  @Test
  void fabric8LoadsTheClientKeyWithoutAnAlgorithmHint() {
    // fabric8 guesses the key algorithm from the PEM header; a PKCS#8 EC key would be read as RSA
    var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(certConfig().render());
    assertThat(config.getClientKeyAlgo()).isEqualTo("EC");
    new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build().close();
  }

  @Test
  void secretsStayOutOfToString() {
    Kubeconfig token = Kubeconfig.of("a", "https://x", ca.certificatePem(), "u", new Kubeconfig.Token("s3cr3t"));
    assertThat(token.toString()).doesNotContain("s3cr3t");
    assertThat(certConfig().toString()).doesNotContain(admin.keyPem()).doesNotContain(Pem.encodePrivateKeyTraditional(admin.key()));
    assertThat(token.render()).contains("token: \"s3cr3t\"").doesNotContain("client-key-data");
  }

  @Test
  void fileIsOwnerOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/kubeconfig");
    certConfig().write(file);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    // rewriting keeps the mode and replaces the content
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Kubeconfig.of("alpha", "https://h:1", ca.certificatePem(), "u", new Kubeconfig.Token("t")).write(file);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).contains("https://h:1");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).hasSize(1); // no temporary file left behind
    }
  }

  @Test
  void kubectlParsesIt(@TempDir Path dir) throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on PATH; kubeconfig not checked with kubectl");
    Path certFile = dir.resolve("cert.kubeconfig");
    certConfig().withNamespace("ns1").write(certFile);
    String view = run(kubectl.get().toString(), "config", "view", "--kubeconfig", certFile.toString(), "--raw",
        "-o", "jsonpath={.clusters[0].cluster.server} {.users[0].user.client-key-data} {.contexts[0].context.namespace}");
    String[] parts = view.split(" ");
    assertThat(parts[0]).isEqualTo("https://127.0.0.1:6443");
    assertThat(new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.US_ASCII)).isEqualTo(Pem.encodePrivateKeyTraditional(admin.key()));
    assertThat(parts[2]).isEqualTo("ns1");

    Path tokenFile = dir.resolve("token.kubeconfig");
    Kubeconfig.of("alpha", "https://127.0.0.1:6443", ca.certificatePem(), "bot", new Kubeconfig.Token("abc.def"))
        .write(tokenFile);
    assertThat(run(kubectl.get().toString(), "config", "view", "--kubeconfig", tokenFile.toString(), "--raw",
        "-o", "jsonpath={.users[0].user.token}")).isEqualTo("abc.def");
    assertThat(run(kubectl.get().toString(), "config", "current-context", "--kubeconfig", tokenFile.toString()).trim())
        .isEqualTo("bot@alpha");
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
