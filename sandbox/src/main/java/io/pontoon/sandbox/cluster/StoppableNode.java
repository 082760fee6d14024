package io.pontoon.sandbox.cluster;

/** A simulated node whose kubelet can be stopped and started, as in a network partition. */
public interface StoppableNode {
  String nodeName();

  /** Stops heartbeats and pod handling; the node's containers keep running. */
  void stopKubelet();

  /** Resumes heartbeats and reconciles pods again. */
  void startKubelet();

  boolean kubeletStopped();
}
