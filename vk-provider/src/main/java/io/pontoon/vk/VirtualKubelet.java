package io.pontoon.vk;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.vk.http.VkHttpServers;
import io.pontoon.vk.node.NodeController;
import io.pontoon.vk.node.ProviderCapacity;
import io.pontoon.vk.node.ProviderHealth;
import io.pontoon.vk.pods.PodController;
import io.pontoon.vk.pods.PodIpRemaps;
import io.pontoon.vk.pods.TwinNamespaces;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual kubelet: the virtual node of one provider in the home cluster, and the pods bound
 * to it kept running there as ShadowPods. Stopping it leaves the node and every remote pod in
 * place, so a restart picks up where it left.
 */
public final class VirtualKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualKubelet.class);

  private final VirtualKubeletConfig config;
  private final VkMetrics metrics;
  private final ProviderHealth health;
  private final TwinNamespaces twins;
  private final PodIpRemaps remaps;
  private final PodController pods;
  private final NodeController node;
  private final VkHttpServers http;
  private final KubernetesClient home;
  private volatile int kubeletPort;

  public VirtualKubelet(KubernetesClient home, KubernetesClient foreign, VirtualKubeletConfig config) {
    this.config = config;
    this.home = home;
    this.metrics = new VkMetrics(config.nodeName());
    this.health = new ProviderHealth(foreign, config.timings().providerProbeTimeout());
    AtomicReference<PodController> podsRef = new AtomicReference<>();
    this.twins = new TwinNamespaces(home, config.home(), config.mapping(), ns -> {
      PodController p = podsRef.get();
      if (p != null) p.enqueueNamespace(ns);
    });
    this.remaps = new PodIpRemaps(home, config.tenantNamespaceAtHome(), config.foreignClusterId(), () -> {
      PodController p = podsRef.get();
      if (p != null) p.enqueueAll();
    });
    this.pods = new PodController(home, foreign, config.home(), config.nodeName(), config.nodeIp(), twins, health,
        remaps, metrics, config.podWorkers());
    podsRef.set(pods);
    ProviderCapacity capacity = new ProviderCapacity(foreign, config.tenantNamespaceOnProvider(), config.home().id(),
        config.sharingPercentage());
    this.node = new NodeController(home, config, health, capacity, () -> kubeletPort);
    this.http = new VkHttpServers(foreign, twins::of, metrics::scrape, health::reachable);
  }

  public VirtualKubelet start() throws Exception {
    // marks the end of process start-up (JVM, flags, clients) in the log, for start-up timings
    LOG.info("event=starting node={} provider={}", config.nodeName(), config.foreignClusterName());
    // Three things start side by side, so none waits for another's class loading and round
    // trips: the kubelet endpoint (Vert.x, TLS; the node's status names its port once known),
    // the node's registration, and the pod loop. The registration needs only the provider's
    // reachability (a node is created Ready or not); pods bound to the node before the pod loop
    // runs are in its first list.
    CompletableFuture<Integer> endpoint = inBackground("kubelet-endpoint-start",
        () -> http.start(home, config.nodeName(), config.nodeIp(), config.kubeletPort(), config.metricsPort()));
    CompletableFuture<ProviderHealth.State> probed = inBackground("provider-probe", health::probe);
    CompletableFuture<Void> registered = inBackground("virtual-node-start", () -> {
      probed.join();
      node.start();
      return null;
    });
    try {
      // The pod loop's first decisions need the twin namespace mapping, the IP remap and the
      // provider's reachability. An informer whose kind is not installed fails: the default
      // mapping and no remap apply then, as before the kinds existed.
      CompletableFuture<Void> twinsSynced = twins.start().toCompletableFuture().exceptionally(e -> null);
      CompletableFuture<Void> remapsSynced = remaps.start().toCompletableFuture().exceptionally(e -> null);
      await(CompletableFuture.allOf(twinsSynced, remapsSynced, probed), "the home cluster's caches");
      pods.start();
      await(registered, "the virtual node's registration");
      kubeletPort = await(endpoint, "the kubelet endpoint");
    } catch (Exception e) {
      node.close();
      throw e;
    }
    node.refreshStatus();
    LOG.info("event=started node={} provider={} providerId={} home={} workers={} commonPoolParallelism={}",
        config.nodeName(), config.foreignClusterName(), config.foreignClusterId(), config.home().name(),
        config.podWorkers(), java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
    return this;
  }

  private static <T> CompletableFuture<T> inBackground(String thread, Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, thread);
    t.setDaemon(true);
    t.start();
    return result;
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws Exception {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException(what + " did not complete within 60 s");
    }
  }

  public VirtualKubeletConfig config() {
    return config;
  }

  public VkMetrics metrics() {
    return metrics;
  }

  public int metricsPort() {
    return http.metricsPort();
  }

  public int kubeletPort() {
    return kubeletPort;
  }

  public ProviderHealth health() {
    return health;
  }

  public int queueDepth() {
    return pods.queueDepth();
  }

  /** Stops the loops; with {@code deleteNode} also removes the virtual node (opt-in). */
  public void stop(boolean deleteNode) {
    pods.close();
    node.close();
    if (deleteNode) node.deleteNode();
    twins.close();
    remaps.close();
    http.close();
    LOG.info("event=stopped node={} nodeDeleted={}", config.nodeName(), deleteNode);
  }

  @Override
  public void close() {
    stop(false);
  }
}
