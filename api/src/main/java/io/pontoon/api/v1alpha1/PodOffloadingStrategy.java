package io.pontoon.api.v1alpha1;

/** Where the pods of an offloaded namespace may run. */
public enum PodOffloadingStrategy {
  /** Only on local nodes. */
  Local,
  /** Only on virtual nodes. */
  Remote,
  /** On local and virtual nodes. */
  LocalAndRemote
}
