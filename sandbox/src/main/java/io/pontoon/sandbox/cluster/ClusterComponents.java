package io.pontoon.sandbox.cluster;

import io.pontoon.sandbox.cluster.node.NodeHost;
import io.pontoon.sandbox.cluster.node.SimulatedNode;
import java.util.ArrayList;
import java.util.List;

/** The components of a sandbox cluster, in start order. */
final class ClusterComponents {
  private ClusterComponents() {}

  static List<ClusterComponent> of(ClusterSpec spec) {
    List<ClusterComponent> list = new ArrayList<>();
    // nodes: one shared host (threads, Vert.x, work queue) first, so it closes after them
    NodeHost nodeHost = new NodeHost(spec.nodes());
    list.add(nodeHost);
    for (int i = 1; i <= spec.nodes(); i++) list.add(new SimulatedNode(nodeHost, i, spec.nodeName(i)));
    return list;
  }
}
