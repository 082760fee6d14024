package io.pontoon.vk;

import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.api.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The virtual kubelet's Prometheus metrics: pods offloaded, queue depth, reconcile latency,
 * errors by reason, and the added latency of the two hops it owns (bound → ShadowPod created,
 * remote Running → home Running).
 */
public final class VkMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer reconcile;
  private final Timer boundToShadow;
  private final Counter created;
  private final Counter deleted;
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final String node;

  public VkMetrics(String node) {
    this.node = node;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    reconcile = Timer.builder("pontoon_vk_reconcile_duration")
        .description("Time to reconcile one home pod").tag("node", node)
        .publishPercentileHistogram().register(registry);
    boundToShadow = Timer.builder("pontoon_vk_bound_to_shadowpod_duration")
        .description("From the home pod's binding to the virtual node to its ShadowPod's creation")
        .tag("node", node).publishPercentileHistogram().register(registry);
    created = Counter.builder("pontoon_vk_shadowpods_created_total")
        .description("ShadowPods created on the provider").tag("node", node).register(registry);
    deleted = Counter.builder("pontoon_vk_home_pods_deleted_total")
        .description("Home pods whose deletion finished after their remote pod was gone")
        .tag("node", node).register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Wraps {@code r} so that every reconcile is timed and every failure counted. */
  public Reconciler timed(Reconciler r) {
    return key -> {
      long start = System.nanoTime();
      try {
        return r.reconcile(key);
      } catch (Exception e) {
        error(e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
            ? "HTTP" + k.getCode() : e.getClass().getSimpleName());
        throw e;
      } finally {
        reconcile.record(Duration.ofNanos(System.nanoTime() - start));
      }
    };
  }

  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder("pontoon_vk_queue_depth", depth).description("Home pods waiting to be reconciled")
        .tag("node", node).register(registry);
  }

  public void offloadedPods(Supplier<Number> count) {
    Gauge.builder("pontoon_vk_pods_offloaded", count).description("ShadowPods of this cluster on the provider")
        .tag("node", node).register(registry);
  }

  public void shadowPodCreated(Pod pod) {
    created.increment();
    Instant bound = scheduledAt(pod);
    if (bound != null) boundToShadow.record(Duration.between(bound, Instant.now()));
  }

  public void podDeleted() {
    deleted.increment();
  }

  public void error(String reason) {
    errors.computeIfAbsent(reason, r -> Counter.builder("pontoon_vk_errors_total")
        .description("Reconcile errors and refusals, by reason").tag("node", node).tag("reason", r)
        .register(registry)).increment();
  }

  private static Instant scheduledAt(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> c.getLastTransitionTime() == null ? null : Instant.parse(c.getLastTransitionTime()))
        .findFirst().orElse(null);
  }

  public String scrape() {
    return registry.scrape();
  }
}
