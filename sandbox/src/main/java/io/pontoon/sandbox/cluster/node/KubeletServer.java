package io.pontoon.sandbox.cluster.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.pontoon.sandbox.apiserver.auth.ClusterCa;
import io.pontoon.sandbox.apiserver.auth.IssuedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet's HTTPS endpoint, as the API server's {@code pods/log} and {@code nodes/proxy} reach
 * it: {@code /healthz}, {@code /pods} and {@code /containerLogs/{ns}/{pod}/{container}} with
 * {@code follow}, {@code tailLines}, {@code timestamps}, {@code limitBytes}, {@code previous},
 * {@code sinceSeconds} and {@code sinceTime}. Clients must present a certificate of the cluster
 * CA. Files are read on worker threads, never on the event loop.
 */
final class KubeletServer {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
  private static final long FOLLOW_POLL_MS = 100;

  private final Vertx vertx;
  private final String nodeName;
  private final Kubelet kubelet;
  private final ObjectMapper json = new ObjectMapper();
  private HttpServer server;

  KubeletServer(Vertx vertx, String nodeName, Kubelet kubelet) {
    this.vertx = vertx;
    this.nodeName = nodeName;
    this.kubelet = kubelet;
  }

  /** Listens on {@code host}, port chosen by the system; returns the port. */
  int listen(ClusterCa ca, String host) {
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    if (!ips.contains(host) && !host.equals("0.0.0.0")) ips.add(host);
    IssuedCertificate serving = ca.issueServing(List.of(nodeName, "localhost"), ips, Duration.ofDays(365));
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(0).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(serving.certificatePem()))
            .addKeyValue(Buffer.buffer(serving.keyPem())))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem())))
        .setClientAuth(ClientAuth.REQUIRED);
    try {
      server = vertx.createHttpServer(options).requestHandler(this::handle).listen().toCompletionStage()
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("kubelet of " + nodeName + " cannot listen on " + host + ": " + e, e);
    }
    return server.actualPort();
  }

  void close() {
    if (server == null) return;
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("node={} kubeletServer=close error=\"{}\"", nodeName, e.toString());
    }
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (req.method() != HttpMethod.GET) {
      text(req.response(), 405, "method not allowed\n");
    } else if (path.equals("/healthz")) {
      text(req.response(), 200, "ok");
    } else if (path.equals("/pods") || path.equals("/pods/")) {
      vertx.executeBlocking(() -> json.writeValueAsBytes(new PodListBuilder().withNewMetadata().endMetadata()
          .withItems(kubelet.pods()).build()), false)
          .onSuccess(b -> req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
              .end(Buffer.buffer(b)))
          .onFailure(e -> text(req.response(), 500, e.toString()));
    } else if (path.startsWith("/containerLogs/")) {
      containerLogs(req, path.substring("/containerLogs/".length()).split("/"));
    } else {
      text(req.response(), 404, "404 page not found\n");
    }
  }

  private static void text(HttpServerResponse resp, int status, String body) {
    resp.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }

  private void containerLogs(HttpServerRequest req, String[] parts) {
    if (parts.length != 3) {
      text(req.response(), 400, "expected /containerLogs/{namespace}/{pod}/{container}\n");
      return;
    }
    String ns = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    String pod = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
    String container = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
    LogOptions opts;
    try {
      opts = LogOptions.from(req::getParam, Instant.now());
    } catch (IllegalArgumentException e) {
      text(req.response(), 400, e.getMessage() + "\n");
      return;
    }
    Object target = kubelet.logTarget(ns, pod, container, opts.previous());
    if (!(target instanceof Kubelet.LogTarget t)) {
      text(req.response(), String.valueOf(target).endsWith("not found") && !opts.previous() ? 404 : 400,
          target + "\n");
      return;
    }
    HttpServerResponse resp = req.response();
    resp.setStatusCode(200).putHeader("Content-Type", "text/plain").setChunked(true);
    LogReader reader = new LogReader(t.file(), opts);
    vertx.executeBlocking(reader::readInitial, false).onComplete(ar -> {
      if (ar.failed()) {
        resp.end();
        return;
      }
      if (ar.result().length() > 0) resp.write(ar.result());
      if (!opts.follow() || reader.limitReached()) {
        resp.end();
      } else {
        follow(resp, reader, ns, pod, container, t);
      }
    });
  }

  /** Polls the file on a worker until the container instance ends, the limit is hit or the client goes. */
  private void follow(HttpServerResponse resp, LogReader reader, String ns, String pod, String container,
      Kubelet.LogTarget target) {
    boolean[] closed = new boolean[1];
    resp.closeHandler(v -> closed[0] = true);
    vertx.setPeriodic(FOLLOW_POLL_MS, id -> {
      if (closed[0] || resp.ended()) {
        vertx.cancelTimer(id);
        return;
      }
      boolean writing = kubelet.stillWriting(ns, pod, container, target.file());
      vertx.executeBlocking(reader::readMore, false).onComplete(ar -> {
        if (closed[0] || resp.ended()) return;
        if (ar.succeeded() && ar.result().length() > 0) resp.write(ar.result());
        if (ar.failed() || reader.limitReached() || !writing) {
          vertx.cancelTimer(id);
          resp.end();
        }
      });
    });
  }
}
