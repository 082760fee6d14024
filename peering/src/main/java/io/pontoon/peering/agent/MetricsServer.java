package io.pontoon.peering.agent;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Plain HTTP {@code /metrics} (Prometheus), {@code /healthz} and {@code /readyz}. */
public final class MetricsServer implements AutoCloseable {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private HttpServer server;

  public MetricsServer(Vertx vertx, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this.vertx = vertx;
    this.registry = registry;
    this.ready = ready;
  }

  public int start(String host, int port) throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> {
      switch (req.path()) {
        case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(registry.scrape());
        case "/healthz", "/livez" -> req.response().end("ok");
        case "/readyz" -> {
          boolean ok = ready.getAsBoolean();
          req.response().setStatusCode(ok ? 200 : 503).end(ok ? "ok" : "not ready");
        }
        default -> req.response().setStatusCode(404).end("not found");
      }
    }).listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  @Override
  public void close() {
    if (server != null) server.close();
  }
}
