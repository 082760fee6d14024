package io.pontoon.sandbox.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * A kubeconfig with one cluster, one user and one context, as kubectl and the fabric8 client read
 * it. The CA and client credentials are embedded ({@code *-data}), so the file stands alone.
 */
public record Kubeconfig(
    String clusterName,
    String server,
    String certificateAuthorityPem,
    String userName,
    Credentials credentials,
    String contextName,
    String namespace) {

  /** How the user authenticates. */
  public sealed interface Credentials permits ClientCertificate, Token {}

  /** A client certificate and its key, both PEM. */
  public record ClientCertificate(String certificatePem, String keyPem) implements Credentials {
    public ClientCertificate {
      Objects.requireNonNull(certificatePem, "certificatePem");
      Objects.requireNonNull(keyPem, "keyPem");
    }

    public static ClientCertificate of(IssuedCertificate issued) {
      return new ClientCertificate(issued.certificatePem(), Pem.encodePrivateKeyTraditional(issued.key()));
    }

    @Override
    public String toString() {
      return "ClientCertificate[key=<redacted>]";
    }
  }

  /** A bearer token. */
  public record Token(String token) implements Credentials {
    public Token {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Token[<redacted>]";
    }
  }

  public Kubeconfig {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(certificateAuthorityPem, "certificateAuthorityPem");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(credentials, "credentials");
    if (contextName == null || contextName.isEmpty()) contextName = userName + "@" + clusterName;
    if (namespace == null) namespace = "";
  }

  /** Context named {@code <user>@<cluster>} like kubeadm's, no default namespace. */
  public static Kubeconfig of(String clusterName, String server, String caPem, String userName, Credentials credentials) {
    return new Kubeconfig(clusterName, server, caPem, userName, credentials, null, null);
  }

  public Kubeconfig withNamespace(String ns) {
    return new Kubeconfig(clusterName, server, certificateAuthorityPem, userName, credentials, contextName, ns);
  }

  public Kubeconfig withContextName(String name) {
    return new Kubeconfig(clusterName, server, certificateAuthorityPem, userName, credentials, name, namespace);
  }

  /** The YAML text. Every scalar is double-quoted so that no value can change the document's shape. */
  public String render() {
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: v1\n");
    y.append("kind: Config\n");
    y.append("clusters:\n");
    y.append("- name: ").append(q(clusterName)).append('\n');
    y.append("  cluster:\n");
    y.append("    server: ").append(q(server)).append('\n');
    y.append("    certificate-authority-data: ").append(q(b64(certificateAuthorityPem))).append('\n');
    y.append("users:\n");
    y.append("- name: ").append(q(userName)).append('\n');
    y.append("  user:\n");
    if (credentials instanceof ClientCertificate c) {
      y.append("    client-certificate-data: ").append(q(b64(c.certificatePem()))).append('\n');
      y.append("    client-key-data: ").append(q(b64(c.keyPem()))).append('\n');
    } else if (credentials instanceof Token t) {
      y.append("    token: ").append(q(t.token())).append('\n');
    }
    y.append("contexts:\n");
    y.append("- name: ").append(q(contextName)).append('\n');
    y.append("  context:\n");
    y.append("    cluster: ").append(q(clusterName)).append('\n');
    y.append("    user: ").append(q(userName)).append('\n');
    if (!namespace.isEmpty()) y.append("    namespace: ").append(q(namespace)).append('\n');
    y.append("current-context: ").append(q(contextName)).append('\n');
    y.append("preferences: {}\n");
    return y.toString();
  }

  /** Writes the file readable by its owner only (0600), replacing any previous one atomically. */
  public void write(Path file) throws IOException {
    ClusterCa.writeFile(file, render(), "rw-------");
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** A YAML double-quoted scalar (JSON string escapes are valid YAML). */
  private static String q(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }
}
