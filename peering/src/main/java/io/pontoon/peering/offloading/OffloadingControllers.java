package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.peering.webhook.PodOffloadingWebhook;
import io.pontoon.peering.webhook.WebhookRegistrar;
import io.pontoon.peering.webhook.WebhookTls;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place the agent wires offloading from: {@link #providerSide} (ShadowPods, twin
 * namespaces) and {@link #consumerSide} (NamespaceOffloading, optionally with the webhook). Each
 * is started with {@link Component#start()} and stopped with {@link Component#close()}.
 */
public final class OffloadingControllers {
  /** Default number of ShadowPod workers: creates are I/O-bound, so more than the cores. */
  public static final int DEFAULT_SHADOW_POD_WORKERS = 16;

  private OffloadingControllers() {}

  /** A startable, closable group of controllers. */
  public interface Component extends AutoCloseable {
    void start();

    @Override
    void close();
  }

  /** How the webhook listens and how the API server reaches it. */
  public record WebhookOptions(String listenHost, int listenPort, List<String> certificateHosts,
      WebhookRegistrar.Endpoint endpoint, Vertx vertx, String urlHost) {
    public WebhookOptions(String listenHost, int listenPort, List<String> certificateHosts,
        WebhookRegistrar.Endpoint endpoint, Vertx vertx) {
      this(listenHost, listenPort, certificateHosts, endpoint, vertx, null);
    }

    /**
     * Listens on {@code bindHost} (e.g. 0.0.0.0) and registers {@code https://advertiseHost:<port>},
     * the port known once bound (so 0 works).
     */
    public static WebhookOptions advertised(String bindHost, int port, String advertiseHost, Vertx vertx) {
      return new WebhookOptions(bindHost, port, List.of(advertiseHost), null, vertx, advertiseHost);
    }

    /** In a cluster: the API server calls the Service; the certificate names its DNS names. */
    public static WebhookOptions service(String bindHost, int port, WebhookRegistrar.Endpoint service, Vertx vertx) {
      String svc = service.serviceName() + "." + service.serviceNamespace();
      return new WebhookOptions(bindHost, port, List.of(svc + ".svc", svc + ".svc.cluster.local", svc), service, vertx, null);
    }

    /** Sandbox and local agents: the API server calls {@code https://host:port} directly. */
    public static WebhookOptions local(String host, int port, Vertx vertx) {
      return new WebhookOptions(host, port, List.of(host), null, vertx);
    }
  }

  public static Component providerSide(KubernetesClient client) {
    return providerSide(client, DEFAULT_SHADOW_POD_WORKERS);
  }

  public static Component providerSide(KubernetesClient client, int shadowPodWorkers) {
    return new Group(() -> List.of(
        new Started(new TwinNamespaceController(client)),
        new Started(new ShadowPodController(client, shadowPodWorkers))));
  }

  /** The NamespaceOffloading controller only (the webhook runs elsewhere, or not at all). */
  public static Component consumerSide(KubernetesClient client, ClusterIdentity home) {
    return consumerSide(client, home, null);
  }

  /** The NamespaceOffloading controller and, when {@code webhook} is given, the webhook. */
  public static Component consumerSide(KubernetesClient client, ClusterIdentity home, WebhookOptions webhook) {
    return new Group(() -> {
      List<Started> parts = new ArrayList<>();
      parts.add(new Started(new NamespaceOffloadingController(client, home)));
      if (webhook != null) {
        parts.add(new Started(new WebhookPart(client, webhook)));
      }
      return parts;
    });
  }

  /** Adapts the controllers' start()/close() to one shape. */
  private record Started(Object part) {
    void start() {
      if (part instanceof ShadowPodController c) c.start();
      else if (part instanceof TwinNamespaceController c) c.start();
      else if (part instanceof NamespaceOffloadingController c) c.start();
      else if (part instanceof WebhookPart c) c.start();
    }

    void close() {
      try {
        ((AutoCloseable) part).close();
      } catch (Exception e) {
        // closing is best effort; each part logs its own trouble
      }
    }
  }

  private static final class WebhookPart implements AutoCloseable {
    private final KubernetesClient client;
    private final WebhookOptions options;
    private PodOffloadingWebhook webhook;

    WebhookPart(KubernetesClient client, WebhookOptions options) {
      this.client = client;
      this.options = options;
    }

    void start() {
      WebhookTls tls = WebhookTls.generate(options.certificateHosts());
      webhook = new PodOffloadingWebhook(client, options.vertx(), tls);
      int port = webhook.start(options.listenHost(), options.listenPort());
      WebhookRegistrar.Endpoint endpoint = options.endpoint() != null ? options.endpoint()
          : WebhookRegistrar.Endpoint.url("https://"
              + hostForUrl(options.urlHost() != null ? options.urlHost() : options.listenHost()) + ":" + port);
      new WebhookRegistrar(client).register(endpoint, tls.caPem());
    }

    private static String hostForUrl(String host) {
      return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
      if (webhook != null) webhook.close();
    }
  }

  private static final class Group implements Component {
    private final java.util.function.Supplier<List<Started>> factory;
    private final List<Started> started = new ArrayList<>();

    Group(java.util.function.Supplier<List<Started>> factory) {
      this.factory = factory;
    }

    @Override
    public synchronized void start() {
      if (!started.isEmpty()) {
        return;
      }
      for (Started s : factory.get()) {
        try {
          s.start();
        } catch (RuntimeException e) {
          s.close();
          close();
          throw e;
        }
        started.add(s);
      }
    }

    @Override
    public synchronized void close() {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
      started.clear();
    }
  }
}
