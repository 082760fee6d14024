package io.pontoon.sandbox.cluster.scheduler;

/**
 * What the pods bound (or assumed) to a node already take.
 *
 * @param nonZeroRequested requests with kube's defaults for pods without cpu/memory requests,
 *     for scoring only
 */
public record NodeUsage(Resources requested, Resources nonZeroRequested, int pods) {
  public static final NodeUsage EMPTY = new NodeUsage(Resources.ZERO, Resources.ZERO, 0);
}
