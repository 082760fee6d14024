package io.pontoon.api.v1alpha1;

/** Summary of a ForeignCluster's conditions. */
public enum ForeignClusterPhase {
  /** Known through discovery or a record, not peered. */
  Discovered,
  /** A peering step is in progress. */
  Peering,
  /** Every peering condition is True. */
  Peered,
  /** Peered, but a condition is False (API server or tunnel down, ...). */
  Degraded,
  /** Unpeer is removing what peering created. */
  Unpeering,
  /** A peering step failed; the conditions say which and why. */
  Failed
}
