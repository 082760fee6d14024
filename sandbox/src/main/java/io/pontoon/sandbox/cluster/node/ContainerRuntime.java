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

  /**
   * One container to start. The image is not pulled or used. The runtime writes the container's
   * output to {@code logFile}, one line per entry in the CRI format containerd uses
   * ({@code <RFC3339Nano time> <stdout|stderr> <F|P> <text>}); the kubelet serves other lines as
   * they are, without a time.
   */
  record ContainerSpec(String name, List<String> command, List<String> args, Map<String, String> env,
      Path logFile, String image) {
    public ContainerSpec(String name, List<String> command, List<String> args, Map<String, String> env,
        Path logFile) {
      this(name, command, args, env, logFile, "");
    }
  }

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

  /**
   * Starts an init container, which the kubelet waits for to exit. A runtime with real processes
   * runs it like any other; the simulated one lets it finish at once.
   */
  default RunningContainer startInitContainer(PodRef pod, ContainerSpec container) {
    return startContainer(pod, container);
  }

  /** The node's InternalIP, where its kubelet listens and what pods see as hostIP. */
  default String nodeIp() {
    return "127.0.0.1";
  }

  /** {@code nodeInfo.containerRuntimeVersion}, as {@code <name>://<version>}. */
  default String version() {
    return "sandbox://0.1.0";
  }

  /** Removes the pod's sandbox and everything in it; idempotent. */
  void stopPodSandbox(PodRef pod);

  @Override
  void close();
}
