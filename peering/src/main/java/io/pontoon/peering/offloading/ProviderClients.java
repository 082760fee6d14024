package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.PontoonNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Clients to providers, one per ForeignCluster, built from the kubeconfig in its credentials
 * Secret and rebuilt only when that Secret changes (its resourceVersion). Short timeouts, so an
 * unreachable provider fails a reconcile quickly instead of holding a worker.
 *
 * <p>A replaced or forgotten client may still be in use by a reconcile on another thread, and a
 * request on a closed client does not fail, it waits out its timeout: such a client is retired
 * and closed only once any request it could still be serving has timed out.
 */
final class ProviderClients implements AutoCloseable {
  private static final int REQUEST_TIMEOUT_MS = 5_000;
  private record Entry(String secretVersion, KubernetesClient client) {}

  private final Map<String, Entry> clients = new HashMap<>();
  private final Set<KubernetesClient> retired = new HashSet<>();
  private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "provider-client-closer");
    t.setDaemon(true);
    return t;
  });

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
    config.setRequestTimeout(REQUEST_TIMEOUT_MS);
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    if (e != null) {
      retire(e.client());
    }
    clients.put(provider, new Entry(version, client));
    return client;
  }

  synchronized void forget(String provider) {
    Entry e = clients.remove(provider);
    if (e != null) {
      retire(e.client());
    }
  }

  private void retire(KubernetesClient client) {
    retired.add(client);
    try {
      closer.schedule(() -> {
        synchronized (this) {
          if (retired.remove(client)) client.close();
        }
      }, 2L * REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedAlready) {
      retired.remove(client);
      client.close();
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
    closer.shutdownNow();
    clients.values().forEach(e -> e.client().close());
    clients.clear();
    retired.forEach(KubernetesClient::close);
    retired.clear();
  }

  /** For tests and metrics: how many clients are in use (retired ones not counted). */
  synchronized int size() {
    return clients.size();
  }

  /** For tests: how many replaced clients wait to be closed. */
  synchronized int retiredCount() {
    return retired.size();
  }
}
