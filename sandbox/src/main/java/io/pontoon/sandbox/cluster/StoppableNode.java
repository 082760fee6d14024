package io.pontoon.sandbox.cluster;

/** A simulated node whose kubelet can be stopped and started, as in a network partition. */
public interface StoppableNode {
  /** The node's name. */
  String name();

  /** Stops heartbeats and pod handling; the node's containers keep running. */
  void stop();

  /** Resumes heartbeats and reconciles pods again. */
  void start();

  boolean isStopped();
}
