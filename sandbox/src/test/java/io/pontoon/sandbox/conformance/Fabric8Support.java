package io.pontoon.sandbox.conformance;

import io.pontoon.api.controller.Handlers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared helpers of the fabric8 conformance suite: clients, small objects, error assertions. */
final class Fabric8Support {
  private Fabric8Support() {}

  /** A fabric8 client as the admin; retries off, so a test sees the server's first answer. */
  static KubernetesClient admin(SandboxApiServer server) {
    return client(server.adminConfig());
  }

  /** A fabric8 client authenticated by a client certificate with CN = user and O = groups. */
  static KubernetesClient as(SandboxApiServer server, String user, String... groups) {
    return client(server.configFor(user, List.of(groups)));
  }

  static KubernetesClient client(Config config) {
    config.setRequestRetryBackoffLimit(0);
    config.setNamespace("default");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A config with a bearer token and no client certificate, trusting the cluster CA. */
  static Config tokenConfig(SandboxApiServer server, String token) {
    Config c = server.adminConfig();
    c.setClientCertData(null);
    c.setClientKeyData(null);
    c.setClientCertFile(null);
    c.setClientKeyFile(null);
    c.setOauthToken(token);
    c.setAutoOAuthToken(token);
    return c;
  }

  static void createNamespace(KubernetesClient client, String name, Map<String, String> labels) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
  }

  static Container container(String name) {
    return new ContainerBuilder().withName(name).withImage("registry.example/" + name + ":1").build();
  }

  static Pod pod(String name, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withContainers(container("app")).endSpec().build();
  }

  static Pod podOnNode(String name, String node) {
    Pod p = pod(name, Map.of());
    p.getSpec().setNodeName(node);
    return p;
  }

  /** Runs {@code call}, expects a KubernetesClientException carrying a Status with code and reason. */
  static Status expectStatus(int code, String reason, ThrowingCallable call) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, call);
    assertThat(e).as("expected HTTP %d %s", code, reason).isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(code);
    Status s = e.getStatus();
    assertThat(s).isNotNull();
    assertThat(s.getKind()).isEqualTo("Status");
    assertThat(s.getStatus()).isEqualTo("Failure");
    assertThat(s.getCode()).isEqualTo(code);
    assertThat(s.getReason()).isEqualTo(reason);
    return s;
  }

  /** A JDK HTTP client trusting only the cluster CA, for requests fabric8 would not send. */
  static Raw raw(SandboxApiServer server) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", server.ca().certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
      return new Raw(http, server.url(), server.adminToken());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  record Raw(HttpClient http, String base, String token) {
    HttpResponse<String> send(String method, String path, String contentType, byte[] body) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
          .header("Authorization", "Bearer " + token).header("Accept", "application/json");
      if (contentType != null) b.header("Content-Type", contentType);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      try {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(method + " " + path + ": " + e, e);
      }
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) {
      return send(method, path, contentType, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
