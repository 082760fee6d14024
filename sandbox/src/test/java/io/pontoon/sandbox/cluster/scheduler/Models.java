package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.HashMap;
import java.util.Map;

/** Small builders of fabric8 models for unit tests. */
final class Models {
  private Models() {}

  static NodeBuilder node(String name, String cpu, String memory, int pods) {
    Map<String, Quantity> alloc = new HashMap<>(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
        "pods", new Quantity(String.valueOf(pods))));
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
        .endMetadata().withNewSpec().endSpec().withNewStatus().withAllocatable(alloc).withCapacity(alloc)
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
  }

  static Node tainted(NodeBuilder b, String key, String value, String effect) {
    return b.editSpec().addToTaints(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build())
        .endSpec().build();
  }

  static PodBuilder pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec();
  }

  static Pod podRequesting(String name, String cpu, String memory) {
    return pod(name).editSpec().editFirstContainer().withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources()
        .endContainer().endSpec().build();
  }

  static Toleration toleration(String key, String op, String value, String effect) {
    return new TolerationBuilder().withKey(key).withOperator(op).withValue(value).withEffect(effect).build();
  }
}
