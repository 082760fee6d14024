package io.pontoon.sandbox.cluster.node;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.RunningContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the kubelet knows of one container of a pod: its current instance, the one before (for
 * {@code lastState} and {@code kubectl logs --previous}), restarts and crash-loop backoff. Only
 * the pod's worker mutates it; an exit is published through {@link Instance#exit}.
 */
final class ContainerRecord {
  /** How an instance ended. */
  record Exit(int code, Instant at) {}

  /** One run of the container. */
  static final class Instance {
    final RunningContainer handle;
    final String containerId;
    final Instant startedAt;
    final int attempt;
    volatile Exit exit;
    /** Backoff was computed for this exit. */
    boolean accounted;

    Instance(RunningContainer handle, String containerId, Instant startedAt, int attempt) {
      this.handle = handle;
      this.containerId = containerId;
      this.startedAt = startedAt;
      this.attempt = attempt;
    }

    boolean running() {
      return exit == null;
    }
  }

  final String name;
  final String image;
  final boolean init;
  volatile Instance current;
  volatile Instance previous;
  int restartCount;
  /** The delay before the next restart after a crash; doubles up to the maximum. */
  Duration backoff = Duration.ZERO;
  /** The delay being waited now, for the CrashLoopBackOff message. */
  Duration backoffShown = Duration.ZERO;
  Instant nextStartAt = Instant.EPOCH;

  ContainerRecord(String name, String image, boolean init) {
    this.name = name;
    this.image = image;
    this.init = init;
  }

  boolean running() {
    return current != null && current.running();
  }

  Optional<Exit> exit() {
    return current == null ? Optional.empty() : Optional.ofNullable(current.exit);
  }

  boolean succeeded() {
    return exit().map(e -> e.code() == 0).orElse(false);
  }
}
