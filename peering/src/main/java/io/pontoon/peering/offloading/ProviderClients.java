package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.PontoonNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Clients to providers, one per ForeignCluster, built from the kubeconfig in its credentials
 * Secret and rebuilt only when that Secret changes (its resourceVersion). Short timeouts, so an
 * unreachable provider fails a reconcile quickly instead of holding a worker.
 */
final class ProviderClients implements AutoCloseable {
  private record Entry(String secretVersion, KubernetesClient client) {}

  private final Map<String, Entry> clients = new HashMap<>();

  /** A client for {@code provider} from {@code secret}; IllegalArgumentException when unusable. */
  synchronized KubernetesClient get(String provider, Secret secret) {
    String version = secret.getMetadata().getResourceVersion();
    Entry e = clients.get(provider);
    if (e != null && version != null && version.equals(e.secretVersion())) {
      return e.client();
    }
    String kubeconfig = kubeconfig(secret);
    Config config;
    try {
      config = Config.fromKubeconfig(kubeconfig);
    } catch (RuntimeException ex) {
      // The message of a kubeconfig parse error never contains the key material itself.
      throw new IllegalArgumentException("the kubeconfig in Secret " + secret.getMetadata().getNamespace() + "/"
          + secret.getMetadata().getName() + " is not usable: " + ex.getClass().getSimpleName());
    }
    config.setConnectionTimeout(3_000);
    config.setRequestTimeout(5_000);
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    if (e != null) {
      e.client().close();
    }
    clients.put(provider, new Entry(version, client));
    return client;
  }

  synchronized void forget(String provider) {
    Entry e = clients.remove(provider);
    if (e != null) {
      e.client().close();
    }
  }

  private static String kubeconfig(Secret secret) {
    String where = "Secret " + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    Map<String, String> data = secret.getData();
    String b64 = data == null ? null : data.get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY);
    if (b64 != null) {
      return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
    Map<String, String> plain = secret.getStringData();
    if (plain != null && plain.get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY) != null) {
      return plain.get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY);
    }
    throw new IllegalArgumentException(where + " has no key " + PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY);
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(e -> e.client().close());
    clients.clear();
  }

  /** For tests and metrics: how many clients are open. */
  synchronized int size() {
    return new HashMap<>(clients).size();
  }
}
