package io.pontoon.peering.tenant;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.peering.handshake.ProviderHandshake;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Recomputes every consumer's grant periodically, so grants follow the provider's load. */
public final class GrantRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrantRefresher.class);
  private final KubernetesClient client;
  private final ProviderHandshake provider;
  private final TenantProvisioner tenants;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "grant-refresher");
    t.setDaemon(true);
    return t;
  });

  public GrantRefresher(KubernetesClient client, ProviderHandshake provider) {
    this.client = client;
    this.provider = provider;
    this.tenants = new TenantProvisioner(client);
  }

  public void start(Duration every) {
    timer.scheduleWithFixedDelay(this::refreshAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void refreshAll() {
    try {
      var slices = client.resources(ResourceSlice.class).inAnyNamespace()
          .withLabel(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).list().getItems().stream()
          .filter(s -> s.getSpec() != null && s.getSpec().getConsumerClusterID() != null).toList();
      provider.computeGrants(slices).forEach(tenants::updateGrant);
    } catch (RuntimeException e) {
      LOG.debug("event=grant-refresh-failed error=\"{}\"", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
