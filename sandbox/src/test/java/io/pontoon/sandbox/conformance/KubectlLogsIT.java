package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.apiserver.auth.IssuedCertificate;
import io.pontoon.sandbox.junit.SandboxExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pods/log} and {@code nodes/proxy}: the API server reaches the kubelet named in the node's
 * status over HTTPS with its kubelet client certificate; a test HTTPS server plays the kubelet.
 */
@ExtendWith(SandboxExtension.class)
class KubectlLogsIT {
  private static final List<String> LOG = List.of("starting", "listening on :8080", "GET /", "GET /health",
      "shutting down");
  @TempDir static Path dir;
  static Kubectl kubectl;
  static Vertx vertx;
  static FakeKubelet kubelet;

  /** Serves /containerLogs and /healthz; requires a client certificate from the cluster CA. */
  static final class FakeKubelet {
    final List<String> clientNames = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<HttpServerResponse> followers = new CopyOnWriteArrayList<>();
    HttpServer http;

    int start(SandboxApiServer server) throws Exception {
      IssuedCertificate serving = server.ca().issueServing(List.of("localhost"), List.of("127.0.0.1"),
          Duration.ofHours(1));
      HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(serving.certificatePem()))
              .addKeyValue(Buffer.buffer(serving.keyPem())))
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(server.ca().certificatePem())))
          .setClientAuth(ClientAuth.REQUIRED);
      http = vertx.createHttpServer(options).requestHandler(this::handle).listen().toCompletionStage()
          .toCompletableFuture().get();
      return http.actualPort();
    }

    private void handle(HttpServerRequest req) {
      try {
        X509Certificate peer = (X509Certificate) req.connection().peerCertificates().get(0);
        clientNames.add(peer.getSubjectX500Principal().getName());
      } catch (Exception e) {
        req.response().setStatusCode(401).end("Unauthorized");
        return;
      }
      requests.add(req.uri());
      String[] parts = req.path().split("/");
      if (req.path().equals("/healthz")) {
        req.response().putHeader("Content-Type", "text/plain").end("ok");
      } else if (parts.length == 5 && parts[1].equals("containerLogs")) {
        List<String> lines = LOG.stream().map(l -> parts[3] + "/" + parts[4] + ": " + l).toList();
        String tail = req.getParam("tailLines");
        if (tail != null) lines = lines.subList(Math.max(0, lines.size() - Integer.parseInt(tail)), lines.size());
        HttpServerResponse resp = req.response().putHeader("Content-Type", "text/plain").setChunked(true);
        resp.write(String.join("\n", lines) + "\n");
        if ("true".equals(req.getParam("follow"))) {
          followers.add(resp);
          resp.closeHandler(v -> followers.remove(resp));
        } else {
          resp.end();
        }
      } else {
        req.response().setStatusCode(404).end("404 page not found");
      }
    }

    /** Writes a line to every open {@code follow} stream. */
    void emit(String line) {
      followers.forEach(r -> vertx.runOnContext(v -> r.write(line + "\n")));
    }
  }

  @BeforeAll
  static void setUp(SandboxApiServer server) throws Exception {
    kubectl = Kubectl.admin(server, dir);
    vertx = Vertx.vertx();
    kubelet = new FakeKubelet();
    int port = kubelet.start(server);
    kubectl.runWithStdin("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"worker\"}}", "create",
        "-f", "-").ok();
    // status goes through the status subresource, as a kubelet writes it
    kubectl.run("patch", "node", "worker", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
            + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port + "}}}}").ok();
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          nodeName: worker
          containers: [{name: web, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: duo}
        spec:
          nodeName: worker
          containers: [{name: first, image: nginx}, {name: second, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: unscheduled}
        spec:
          containers: [{name: c, image: nginx}]
        """, "create", "-f", "-").ok();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void logsComeFromTheNodesKubelet() {
    assertThat(kubectl.run("logs", "app").ok())
        .isEqualTo("app/web: starting\napp/web: listening on :8080\napp/web: GET /\napp/web: GET /health\n"
            + "app/web: shutting down\n");
    assertThat(kubelet.requests).contains("/containerLogs/default/app/web");
    // the API server authenticates to the kubelet with its own client certificate
    assertThat(kubelet.clientNames).allMatch(n -> n.contains("CN=kube-apiserver-kubelet-client"));
  }

  @Test
  void tailLines() {
    assertThat(kubectl.run("logs", "app", "--tail=2").ok()).isEqualTo("app/web: GET /health\napp/web: shutting down\n");
    assertThat(kubelet.requests).contains("/containerLogs/default/app/web?tailLines=2");
  }

  @Test
  void containerChoice() {
    assertThat(kubectl.run("logs", "duo", "-c", "second", "--tail=1").ok()).isEqualTo("duo/second: shutting down\n");
    // without -c kubectl picks the first container and says so
    Kubectl.Result defaulted = kubectl.run("logs", "duo", "--tail=1");
    assertThat(defaulted.ok()).isEqualTo("duo/first: shutting down\n");
    assertThat(defaulted.err()).contains("Defaulted container \"first\" out of: first, second");
    assertThat(kubectl.run("logs", "duo", "-c", "third").fails()).isEqualTo("error: container third is not valid for pod duo\n");
    assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/duo/log?container=third").fails())
        .contains("Error from server (BadRequest): container third is not valid for pod duo");
    // the raw API without a container name for a two-container pod is a 400 naming the choices
    assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/duo/log").fails())
        .contains("a container name must be specified for pod duo, choose one of: [first second]");
  }

  @Test
  void unscheduledPodHasNoLogsYet() {
    Kubectl.Result r = kubectl.run("logs", "unscheduled");
    assertThat(r.ok()).isEmpty();
    assertThat(kubectl.run("logs", "missing").fails())
        .isEqualTo("error: error from server (NotFound): pods \"missing\" not found in namespace \"default\"\n");
  }

  @Test
  void followStreamsNewLines() {
    try (Kubectl.Background follow = kubectl.background("logs", "-f", "app")) {
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(follow.lines()).hasSize(5));
      await().atMost(Duration.ofSeconds(5)).until(() -> !kubelet.followers.isEmpty());
      kubelet.emit("app/web: late line 1");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(follow.lines()).hasSize(6));
      kubelet.emit("app/web: late line 2");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(follow.lines())
          .endsWith("app/web: late line 1", "app/web: late line 2"));
      assertThat(follow.isAlive()).isTrue();
    }
    assertThat(kubelet.requests).contains("/containerLogs/default/app/web?follow=true");
  }

  @Test
  void nodeProxyReachesTheKubelet() {
    assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/worker/proxy/healthz").ok()).isEqualTo("ok");
    assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/nowhere/proxy/healthz").fails())
        .contains("Error from server (NotFound): nodes \"nowhere\" not found");
  }
}
