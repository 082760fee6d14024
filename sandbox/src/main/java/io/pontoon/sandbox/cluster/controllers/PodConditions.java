package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Optional;

/** The pod predicates of k8s.io/kubernetes/pkg/api/v1/pod and controller_utils. */
final class PodConditions {
  private PodConditions() {}

  static String phase(Pod p) {
    return p.getStatus() == null || p.getStatus().getPhase() == null ? "" : p.getStatus().getPhase();
  }

  static boolean isTerminal(Pod p) {
    String phase = phase(p);
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  static boolean isTerminating(Pod p) {
    return p.getMetadata().getDeletionTimestamp() != null;
  }

  /** FilterActivePods: neither finished nor being deleted. */
  static boolean isActive(Pod p) {
    return !isTerminal(p) && !isTerminating(p);
  }

  static Optional<PodCondition> ready(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) return Optional.empty();
    return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  static boolean isReady(Pod p) {
    return ready(p).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod last became ready, if it is and says so. */
  static Optional<Instant> readySince(Pod p) {
    return ready(p).filter(c -> "True".equals(c.getStatus())).map(PodCondition::getLastTransitionTime)
        .filter(t -> t != null && !t.isEmpty()).map(PodConditions::parse);
  }

  /** Ready for at least minReadySeconds. */
  static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
    if (!isReady(p)) return false;
    if (minReadySeconds <= 0) return true;
    return readySince(p).map(t -> !t.plusSeconds(minReadySeconds).isAfter(now)).orElse(false);
  }

  static int maxRestarts(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) return 0;
    return p.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).max().orElse(0);
  }

  static Instant parse(String timestamp) {
    return Instant.parse(timestamp);
  }

  static Optional<Instant> created(Pod p) {
    String t = p.getMetadata().getCreationTimestamp();
    return t == null || t.isEmpty() ? Optional.empty() : Optional.of(parse(t));
  }
}
