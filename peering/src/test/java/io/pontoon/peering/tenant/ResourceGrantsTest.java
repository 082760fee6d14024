package io.pontoon.peering.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pontoon.api.PontoonNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceGrantsTest {
  static Node node(String name, boolean virtual) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels(virtual ? Map.of(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE) : Map.of()).endMetadata()
        .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
        .addToAllocatable("pods", new Quantity("110")).endStatus().build();
  }

  static Pod pod(String node, String cpu, String phase, String origin) {
    return new PodBuilder().withNewMetadata().withName("p").addToLabels(origin == null ? Map.of()
            : Map.of(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin)).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
        .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi")).endResources()
        .endContainer().endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }

  @Test
  void grantsAShareOfFreeAllocatableOfRealNodes() {
    var g = ResourceGrants.grant(List.of(node("n1", false), node("n2", false), node("v", true)),
        List.of(pod("n1", "2", "Running", null), pod("n1", "4", "Succeeded", null), pod("v", "6", "Running", null)),
        50, null, "consumer");
    assertThat(g.get("cpu")).isEqualTo(new Quantity("7000m"));
    assertThat(g.get("memory")).isEqualTo(new Quantity("32256Mi"));
    assertThat(g.get("pods")).isEqualTo(new Quantity("109"));
  }

  @Test
  void isCappedByTheRequestAndIgnoresTheConsumersOwnPods() {
    var g = ResourceGrants.grant(List.of(node("n1", false)), List.of(pod("n1", "4", "Running", "consumer")), 100,
        Map.of("cpu", new Quantity("3")), "consumer");
    assertThat(g.get("cpu")).isEqualTo(new Quantity("3000m"));
    var full = ResourceGrants.grant(List.of(node("n1", false)), List.of(pod("n1", "10", "Running", null)), 50, null, "x");
    assertThat(full.get("cpu")).isEqualTo(new Quantity("0m"));
  }
}
