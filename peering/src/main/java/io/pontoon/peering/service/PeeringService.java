package io.pontoon.peering.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.pontoon.api.PontoonNames;
import io.pontoon.peering.handshake.HandshakeSchema;
import io.pontoon.peering.handshake.Messages;
import io.pontoon.peering.handshake.PeeringException;
import io.pontoon.peering.handshake.ProviderHandshake;
import io.pontoon.peering.handshake.Reasons;
import io.pontoon.peering.identity.PeeringTls;
import io.pontoon.peering.token.TokenRefusal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peering service (HTTPS, self-signed certificate pinned by consumers):
 * {@code GET /v1/identity}, {@code POST /v1/peerings}, {@code DELETE /v1/peerings/{clusterID}}.
 * Bodies are capped at 64 KiB and checked against a strict schema before any work; answers are
 * {@code {"reason","message"}} and never carry stack traces; failed token attempts are rate
 * limited per source address; every Kubernetes call runs on a worker thread.
 */
public final class PeeringService implements AutoCloseable {
  public static final int MAX_BODY = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(PeeringService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DELETE_PATH = Pattern.compile("^/v1/peerings/([^/]{1,64})$");

  /** What the service serves; the handshake and removal are blocking and run on workers. */
  public interface Backend {
    Messages.Identity identity();

    Optional<TokenRefusal> checkToken(Messages.HandshakeRequest req);

    Messages.HandshakeResponse handshake(Messages.HandshakeRequest req);

    void remove(String consumerId, boolean keepNamespaces);
  }

  private final Vertx vertx;
  private final PeeringTls tls;
  private final Backend backend;
  private final Supplier<ClientCertVerifier> verifier;
  private final FailureRateLimiter limiter;
  private final MeterRegistry metrics;
  private HttpServer server;

  public PeeringService(Vertx vertx, PeeringTls tls, Backend backend, Supplier<ClientCertVerifier> verifier,
      FailureRateLimiter limiter, MeterRegistry metrics) {
    this.vertx = vertx;
    this.tls = tls;
    this.backend = backend;
    this.verifier = verifier;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /** A backend over a {@link ProviderHandshake}. */
  public static Backend backend(Messages.Identity identity, ProviderHandshake handshake, Duration finalizerGrace) {
    return new Backend() {
      @Override
      public Messages.Identity identity() {
        return identity;
      }

      @Override
      public Optional<TokenRefusal> checkToken(Messages.HandshakeRequest req) {
        return handshake.checkToken(req);
      }

      @Override
      public Messages.HandshakeResponse handshake(Messages.HandshakeRequest req) {
        return handshake.handle(req);
      }

      @Override
      public void remove(String consumerId, boolean keepNamespaces) {
        handshake.remove(consumerId, keepNamespaces, finalizerGrace);
      }
    };
  }

  /** Listens and returns the bound port. */
  public int start(String host, int port) throws Exception {
    HttpServerOptions opts = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(tls.certificatePem())).setKeyValue(Buffer.buffer(tls.privateKeyPem())))
        // Client certificates are optional (only DELETE needs one) and checked by ClientCertVerifier.
        .setClientAuth(ClientAuth.REQUEST)
        .setTrustOptions(TrustOptions.wrap(new AcceptAnyClient()))
        .setMaxHeaderSize(8192).setMaxInitialLineLength(2048).setMaxFormAttributeSize(1024)
        .setIdleTimeout(30).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setCompressionSupported(false).setDecompressionSupported(false);
    server = vertx.createHttpServer(opts).requestHandler(this::handle);
    server = server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    try {
      metrics.counter("pontoon_peering_requests_total", "path", pathLabel(req.path())).increment();
      String path = req.path();
      if ("/v1/identity".equals(path)) {
        if (req.method() != HttpMethod.GET) {
          error(req, 405, Reasons.INVALID_REQUEST, "use GET on /v1/identity");
          return;
        }
        respond(req, 200, backend.identity());
        return;
      }
      if ("/v1/peerings".equals(path)) {
        if (req.method() != HttpMethod.POST) {
          error(req, 405, Reasons.INVALID_REQUEST, "use POST on /v1/peerings");
          return;
        }
        handshake(req);
        return;
      }
      Matcher m = path == null ? null : DELETE_PATH.matcher(path);
      if (m != null && m.matches()) {
        if (req.method() != HttpMethod.DELETE) {
          error(req, 405, Reasons.INVALID_REQUEST, "use DELETE on /v1/peerings/{clusterID}");
          return;
        }
        unpeer(req, m.group(1));
        return;
      }
      error(req, 404, Reasons.NOT_FOUND, "no such endpoint; the peering service serves /v1/identity and /v1/peerings");
    } catch (RuntimeException e) {
      LOG.warn("event=request-failed error=\"{}\"", e.toString());
      error(req, 400, Reasons.INVALID_REQUEST, "the request could not be read");
    }
  }

  private void handshake(HttpServerRequest req) {
    String source = source(req);
    String ct = req.getHeader("Content-Type");
    if (ct != null && !ct.toLowerCase().startsWith("application/json")) {
      error(req, 415, Reasons.INVALID_REQUEST, "send the handshake as application/json");
      return;
    }
    String cl = req.getHeader("Content-Length");
    if (cl != null) {
      long len;
      try {
        len = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        error(req, 400, Reasons.INVALID_REQUEST, "Content-Length is not a number");
        return;
      }
      if (len > MAX_BODY) {
        tooLarge(req);
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(chunk -> {
      if (over[0]) return;
      if (body.length() + chunk.length() > MAX_BODY) {
        over[0] = true;
        tooLarge(req);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> LOG.debug("event=request-stream-error source={} error=\"{}\"", source, e.toString()));
    req.endHandler(v -> {
      if (over[0]) return;
      Messages.HandshakeRequest parsed;
      try {
        parsed = HandshakeSchema.parse(body.getBytes());
      } catch (PeeringException e) {
        error(req, e.status(), e.reason(), e.getMessage());
        return;
      }
      // Only well-formed requests reach a token check, so only they count against the limit.
      Duration wait = limiter.retryAfter(source);
      if (!wait.isZero()) {
        req.response().putHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
        error(req, 429, Reasons.RATE_LIMITED, "too many failed token attempts from " + source + "; retry in "
            + Math.max(1, wait.toSeconds()) + "s");
        return;
      }
      vertx.executeBlocking(() -> backend.handshake(parsed), false).onComplete(ar -> {
        if (ar.succeeded()) {
          respond(req, 200, ar.result());
          return;
        }
        Throwable t = ar.cause();
        if (t instanceof PeeringException pe) {
          if (pe.status() == 401) limiter.recordFailure(source);
          metrics.counter("pontoon_peering_handshakes_refused_total", "reason", pe.reason()).increment();
          LOG.info("event=handshake-refused source={} consumer={} reason={}", source, parsed.cluster().name(), pe.reason());
          error(req, pe.status(), pe.reason(), pe.getMessage());
        } else {
          LOG.warn("event=handshake-failed source={} consumer={} error=\"{}\"", source, parsed.cluster().name(), t.toString());
          error(req, 503, Reasons.INTERNAL, "the provider could not complete the handshake right now; retry later");
        }
      });
    });
  }

  private void unpeer(HttpServerRequest req, String clusterId) {
    if (!clusterId.matches(PontoonNames.CLUSTER_ID_PATTERN)) {
      error(req, 404, Reasons.NOT_FOUND, "no peering with that cluster ID");
      return;
    }
    List<Certificate> chain;
    try {
      chain = req.connection().peerCertificates();
    } catch (Exception e) {
      chain = null;
    }
    if (chain == null || chain.isEmpty()) {
      error(req, 401, Reasons.UNAUTHORIZED, "present the client certificate this cluster issued to you");
      return;
    }
    List<Certificate> presented = chain;
    boolean keep = "true".equals(req.getParam("keepNamespaces"));
    req.endHandler(v -> vertx.executeBlocking(() -> {
      String proven = verifier.get().tenantId(presented);
      if (!clusterId.equals(proven)) {
        throw new PeeringException(403, Reasons.UNAUTHORIZED, "only the tenant itself may end its peering");
      }
      backend.remove(clusterId, keep);
      return true;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.info("event=unpeered-by-consumer consumerID={} keepNamespaces={}", clusterId, keep);
        respond(req, 200, new Messages.ErrorBody("Unpeered", "the tenant and its rights were removed"));
      } else if (ar.cause() instanceof PeeringException pe) {
        error(req, pe.status(), pe.reason(), pe.getMessage());
      } else {
        LOG.warn("event=unpeer-failed consumerID={} error=\"{}\"", clusterId, ar.cause().toString());
        error(req, 503, Reasons.INTERNAL, "the provider could not remove the tenant right now; retry later");
      }
    }));
  }

  private void tooLarge(HttpServerRequest req) {
    req.response().putHeader("Connection", "close");
    error(req, 413, Reasons.INVALID_REQUEST, "the body is larger than " + MAX_BODY + " bytes");
  }

  private static String source(HttpServerRequest req) {
    return req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
  }

  private static String pathLabel(String path) {
    if (path == null) return "other";
    if (path.equals("/v1/identity") || path.equals("/v1/peerings")) return path;
    return path.startsWith("/v1/peerings/") ? "/v1/peerings/{id}" : "other";
  }

  private void error(HttpServerRequest req, int status, String reason, String message) {
    respond(req, status, new Messages.ErrorBody(reason, message));
  }

  private void respond(HttpServerRequest req, int status, Object body) {
    if (req.response().ended() || req.response().closed()) return;
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      status = 500;
      json = "{\"reason\":\"InternalError\",\"message\":\"cannot encode the answer\"}";
    }
    req.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(json);
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("event=close-failed error=\"{}\"", e.toString());
      }
    }
  }

  /** Accepts any client certificate at the TLS layer; {@link ClientCertVerifier} decides later. */
  private static final class AcceptAnyClient implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("server side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
