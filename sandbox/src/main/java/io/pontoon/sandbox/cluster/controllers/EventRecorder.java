package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events about objects, as client-go's recorder does; failures are only logged. */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String component;

  EventRecorder(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    Instant now = Instant.now();
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    String ns = about.getMetadata().getNamespace();
    try {
      client.v1().events().inNamespace(ns).resource(new EventBuilder()
          .withNewMetadata()
            .withName(about.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                + now.getNano() % 1_000_000))
            .withNamespace(ns)
          .endMetadata()
          .withNewInvolvedObject()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withNamespace(ns)
            .withName(about.getMetadata().getName())
            .withUid(about.getMetadata().getUid())
            .withResourceVersion(about.getMetadata().getResourceVersion())
          .endInvolvedObject()
          .withType(type)
          .withReason(reason)
          .withMessage(message)
          .withNewSource().withComponent(component).endSource()
          .withReportingComponent(component)
          .withFirstTimestamp(ts)
          .withLastTimestamp(ts)
          .withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.debug("component={} event={} object={}/{} error=\"{}\"", component, reason, ns,
          about.getMetadata().getName(), e.getMessage());
    }
  }
}
