package io.pontoon.peering.agent;

import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A launcher that records what the agent asked for, for tests that do not run a virtual kubelet. */
public final class RecordingLauncher implements VirtualKubeletLauncher {
  public final Map<String, Peer> running = new ConcurrentHashMap<>();
  public final List<String> stopped = new CopyOnWriteArrayList<>();

  @Override
  public void ensureRunning(Peer peer) {
    running.put(peer.clusterName(), peer);
  }

  @Override
  public void stop(String clusterName) {
    if (running.remove(clusterName) != null) stopped.add(clusterName);
  }

  @Override
  public boolean running(String clusterName) {
    return running.containsKey(clusterName);
  }

  @Override
  public void close() {
    running.clear();
  }
}
