package io.pontoon.vk.pods;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.controller.Handlers;
import io.pontoon.api.v1alpha1.ClusterNetwork;
import io.pontoon.api.v1alpha1.NetworkConfig;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link IpRemap} for one provider, from the NetworkConfig the gateway keeps for it in
 * the provider's tenant namespace here; identity until one says otherwise. A change re-runs
 * every pod so their reported IPs follow.
 */
public final class PodIpRemaps implements Supplier<IpRemap>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodIpRemaps.class);

  private final String providerClusterId;
  private final SharedIndexInformer<NetworkConfig> configs;
  private volatile IpRemap current = IpRemap.IDENTITY;

  public PodIpRemaps(KubernetesClient home, String tenantNamespace, String providerClusterId, Runnable onChange) {
    this.providerClusterId = providerClusterId;
    this.configs = home.resources(NetworkConfig.class).inNamespace(tenantNamespace).runnableInformer(0);
    configs.addEventHandler(Handlers.onAny(c -> refresh(onChange)));
  }

  /** Starts the NetworkConfig informer; done once its cache is full. */
  public CompletionStage<Void> start() {
    return configs.start();
  }

  private void refresh(Runnable onChange) {
    IpRemap next = IpRemap.IDENTITY;
    for (NetworkConfig c : configs.getStore().list()) {
      if (c.getSpec() == null || !providerClusterId.equals(c.getSpec().getRemoteClusterID())) continue;
      ClusterNetwork remote = c.getSpec().getRemote();
      if (remote == null || remote.getPodCIDR() == null || remote.getRemappedPodCIDR() == null) continue;
      try {
        next = IpRemap.of(remote.getPodCIDR(), remote.getRemappedPodCIDR());
      } catch (IllegalArgumentException e) {
        LOG.warn("event=network-config-ignored name={} reason=\"{}\"", c.getMetadata().getName(), e.getMessage());
      }
    }
    if (!next.equals(current)) {
      current = next;
      LOG.info("event=pod-ip-remap-changed remap={}", next);
      onChange.run();
    }
  }

  @Override
  public IpRemap get() {
    return current;
  }

  @Override
  public void close() {
    configs.close();
  }
}
