package io.pontoon.vk.http;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.ServerSSLOptions;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual kubelet's two HTTP endpoints: the kubelet API on HTTPS (what the home API server
 * calls for {@code kubectl logs}; answered from the remote pod), and plain HTTP for Prometheus
 * {@code /metrics} and {@code /healthz}, {@code /readyz}. Remote calls block, so they run on
 * worker threads, never on the event loop.
 */
public final class VkHttpServers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VkHttpServers.class);

  private final Vertx vertx = Vertx.vertx();
  /** Waits for the serving certificate off the start-up path; interrupted on close. */
  private final ExecutorService certificates = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kubelet-certificate");
    t.setDaemon(true);
    return t;
  });
  private final KubernetesClient foreign;
  private final Function<String, String> twinNamespace;
  private final Supplier<String> metrics;
  private final BooleanSupplier ready;
  private HttpServer kubelet;
  private HttpServer metricsServer;

  public VkHttpServers(KubernetesClient foreign, Function<String, String> twinNamespace, Supplier<String> metrics,
      BooleanSupplier ready) {
    this.foreign = foreign;
    this.twinNamespace = twinNamespace;
    this.metrics = metrics;
    this.ready = ready;
  }

  /**
   * Starts both; {@code metricsPort} -1 starts no metrics server. Returns the kubelet port at
   * once: the endpoint serves a self-signed certificate until the one requested from the home
   * cluster's CSR API arrives (in the background), so the node need not wait for a signer.
   */
  public int start(KubernetesClient home, String nodeName, String host, int kubeletPort, int metricsPort)
      throws Exception {
    KubeletServingCertificate cert = new KubeletServingCertificate(nodeName, host);
    kubelet = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.selfSigned()))
        .requestHandler(this::kubeletRequest)
        .listen(kubeletPort, "0.0.0.0").await(30, TimeUnit.SECONDS);
    certificates.execute(() -> cert.issued(home, Duration.ofSeconds(30)).ifPresent(issued ->
        kubelet.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(issued)).onComplete(r -> {
          if (r.succeeded()) {
            LOG.info("event=kubelet-certificate-serving node={}", nodeName);
          } else {
            LOG.warn("event=kubelet-certificate-not-applied node={} error=\"{}\"", nodeName, r.cause().getMessage());
          }
        })));
    if (metricsPort >= 0) {
      metricsServer = vertx.createHttpServer().requestHandler(this::metricsRequest)
          .listen(metricsPort, "0.0.0.0").await(30, TimeUnit.SECONDS);
      LOG.info("event=metrics-listening port={}", metricsServer.actualPort());
    }
    LOG.info("event=kubelet-endpoint-listening port={}", kubelet.actualPort());
    return kubelet.actualPort();
  }

  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.actualPort();
  }

  private void metricsRequest(HttpServerRequest req) {
    switch (req.path()) {
      case "/metrics" -> vertx.executeBlocking(metrics::get).onComplete(r -> {
        if (r.succeeded()) {
          req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(r.result());
        } else {
          req.response().setStatusCode(500).end("metrics unavailable\n");
        }
      });
      case "/healthz", "/livez" -> req.response().end("ok");
      case "/readyz" -> req.response().setStatusCode(ready.getAsBoolean() ? 200 : 503)
          .end(ready.getAsBoolean() ? "ok" : "provider unreachable");
      default -> req.response().setStatusCode(404).end("not found\n");
    }
  }

  /** {@code /containerLogs/{namespace}/{pod}/{container}} with kubelet's query parameters. */
  private void kubeletRequest(HttpServerRequest req) {
    String[] parts = req.path().split("/");
    if (req.path().equals("/healthz")) {
      req.response().end("ok");
      return;
    }
    if (parts.length != 5 || !"containerLogs".equals(parts[1])) {
      req.response().setStatusCode(404).end("the virtual kubelet serves /containerLogs/{namespace}/{pod}/{container}\n");
      return;
    }
    String namespace = parts[2];
    String pod = parts[3];
    String container = parts[4];
    boolean follow = "true".equals(req.getParam("follow"));
    Integer tail = intParam(req.getParam("tailLines"));
    req.pause();
    vertx.<Void>executeBlocking(() -> {
      PodResource remote = foreign.pods().inNamespace(twinNamespace.apply(namespace)).withName(pod);
      req.response().setChunked(true).putHeader("content-type", "text/plain");
      if (!follow) {
        String log = tail == null ? remote.inContainer(container).getLog()
            : remote.inContainer(container).tailingLines(tail).getLog();
        req.response().end(log == null ? "" : log);
        return null;
      }
      try (LogWatch watch = tail == null ? remote.inContainer(container).watchLog()
          : remote.inContainer(container).tailingLines(tail).watchLog()) {
        InputStream in = watch.getOutput();
        byte[] buf = new byte[8192];
        int n;
        while (!req.response().closed() && (n = in.read(buf)) >= 0) {
          req.response().write(Buffer.buffer(java.util.Arrays.copyOf(buf, n)));
        }
      }
      if (!req.response().closed()) req.response().end();
      return null;
    }, false).onFailure(e -> {
      if (req.response().ended() || req.response().closed()) return;
      int code = e instanceof KubernetesClientException k && k.getCode() > 0 ? k.getCode() : 502;
      req.response().setStatusCode(code).end("cannot read logs of " + namespace + "/" + pod + "/" + container
          + " from the provider: " + e.getMessage() + "\n");
    });
  }

  private static Integer intParam(String s) {
    try {
      return s == null ? null : Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void close() {
    certificates.shutdownNow();
    vertx.close().await();
  }
}
