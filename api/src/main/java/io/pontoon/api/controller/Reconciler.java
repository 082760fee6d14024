package io.pontoon.api.controller;

import java.time.Duration;
import java.util.Optional;

/**
 * Converges one key (usually {@code namespace/name}) to its desired state and says what to do
 * next: nothing, or look again after a while. Throwing means retry with backoff.
 */
@FunctionalInterface
public interface Reconciler {
  /** What the loop does after a reconcile. */
  record Result(Optional<Duration> requeueAfter) {
    public static Result done() {
      return new Result(Optional.empty());
    }

    public static Result after(Duration d) {
      return new Result(Optional.of(d));
    }
  }

  Result reconcile(String key) throws Exception;
}
