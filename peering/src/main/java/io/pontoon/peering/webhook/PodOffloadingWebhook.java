package io.pontoon.peering.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.NamespaceOffloadingSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves AdmissionReview v1 at {@value #PATH} over HTTPS. The strategy of a pod's namespace comes
 * from an informer cache of NamespaceOffloadings, so a request never leaves memory and runs on the
 * event loop without blocking it. A namespace without a NamespaceOffloading (or one being deleted)
 * gets no patch: the pod is admitted as it is.
 */
public final class PodOffloadingWebhook implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodOffloadingWebhook.class);
  public static final String PATH = "/mutate-pod";
  private static final int MAX_BODY = 3 * 1024 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KubernetesClient client;
  private final Vertx vertx;
  private final boolean ownVertx;
  private final WebhookTls tls;
  private final AtomicLong mutated = new AtomicLong();
  private SharedIndexInformer<NamespaceOffloading> offloadings;
  private HttpServer server;

  public PodOffloadingWebhook(KubernetesClient client, Vertx vertx, WebhookTls tls) {
    this.client = client;
    this.vertx = vertx == null ? Vertx.vertx() : vertx;
    this.ownVertx = vertx == null;
    this.tls = tls;
  }

  /** Starts the cache and the server; returns the port it listens on. */
  public int start(String host, int port) {
    offloadings = client.resources(NamespaceOffloading.class).inAnyNamespace().runnableInformer(0);
    try {
      offloadings.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      HttpServerOptions options = new HttpServerOptions().setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .addCertValue(Buffer.buffer(tls.certPem()))
              .addKeyValue(Buffer.buffer(tls.keyPem())));
      server = vertx.createHttpServer(options).requestHandler(this::handle)
          .listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("webhook could not start on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    LOG.info("component=webhook listening={}:{} path={}", host, server.actualPort(), PATH);
    return server.actualPort();
  }

  public long mutatedPods() {
    return mutated.get();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals("/healthz")) {
      req.response().end("ok");
      return;
    }
    if (!req.path().equals(PATH) || req.method() != io.vertx.core.http.HttpMethod.POST) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onComplete(ar -> {
      if (ar.failed()) {
        req.response().setStatusCode(400).end();
        return;
      }
      if (ar.result().length() > MAX_BODY) {
        req.response().setStatusCode(413).end();
        return;
      }
      try {
        byte[] answer = review(ar.result().getBytes());
        req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(answer));
      } catch (IllegalArgumentException e) {
        req.response().setStatusCode(400).putHeader("Content-Type", "text/plain")
            .end("bad AdmissionReview: " + e.getMessage());
      }
    });
  }

  byte[] review(byte[] body) {
    JsonNode review;
    try {
      review = MAPPER.readTree(body);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    JsonNode request = review.path("request");
    String uid = request.path("uid").asText("");
    if (uid.isEmpty()) {
      throw new IllegalArgumentException("request.uid is missing");
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("apiVersion", "admission.k8s.io/v1");
    out.put("kind", "AdmissionReview");
    ObjectNode response = out.putObject("response");
    response.put("uid", uid);
    response.put("allowed", true);
    String namespace = request.path("namespace").asText("");
    boolean isPodCreate = "pods".equals(request.path("resource").path("resource").asText())
        && request.path("subResource").asText("").isEmpty()
        && "CREATE".equals(request.path("operation").asText());
    NamespaceOffloading nsof = namespace.isEmpty() ? null
        : offloadings.getStore().getByKey(namespace + "/" + PontoonNames.NAMESPACE_OFFLOADING_NAME);
    if (isPodCreate && nsof != null && nsof.getMetadata().getDeletionTimestamp() == null) {
      NamespaceOffloadingSpec spec = nsof.getSpec() == null ? new NamespaceOffloadingSpec() : nsof.getSpec();
      ArrayNode ops = PodMutation.patch(request.path("object"), spec.getPodOffloadingStrategy(), spec.getClusterSelector());
      if (!ops.isEmpty()) {
        response.put("patchType", "JSONPatch");
        response.put("patch", Base64.getEncoder().encodeToString(ops.toString().getBytes(StandardCharsets.UTF_8)));
        mutated.incrementAndGet();
        LOG.debug("component=webhook namespace={} pod={} strategy={} ops={}", namespace,
            request.path("name").asText(request.path("object").path("metadata").path("generateName").asText()),
            spec.getPodOffloadingStrategy(), ops.size());
      }
    }
    try {
      return MAPPER.writeValueAsBytes(out);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("component=webhook closeError=\"{}\"", e.toString());
      }
    }
    if (offloadings != null) {
      offloadings.close();
    }
    if (ownVertx) {
      vertx.close();
    }
  }
}
