package io.pontoon.peering.offloading;

import io.pontoon.peering.agent.AgentComponent;
import io.pontoon.peering.agent.AgentContext;
import io.pontoon.peering.webhook.WebhookRegistrar;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs offloading inside the agent: the provider side (ShadowPods, twin namespaces) and the
 * consumer side (NamespaceOffloading and the pod webhook). Every cluster runs both, since any
 * cluster may be a provider for one peer and a consumer of another.
 */
public final class OffloadingComponent implements AgentComponent {
  private static final Logger LOG = LoggerFactory.getLogger(OffloadingComponent.class);

  /**
   * Where the webhook listens and how the API server reaches it.
   *
   * @param listenPort 0 picks a free port
   * @param service the in-cluster Service in front of the webhook; null registers it by URL on the
   *     agent's advertise host
   */
  public record Webhook(int listenPort, WebhookRegistrar.Endpoint service) {
    public Webhook {
      if (listenPort < 0 || listenPort > 65535) {
        throw new IllegalArgumentException("webhook port must be 0..65535, got " + listenPort);
      }
      if (service != null && service.serviceName() == null) {
        throw new IllegalArgumentException("a Service endpoint is expected, got a URL");
      }
    }
  }

  private final Webhook webhook;
  private final List<OffloadingControllers.Component> parts = new ArrayList<>();

  /** @param webhook null runs the controllers without the webhook (pods then need the affinity themselves) */
  public OffloadingComponent(Webhook webhook) {
    this.webhook = webhook;
  }

  @Override
  public String name() {
    return "offloading";
  }

  @Override
  public synchronized void start(AgentContext ctx) {
    try {
      OffloadingControllers.Component provider = OffloadingControllers.providerSide(ctx.client());
      provider.start();
      parts.add(provider);
      OffloadingControllers.WebhookOptions options = null;
      if (webhook != null) {
        String bind = ctx.config().bindHost();
        options = webhook.service() != null
            ? OffloadingControllers.WebhookOptions.service(bind, webhook.listenPort(), webhook.service(), ctx.vertx())
            : OffloadingControllers.WebhookOptions.advertised(bind, webhook.listenPort(), ctx.config().advertiseHost(),
                ctx.vertx());
      }
      OffloadingControllers.Component consumer = OffloadingControllers.consumerSide(ctx.client(), ctx.identity(), options);
      consumer.start();
      parts.add(consumer);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("event=offloading-started webhook={}", webhook == null ? "off" : webhook.service() != null
        ? "service:" + webhook.service().serviceNamespace() + "/" + webhook.service().serviceName() : "url");
  }

  @Override
  public synchronized void close() {
    for (int i = parts.size() - 1; i >= 0; i--) {
      parts.get(i).close();
    }
    parts.clear();
  }
}
