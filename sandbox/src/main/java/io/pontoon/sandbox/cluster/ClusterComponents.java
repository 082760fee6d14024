package io.pontoon.sandbox.cluster;

import java.util.ArrayList;
import java.util.List;

/** The components of a sandbox cluster, in start order. */
final class ClusterComponents {
  private ClusterComponents() {}

  static List<ClusterComponent> of(ClusterSpec spec) {
    List<ClusterComponent> list = new ArrayList<>();
    list.add(new io.pontoon.sandbox.cluster.controllers.ReplicaSetController());
    list.add(new io.pontoon.sandbox.cluster.controllers.DeploymentController());
    list.add(new io.pontoon.sandbox.cluster.controllers.EndpointSliceController());
    list.add(new io.pontoon.sandbox.cluster.controllers.RootCaPublisher());
    return list;
  }
}
