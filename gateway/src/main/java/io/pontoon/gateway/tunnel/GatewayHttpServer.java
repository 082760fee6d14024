package io.pontoon.gateway.tunnel;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code /metrics} (Prometheus text) and {@code /healthz} (200 while the controller reconciled
 * recently, else 503) on a plain JDK HTTP server: two tiny endpoints need no event loop.
 */
public final class GatewayHttpServer implements AutoCloseable {
  private final HttpServer server;

  public GatewayHttpServer(String host, int port, PrometheusMeterRegistry registry,
      Supplier<java.util.Optional<Instant>> lastReconciled, Duration healthyWithin) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port
          + " for /metrics; choose another --metrics-port", e);
    }
    server.createContext("/metrics", ex -> answer(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
    server.createContext("/healthz", ex -> {
      boolean ok = lastReconciled.get()
          .map(t -> Duration.between(t, Instant.now()).compareTo(healthyWithin) < 0).orElse(false);
      answer(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "tunnel controller has not reconciled recently\n");
    });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "gateway-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
