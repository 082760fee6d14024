package io.pontoon.sandbox.apiserver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The API server's Prometheus metrics, named like kube-apiserver's where they mean the same:
 * requests by verb, resource and code, their latency, objects stored and open watches.
 */
final class ApiMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  ApiMetrics(ObjectStore store, ResourceRegistry resources) {
    Gauge.builder("apiserver_storage_revision", store, ObjectStore::revision)
        .description("The current resourceVersion of the store").register(registry);
    Gauge.builder("apiserver_storage_objects_total", () -> resources.all().stream()
            .filter(t -> t.storage() == ResourceType.Storage.STORED).mapToLong(t -> store.count(t)).sum())
        .description("Objects stored, all kinds").register(registry);
    Gauge.builder("apiserver_registered_watchers", () -> resources.all().stream()
            .mapToLong(store::watchCount).sum())
        .description("Open watches").register(registry);
  }

  /** The meters of one verb, resource and code; looked up per request, built once. */
  private record Meters(Counter requests, Timer duration) {}

  private record Key(String verb, String resource, int code) {}

  private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

  void record(String verb, String resource, int code, long nanos) {
    Meters m = meters.computeIfAbsent(new Key(verb, resource, code), this::register);
    m.requests().increment();
    if (m.duration() != null) m.duration().record(nanos, TimeUnit.NANOSECONDS);
  }

  private Meters register(Key k) {
    String res = k.resource().isEmpty() ? "nonresource" : k.resource();
    Counter requests = Counter.builder("apiserver_request_total").tag("verb", k.verb()).tag("resource", res)
        .tag("code", Integer.toString(k.code())).register(registry);
    Timer duration = k.verb().equals("watch") ? null : Timer.builder("apiserver_request_duration_seconds")
        .tag("verb", k.verb()).tag("resource", res).publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    return new Meters(requests, duration);
  }

  String scrape() {
    return registry.scrape();
  }
}
