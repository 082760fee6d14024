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

  void record(String verb, String resource, int code, long nanos) {
    String res = resource.isEmpty() ? "nonresource" : resource;
    Counter.builder("apiserver_request_total").tag("verb", verb).tag("resource", res)
        .tag("code", Integer.toString(code)).register(registry).increment();
    if (!verb.equals("watch")) {
      Timer.builder("apiserver_request_duration_seconds").tag("verb", verb).tag("resource", res)
          .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(30))
          .register(registry).record(Duration.ofNanos(nanos));
    }
  }

  String scrape() {
    return registry.scrape();
  }
}
