package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet for tests without simulated nodes: pods become Running and Ready with an
 * IP through {@code pods/status}, as a kubelet would report them.
 */
final class TestPods {
  private static final AtomicInteger NEXT_IP = new AtomicInteger(2);

  private TestPods() {}

  static PodTemplateSpec template(Map<String, String> labels, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
          .withContainers(new ContainerBuilder().withName("app").withImage(image)
              .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(8080).build()).build())
        .endSpec()
        .build();
  }

  static String nextIp() {
    int n = NEXT_IP.getAndIncrement();
    return "10.244." + (n / 250) + "." + (n % 250 + 2);
  }

  /** Running, Ready, with an IP and a node name set through the status (the node need not exist). */
  static Pod makeReady(KubernetesClient client, Pod pod) {
    return setStatus(client, pod, true);
  }

  static Pod makeRunningNotReady(KubernetesClient client, Pod pod) {
    return setStatus(client, pod, false);
  }

  /** As a kubelet would, re-reads and tries again when a controller wrote the pod meanwhile. */
  private static Pod setStatus(KubernetesClient client, Pod pod, boolean ready) {
    for (int attempt = 1; ; attempt++) {
      try {
        return trySetStatus(client, pod, ready);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) throw e;
      }
    }
  }

  private static Pod trySetStatus(KubernetesClient client, Pod pod, boolean ready) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .editStatus(p -> {
          String ip = p.getStatus().getPodIP() != null ? p.getStatus().getPodIP() : nextIp();
          p.getStatus().setPhase("Running");
          p.getStatus().setPodIP(ip);
          p.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(ip).build()));
          p.getStatus().setConditions(List.of(
              new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                  .withLastTransitionTime(now).build(),
              new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).build()));
          return p;
        });
  }

  /**
   * Every pod of a namespace that is not being deleted becomes Ready. A pod that a controller
   * deletes between the list and the status write (unbound pods go at once) is skipped.
   */
  static void makeAllReady(KubernetesClient client, String namespace) {
    for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
      if (p.getMetadata().getDeletionTimestamp() != null || PodConditions.isReady(p)) continue;
      try {
        makeReady(client, p);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
    }
  }
}
