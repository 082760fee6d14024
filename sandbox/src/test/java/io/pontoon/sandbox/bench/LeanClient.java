package io.pontoon.sandbox.bench;

import io.fabric8.kubernetes.client.Config;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The benchmarks' load generator: prepared JSON sent over Vert.x's HTTP client, many requests in
 * flight on a pool of connections, and watches read as raw event lines. On 2 cores a client that
 * maps every object (fabric8's) takes the best part of a core from the server it measures.
 */
public final class LeanClient implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClientOptions options;
  private final URI base;
  private final String token;
  private final HttpClient requests;
  private final Semaphore inFlight;
  /** The event loops requests are sent from, in turn. */
  private final Context[] contexts;
  private final AtomicInteger next = new AtomicInteger();
  /** Held here: Vert.x closes a client nothing refers to any more. */
  private final List<HttpClient> watches = new CopyOnWriteArrayList<>();
  private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(60);

  /** What the server answered one request, and how long after it was sent. */
  public record Answer(int status, long nanos, Throwable failure) {
    public boolean is(int expected) {
      return failure == null && status == expected;
    }

    @Override
    public String toString() {
      return failure != null ? failure.toString() : "HTTP " + status;
    }
  }

  /** A client for the API server {@code config} names (CA, and a bearer token or client certificate). */
  public LeanClient(Config config, int maxInFlight) throws IOException {
    base = URI.create(config.getMasterUrl());
    token = config.getOauthToken();
    options = new HttpClientOptions().setSsl(true).setKeepAlive(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem(config.getCaCertData(),
            config.getCaCertFile()))));
    if (config.getClientCertData() != null || config.getClientCertFile() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(pem(config.getClientCertData(), config.getClientCertFile())))
          .addKeyValue(Buffer.buffer(pem(config.getClientKeyData(), config.getClientKeyFile()))));
    }
    if (OpenSSLEngineOptions.isAvailable()) options.setSslEngineOptions(new OpenSSLEngineOptions());
    requests = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxInFlight));
    inFlight = new Semaphore(maxInFlight);
    // outside a Vert.x thread each call makes a context on the next event loop
    contexts = new Context[2];
    for (int i = 0; i < contexts.length; i++) contexts[i] = vertx.getOrCreateContext();
  }

  private Context nextContext() {
    return contexts[Math.floorMod(next.getAndIncrement(), contexts.length)];
  }

  private static String pem(String base64Data, String file) throws IOException {
    if (base64Data != null) return new String(Base64.getDecoder().decode(base64Data), StandardCharsets.UTF_8);
    return Files.readString(Path.of(file));
  }

  /**
   * Sends one request once fewer than the maximum are in flight (waiting here until then), telling
   * {@code sending} the System.nanoTime() it goes out at; the future completes with the answer,
   * whose body is read and dropped.
   */
  public CompletableFuture<Answer> send(HttpMethod method, String path, Buffer body, LongConsumer sending)
      throws InterruptedException {
    inFlight.acquire();
    long t0 = System.nanoTime();
    sending.accept(t0);
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    // The steps run on an event loop: composed from this thread, a response could arrive before
    // its body handler was attached, and its body was then never seen. No connect timeout: in
    // Vert.x 5 it is also the pool's wait-queue expiry, which can complete a waiter twice.
    nextContext().runOnContext(v -> requests
        .request(options(method, path).setIdleTimeout(30_000))
        .compose(r -> body == null ? r.send() : r.send(body))
        .compose(r -> r.body().map(b -> r.statusCode()))
        .onComplete(ar -> {
          long nanos = System.nanoTime() - t0;
          answer.complete(ar.succeeded() ? new Answer(ar.result(), nanos, null) : new Answer(0, nanos, ar.cause()));
        }));
    // an answer that never comes fails the request (counted) instead of hanging the run
    answer.completeOnTimeout(new Answer(0, ANSWER_DEADLINE.toNanos(),
        new TimeoutException("no answer in " + ANSWER_DEADLINE)), ANSWER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    return answer.whenComplete((a, e) -> inFlight.release());
  }

  /** A batch of creates through this client: their round trips when answered 201, and the failures. */
  public final class Creates {
    private final List<CompletableFuture<?>> sent = new ArrayList<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failures = new AtomicInteger();

    /** POSTs {@code body}, the object {@code name}, to {@code path}; {@code sending} as in {@link #send}. */
    public void post(String path, String name, Buffer body, LongConsumer sending) throws InterruptedException {
      sent.add(send(HttpMethod.POST, path, body, sending).thenAccept(answer -> {
        if (answer.is(201)) {
          latencies.add(answer.nanos());
        } else {
          failures.incrementAndGet();
          System.err.println("create " + name + " failed: " + answer);
        }
      }));
    }

    /** Waits for every answer; fails when any create did. */
    public void awaitAll(String where) {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " of " + sent.size() + " creates failed in " + where
            + " (see stderr)");
      }
    }

    /** Request round trips of the successful creates, in nanoseconds. */
    public List<Long> latencies() {
      return latencies;
    }
  }

  public Creates creates() {
    return new Creates();
  }

  /**
   * Opens a watch ({@code path} with {@code watch=1} in its query) on a connection of its own and
   * hands every event to {@code onEvent} on an event loop (keep it short). Completes once the
   * server has answered with 200.
   */
  public CompletableFuture<Void> watch(String path, Consumer<JsonObject> onEvent) {
    HttpClient own = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(1));
    watches.add(own);
    CompletableFuture<Void> open = new CompletableFuture<>();
    // on an event loop, so the event handler is in place before the first event can arrive
    nextContext().runOnContext(v -> own.request(options(HttpMethod.GET, path)).compose(r -> r.send()).onComplete(ar -> {
      if (ar.failed()) {
        open.completeExceptionally(ar.cause());
        return;
      }
      HttpClientResponse response = ar.result();
      if (response.statusCode() != 200) {
        open.completeExceptionally(new IllegalStateException("watch " + path + ": HTTP " + response.statusCode()));
        return;
      }
      response.handler(RecordParser.newDelimited("\n", line -> {
        if (line.length() > 0) onEvent.accept(new JsonObject(line));
      }));
      open.complete(null);
    }));
    return open;
  }

  private RequestOptions options(HttpMethod method, String path) {
    RequestOptions ro = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(base.getPort())
        .setURI(path).putHeader("Content-Type", "application/json");
    if (token != null) ro.putHeader("Authorization", "Bearer " + token);
    return ro;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
