package io.pontoon.peering.foreigncluster;

/**
 * Runs one {@code pontoon virtual-kubelet} per outgoing peering. The agent calls
 * {@link #ensureRunning} on every reconcile of an authenticated peering (so it must be cheap and
 * idempotent) and {@link #stop} on unpeer. In a real cluster an implementation makes a
 * Deployment; in the sandbox {@link LocalProcessLauncher} runs a child process.
 */
public interface VirtualKubeletLauncher extends AutoCloseable {

  /**
   * One peering's virtual kubelet.
   *
   * @param credentialsSecret {@code <tenant-namespace>/pontoon-peer-credentials} in the home cluster
   */
  record Peer(String clusterId, String clusterName, String credentialsSecret, String nodeName) {}

  void ensureRunning(Peer peer);

  void stop(String clusterName);

  boolean running(String clusterName);

  /** Stops every virtual kubelet this launcher started. */
  @Override
  void close();

  /** For agents that run no virtual kubelet (tests of other parts, or one managed elsewhere). */
  static VirtualKubeletLauncher none() {
    return new VirtualKubeletLauncher() {
      @Override
      public void ensureRunning(Peer peer) {}

      @Override
      public void stop(String clusterName) {}

      @Override
      public boolean running(String clusterName) {
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
