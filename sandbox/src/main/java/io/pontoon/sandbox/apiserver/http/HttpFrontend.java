package io.pontoon.sandbox.apiserver.http;

import io.pontoon.sandbox.apiserver.ApiResponse;
import io.pontoon.sandbox.apiserver.Json;
import io.pontoon.sandbox.apiserver.storage.Watch;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS side of the API server on Vert.x: reads bodies (3 MiB at most, as kube-apiserver),
 * runs the handler on a worker thread, and streams watches and kubelet answers without blocking
 * the event loop.
 */
public final class HttpFrontend {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);
  public static final int MAX_BODY = 3 * 1024 * 1024;
  private static final long BOOKMARK_INTERVAL_MS = 60_000;

  /** The transport-independent request handed to the server's pipeline. */
  public record Incoming(String method, String path, Map<String, List<String>> query, String contentType,
      String accept, String authorization, List<Certificate> peerCertificates, byte[] body) {}

  /** TLS material: the server's certificate and key, the CA that signs clients, the kubelet client. */
  public record Tls(String serverCertPem, String serverKeyPem, String caPem, String kubeletClientCertPem,
      String kubeletClientKeyPem) {}

  private final Vertx vertx;
  private final Function<Incoming, ApiResponse> pipeline;
  private final Function<WatchEvent, WatchEvent> tableRenderer;
  private final BookmarkSource bookmarks;
  private final HttpClient kubeletClient;
  private HttpServer server;

  /** Queues a BOOKMARK into a watch at the current revision. */
  public interface BookmarkSource {
    void bookmark(ApiResponse.Stream stream);
  }

  public HttpFrontend(Vertx vertx, Tls tls, Function<Incoming, ApiResponse> pipeline,
      Function<WatchEvent, WatchEvent> tableRenderer, BookmarkSource bookmarks) {
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.tableRenderer = tableRenderer;
    this.bookmarks = bookmarks;
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setSsl(true)
        // kube-apiserver without --kubelet-certificate-authority does not verify kubelets either;
        // the sandbox checks the chain against its own CA but not the host name
        .setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.caPem())))
        .setKeyCertOptions(new PemKeyCertOptions()
            .addCertValue(Buffer.buffer(tls.kubeletClientCertPem()))
            .addKeyValue(Buffer.buffer(tls.kubeletClientKeyPem())))
        .setConnectTimeout(5_000);
    this.kubeletClient = vertx.createHttpClient(clientOptions);
    this.tls = tls;
  }

  private final Tls tls;

  public int listen(String host, int port) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .addCertValue(Buffer.buffer(tls.serverCertPem()))
            .addKeyValue(Buffer.buffer(tls.serverKeyPem())))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.caPem())))
        .setClientAuth(ClientAuth.REQUEST)
        .setMaxInitialLineLength(64 * 1024)
        .setMaxHeaderSize(64 * 1024)
        .setCompressionSupported(false);
    // BoringSSL costs a fraction of the JDK's TLS per record, and every watch event is a record
    if (OpenSSLEngineOptions.isAvailable()) options.setSslEngineOptions(new OpenSSLEngineOptions());
    server = vertx.createHttpServer(options).requestHandler(this::onRequest);
    try {
      server = server.listen().toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
    }
    return server.actualPort();
  }

  public void close() {
    try {
      if (server != null) server.close().toCompletionStage().toCompletableFuture().get();
      kubeletClient.close().toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      LOG.debug("close: {}", e.toString());
    }
  }

  private void onRequest(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET && "websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      onWebSocketRequest(req);
      return;
    }
    String lengthHeader = req.getHeader("Content-Length");
    if (lengthHeader != null) {
      try {
        if (Long.parseLong(lengthHeader) > MAX_BODY) {
          tooLarge(req);
          return;
        }
      } catch (NumberFormatException e) {
        // Vert.x rejects malformed Content-Length itself
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] overflow = {false};
    req.handler(chunk -> {
      if (overflow[0]) return;
      if (body.length() + chunk.length() > MAX_BODY) {
        overflow[0] = true;
        tooLarge(req);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> LOG.debug("request error: {}", e.toString()));
    req.endHandler(v -> {
      if (overflow[0]) return;
      Incoming in = new Incoming(req.method().name(), req.path(), parseQuery(req.query()),
          req.getHeader("Content-Type"), req.getHeader("Accept"), req.getHeader("Authorization"),
          peerCertificates(req), body.getBytes());
      Context ctx = vertx.getOrCreateContext();
      vertx.executeBlocking(() -> pipeline.apply(in), false).onComplete(ar -> {
        if (ar.failed()) {
          internalError(req, in, ar.cause());
          return;
        }
        respond(req, ctx, ar.result());
      });
    });
  }

  /**
   * A WebSocket upgrade, as fabric8 sends for every watch: kube-apiserver serves watches over
   * WebSocket too (one event per message). Any other answer goes back as plain HTTP. The request
   * stays paused until then, so it can still be upgraded.
   */
  private void onWebSocketRequest(HttpServerRequest req) {
    req.pause();
    Incoming in = new Incoming(req.method().name(), req.path(), parseQuery(req.query()),
        req.getHeader("Content-Type"), req.getHeader("Accept"), req.getHeader("Authorization"),
        peerCertificates(req), new byte[0]);
    Context ctx = vertx.getOrCreateContext();
    vertx.executeBlocking(() -> pipeline.apply(in), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result() instanceof ApiResponse.Stream stream) {
        req.toWebSocket()
            .onSuccess(ws -> streamWatch(ws, ctx, stream))
            .onFailure(e -> stream.watch().close());
        return;
      }
      req.resume();
      if (ar.failed()) {
        internalError(req, in, ar.cause());
        return;
      }
      respond(req, ctx, ar.result());
    });
  }

  private void streamWatch(ServerWebSocket ws, Context ctx, ApiResponse.Stream stream) {
    Watch watch = stream.watch();
    long timer = vertx.setTimer(Math.max(1, stream.timeoutSeconds()) * 1000L, id -> watch.close());
    long bookmarkTimer = stream.bookmarks()
        ? vertx.setPeriodic(BOOKMARK_INTERVAL_MS, id -> bookmarks.bookmark(stream)) : -1;
    Runnable cleanup = () -> {
      vertx.cancelTimer(timer);
      if (bookmarkTimer >= 0) vertx.cancelTimer(bookmarkTimer);
      watch.close();
    };
    Runnable pump = () -> {
      if (ws.isClosed() || ws.writeQueueFull()) return;
      for (WatchEvent e : watch.drain()) {
        WatchEvent rendered = stream.table() && e.type() != WatchEvent.Type.BOOKMARK
            && e.type() != WatchEvent.Type.ERROR ? tableRenderer.apply(e) : e;
        ws.writeTextMessage(new String(rendered.line(), StandardCharsets.UTF_8));
      }
      if (watch.isClosed()) {
        ws.close();
        cleanup.run();
      }
    };
    ws.closeHandler(v -> cleanup.run());
    ws.exceptionHandler(e -> cleanup.run());
    ws.drainHandler(v -> ctx.runOnContext(x -> pump.run()));
    watch.listen(w -> ctx.runOnContext(x -> pump.run()));
  }

  private void tooLarge(HttpServerRequest req) {
    byte[] status = Json.bytes(io.pontoon.sandbox.apiserver.Status.of(new io.pontoon.sandbox.apiserver.ApiException(
        413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728")));
    sendJson(req.response(), 413, status, List.of());
    // the rest of the body is read and dropped rather than cut off: closing a socket with unread
    // data resets it, and the client loses the 413 before it reads it
    req.handler(chunk -> { });
  }

  private static List<Certificate> peerCertificates(HttpServerRequest req) {
    try {
      return req.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException | RuntimeException e) {
      return List.of();
    }
  }

  static Map<String, List<String>> parseQuery(String query) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) return out;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
            .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
    }
    return out;
  }

  private void respond(HttpServerRequest req, Context ctx, ApiResponse response) {
    HttpServerResponse resp = req.response();
    if (response instanceof ApiResponse.Full full) {
      resp.setStatusCode(full.code());
      resp.putHeader("Content-Type", full.contentType());
      resp.putHeader("Cache-Control", "no-cache, private");
      for (String w : full.warnings()) resp.headers().add("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
      resp.end(Buffer.buffer(full.body()));
    } else if (response instanceof ApiResponse.Stream stream) {
      streamWatch(req, ctx, stream);
    } else if (response instanceof ApiResponse.KubeletProxy proxy) {
      proxyToKubelet(req, proxy);
    }
  }

  /** An unexpected failure: logged with its stack, answered as kube's 500 InternalError. */
  private static void internalError(HttpServerRequest req, Incoming in, Throwable cause) {
    LOG.error("internal error serving {} {}", in.method(), in.path(), cause);
    sendJson(req.response(), 500, Json.bytes(io.pontoon.sandbox.apiserver.Status.of(
        new io.pontoon.sandbox.apiserver.ApiException(500, "InternalError",
            "Internal error occurred: " + rootMessage(cause)))), List.of());
  }

  private static void sendJson(HttpServerResponse resp, int code, byte[] body, List<String> warnings) {
    if (resp.ended()) return;
    resp.setStatusCode(code);
    resp.putHeader("Content-Type", "application/json");
    resp.end(Buffer.buffer(body));
  }

  private void streamWatch(HttpServerRequest req, Context ctx, ApiResponse.Stream stream) {
    HttpServerResponse resp = req.response();
    Watch watch = stream.watch();
    resp.setStatusCode(200);
    resp.setChunked(true);
    resp.putHeader("Content-Type", "application/json");
    resp.putHeader("Cache-Control", "no-cache, private");
    resp.putHeader("Transfer-Encoding", "chunked");
    long timeoutMs = Math.max(1, stream.timeoutSeconds()) * 1000L;
    long timer = vertx.setTimer(timeoutMs, id -> watch.close());
    long bookmarkTimer = stream.bookmarks()
        ? vertx.setPeriodic(BOOKMARK_INTERVAL_MS, id -> bookmarks.bookmark(stream)) : -1;
    Runnable cleanup = () -> {
      vertx.cancelTimer(timer);
      if (bookmarkTimer >= 0) vertx.cancelTimer(bookmarkTimer);
      watch.close();
    };
    resp.closeHandler(v -> cleanup.run());
    resp.exceptionHandler(e -> cleanup.run());
    resp.drainHandler(v -> ctx.runOnContext(x -> pump(resp, stream, cleanup)));
    watch.listen(w -> ctx.runOnContext(x -> pump(resp, stream, cleanup)));
    // send headers at once, so a client sees the watch established before the first event
    resp.write(Buffer.buffer());
  }

  private void pump(HttpServerResponse resp, ApiResponse.Stream stream, Runnable cleanup) {
    if (resp.ended() || resp.closed()) return;
    if (resp.writeQueueFull()) return;
    List<WatchEvent> events = stream.watch().drain();
    if (!events.isEmpty()) {
      Buffer out = Buffer.buffer();
      for (WatchEvent e : events) {
        WatchEvent rendered = stream.table() && (e.type() == WatchEvent.Type.ADDED
            || e.type() == WatchEvent.Type.MODIFIED || e.type() == WatchEvent.Type.DELETED) ? tableRenderer.apply(e) : e;
        out.appendBytes(rendered.line());
      }
      resp.write(out);
    }
    if (stream.watch().isClosed() && !resp.ended()) {
      resp.end();
      cleanup.run();
    }
  }

  private void proxyToKubelet(HttpServerRequest req, ApiResponse.KubeletProxy proxy) {
    HttpServerResponse resp = req.response();
    kubeletClient.request(HttpMethod.valueOf(proxy.method()), proxy.port(), proxy.host(), proxy.pathAndQuery())
        .compose(r -> r.send())
        .onSuccess(kr -> {
          if (kr.statusCode() >= 400 && proxy.pathAndQuery().startsWith("/containerLogs/")) {
            // kube-apiserver turns a kubelet's log error into a Status that carries its text
            kr.body().onComplete(b -> {
              String text = b.succeeded() ? b.result().toString().trim() : "";
              int code = kr.statusCode();
              String reason = code == 400 ? "BadRequest" : code == 404 ? "NotFound" : code == 403 ? "Forbidden"
                  : "InternalError";
              sendJson(resp, code, Json.bytes(io.pontoon.sandbox.apiserver.Status.of(
                  new io.pontoon.sandbox.apiserver.ApiException(code, reason, text.isEmpty()
                      ? "the kubelet answered " + code : text))), List.of());
            });
            return;
          }
          resp.setStatusCode(kr.statusCode());
          String ct = kr.getHeader("Content-Type");
          resp.putHeader("Content-Type", ct == null ? "text/plain" : ct);
          resp.setChunked(true);
          kr.pipeTo(resp);
        })
        .onFailure(e -> sendJson(resp, 500, Json.bytes(io.pontoon.sandbox.apiserver.Status.of(
            new io.pontoon.sandbox.apiserver.ApiException(500, "InternalError", "Get \"https://" + proxy.host() + ":"
                + proxy.port() + proxy.pathAndQuery() + "\": " + rootMessage(e)))), List.of()));
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
