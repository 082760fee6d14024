package io.pontoon.vk.pods;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.controller.CompactStore;
import io.pontoon.api.controller.Handlers;
import io.pontoon.api.v1alpha1.ShadowPod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This cluster's ShadowPods on the provider, one informer per twin namespace: a consumer is
 * bound only inside its twin namespaces, never cluster-wide, so it cannot watch them all at once.
 * Each ShadowPod event names the home pod it belongs to.
 */
public final class ShadowPodCaches implements AutoCloseable {
  /** A home pod, {@code namespace/name}. */
  public record HomeKey(String namespace, String name) {
    public String key() {
      return namespace + "/" + name;
    }
  }

  private final KubernetesClient foreign;
  private final String originClusterId;
  private final Consumer<HomeKey> onEvent;
  private final Map<String, SharedIndexInformer<ShadowPod>> byNamespace = new ConcurrentHashMap<>();

  public ShadowPodCaches(KubernetesClient foreign, String originClusterId, Consumer<HomeKey> onEvent) {
    this.foreign = foreign;
    this.originClusterId = originClusterId;
    this.onEvent = onEvent;
  }

  /**
   * The ShadowPod {@code name} in {@code twinNamespace}, from a synced cache. Starts that
   * namespace's informer on first use and waits for its first list; throws when the namespace
   * cannot be listed (not there yet, or no rights in it), so the caller retries later.
   */
  public ShadowPod get(String twinNamespace, String name) {
    return informer(twinNamespace).getStore().getByKey(twinNamespace + "/" + name);
  }

  /** Every cached ShadowPod, across the namespaces watched so far. */
  public List<ShadowPod> all() {
    return byNamespace.values().stream().flatMap(i -> i.getStore().list().stream()).toList();
  }

  /**
   * How many ShadowPods are cached, from the keys: the reduced store rebuilds an object on every
   * read, which {@link #all()} would do for each of them (a metrics scrape at 10,000 pods).
   */
  public int size() {
    return byNamespace.values().stream().mapToInt(i -> i.getStore().listKeys().size()).sum();
  }

  public int watchedNamespaces() {
    return byNamespace.size();
  }

  /** Starts watching {@code twinNamespace} (idempotent); see {@link #get}. */
  public SharedIndexInformer<ShadowPod> informer(String twinNamespace) {
    SharedIndexInformer<ShadowPod> existing = byNamespace.get(twinNamespace);
    if (existing != null && existing.hasSynced()) return existing;
    synchronized (this) {
      existing = byNamespace.get(twinNamespace);
      if (existing != null && existing.hasSynced()) return existing;
      if (existing != null) existing.close();
      SharedIndexInformer<ShadowPod> informer = foreign.resources(ShadowPod.class)
          .inNamespace(twinNamespace)
          .withLabel(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, originClusterId)
          .runnableInformer(0);
      // the pod spec is the bulk of a ShadowPod and the virtual kubelet never reads it back:
      // keep what the pod loop needs, so 10,000 offloaded pods cost little memory
      informer.itemStore(new CompactStore<>(ShadowPod.class, foreign.getKubernetesSerialization(),
          "metadata", "spec.labels", "spec.originClusterID", "spec.homePodUID", "spec.homePodName", "spec.homePodNamespace", "status"));
      informer.addEventHandler(Handlers.onAny(this::announce));
      try {
        informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        informer.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while listing ShadowPods in " + twinNamespace, e);
      } catch (Exception e) {
        informer.close();
        throw new TwinNamespaceUnavailable(twinNamespace, e);
      }
      byNamespace.put(twinNamespace, informer);
      return informer;
    }
  }

  private void announce(ShadowPod s) {
    HomeKey key = homeKey(s);
    if (key != null) onEvent.accept(key);
  }

  /** The home pod a ShadowPod stands for, from its spec (or its annotations). */
  public static HomeKey homeKey(ShadowPod s) {
    String ns = s.getSpec() == null ? null : s.getSpec().getHomePodNamespace();
    String name = s.getSpec() == null ? null : s.getSpec().getHomePodName();
    Map<String, String> a = s.getMetadata().getAnnotations();
    if (ns == null && a != null) ns = a.get(PontoonNames.ANNOTATION_HOME_POD_NAMESPACE);
    if (name == null && a != null) name = a.get(PontoonNames.ANNOTATION_HOME_POD_NAME);
    return ns == null || name == null ? null : new HomeKey(ns, name);
  }

  /** Stops watching namespaces no longer needed. */
  public void forget(String twinNamespace) {
    SharedIndexInformer<ShadowPod> i = byNamespace.remove(twinNamespace);
    if (i != null) i.close();
  }

  @Override
  public void close() {
    byNamespace.values().forEach(SharedIndexInformer::close);
    byNamespace.clear();
  }

  /** The twin namespace cannot be listed: it does not exist yet, or this cluster has no rights there. */
  public static final class TwinNamespaceUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TwinNamespaceUnavailable(String namespace, Exception cause) {
      super("twin namespace " + namespace + " is not available on the provider ("
          + rootMessage(cause) + "); is the namespace offloaded (pontoon offload namespace)?", cause);
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) t = t.getCause();
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
  }
}
