package io.pontoon.sandbox.cluster.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a simulated kubelet needs to run pods: a network sandbox per pod and processes for its
 * containers. The simulated runtime only pretends; the dataplane runtime makes network
 * namespaces and runs {@code command + args} as host processes inside them.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** Identifies a pod to the runtime. */
  record PodRef(String namespace, String name, String uid) {}

  /** One container to start. The image is not pulled or used. */
  record ContainerSpec(String name, List<String> command, List<String> args, Map<String, String> env,
      Path logFile) {}

  /** A started container. */
  interface RunningContainer {
    /** Completes with the exit code when the process ends (never, for a simulated container). */
    CompletableFuture<Integer> exit();

    /** SIGTERM, then SIGKILL after the grace period; completes when the process is gone. */
    CompletableFuture<Void> stop(Duration gracePeriod);
  }

  /** Creates the pod's network sandbox holding {@code podIp}; idempotent. */
  void startPodSandbox(PodRef pod, String podIp);

  RunningContainer startContainer(PodRef pod, ContainerSpec container);

  /** Removes the pod's sandbox and everything in it; idempotent. */
  void stopPodSandbox(PodRef pod);

  @Override
  void close();
}
