package io.pontoon.api.v1alpha1;

/** Overall state of a NamespaceOffloading. */
public enum OffloadingPhase {
  /** Every selected cluster has its twin namespace. */
  Ready,
  /** Twin namespaces are being created. */
  InProgress,
  /** Some selected clusters failed to create the twin namespace. */
  SomeFailed,
  /** No selected cluster has the twin namespace. */
  AllFailed,
  /** The cluster selector matches no virtual node. */
  NoClusterSelected,
  /** Twin namespaces are being removed. */
  Terminating
}
