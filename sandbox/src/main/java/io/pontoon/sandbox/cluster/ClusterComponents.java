package io.pontoon.sandbox.cluster;

import io.pontoon.sandbox.cluster.controllers.DeploymentController;
import io.pontoon.sandbox.cluster.controllers.EndpointSliceController;
import io.pontoon.sandbox.cluster.controllers.NodeLifecycleController;
import io.pontoon.sandbox.cluster.controllers.ReplicaSetController;
import io.pontoon.sandbox.cluster.controllers.RootCaPublisher;
import io.pontoon.sandbox.cluster.node.NodeHost;
import io.pontoon.sandbox.cluster.node.SimulatedNode;
import io.pontoon.sandbox.cluster.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;

/** The components of a sandbox cluster, in start order (they close in reverse). */
final class ClusterComponents {
  private ClusterComponents() {}

  static List<ClusterComponent> of(ClusterSpec spec) {
    List<ClusterComponent> list = new ArrayList<>();
    // nodes: one shared host (threads, Vert.x, work queue) first, so it closes after them
    NodeHost nodeHost = new NodeHost(spec.nodes());
    list.add(nodeHost);
    List<StoppableNode> nodes = new ArrayList<>();
    for (int i = 1; i <= spec.nodes(); i++) {
      SimulatedNode node = new SimulatedNode(nodeHost, i, spec.nodeName(i));
      nodes.add(node);
      list.add(node);
    }
    list.add(new NodeControl(nodes));
    // kube-scheduler and the kube-controller-manager loops that matter here
    list.add(new Scheduler());
    list.add(new NodeLifecycleController());
    list.add(new ReplicaSetController());
    list.add(new DeploymentController());
    list.add(new EndpointSliceController());
    list.add(new RootCaPublisher());
    return list;
  }
}
