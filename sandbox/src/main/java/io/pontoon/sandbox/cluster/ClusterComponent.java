package io.pontoon.sandbox.cluster;

/**
 * A part of a sandbox cluster that runs next to its API server — a controller, the scheduler, a
 * simulated node — and talks to it only through the Kubernetes API, as the real ones do.
 */
public interface ClusterComponent extends AutoCloseable {
  /** A short name for logs and metrics. */
  String name();

  /** Starts watching and working; returns promptly. */
  void start(ClusterContext context);

  /** Stops; must not throw. */
  @Override
  void close();
}
