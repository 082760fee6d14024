package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Pod;

/** A pod with its requests computed once per scheduling attempt. */
public record PodInfo(Pod pod, Resources requests, Resources nonZeroRequests) {
  public static PodInfo of(Pod pod) {
    return new PodInfo(pod, Resources.requestsOf(pod), Resources.nonZeroRequestsOf(pod));
  }
}
