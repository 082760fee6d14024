package io.pontoon.api.v1alpha1;

/** State of one twin namespace in one provider. */
public enum TwinNamespacePhase {
  /** Requested, not yet confirmed. */
  Pending,
  /** Exists, and the consumer is bound in it. */
  Ready,
  /** The provider refused or failed; see the message. */
  Failed,
  /** Being removed. */
  Terminating
}
