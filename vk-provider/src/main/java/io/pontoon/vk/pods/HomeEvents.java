package io.pontoon.vk.pods;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Events about home pods, so {@code kubectl describe pod} says what the virtual kubelet did. */
public final class HomeEvents {
  private static final Logger LOG = LoggerFactory.getLogger(HomeEvents.class);
  static final String COMPONENT = "pontoon-virtual-kubelet";

  private final KubernetesClient home;
  private final String nodeName;

  public HomeEvents(KubernetesClient home, String nodeName) {
    this.home = home;
    this.nodeName = nodeName;
  }

  public void warning(Pod pod, String reason, String message) {
    record(pod, "Warning", reason, message);
  }

  public void normal(Pod pod, String reason, String message) {
    record(pod, "Normal", reason, message);
  }

  private void record(Pod pod, String type, String reason, String message) {
    String now = Instant.now().toString();
    Event event = new EventBuilder()
        .withNewMetadata()
        .withName(pod.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
        .withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1").withKind("Pod")
        .withName(pod.getMetadata().getName())
        .withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
        .withReportingComponent(COMPONENT).withReportingInstance(nodeName)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      home.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // an event is information, never a reason to fail the reconcile
      LOG.debug("event=record-failed pod={}/{} reason={} error=\"{}\"", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
