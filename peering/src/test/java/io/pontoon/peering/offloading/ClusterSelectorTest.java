package io.pontoon.peering.offloading;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import org.junit.jupiter.api.Test;

class ClusterSelectorTest {
  private static final Node NODE = new NodeBuilder().withNewMetadata().withName("pontoon-eu")
      .addToLabels("region", "eu").addToLabels("size", "8").endMetadata().build();

  @Test
  void emptySelectsAllAndRequirementsAreAnded() {
    assertThat(ClusterSelector.matches(null, NODE)).isTrue();
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder().build(), NODE)).isTrue();
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder()
        .addNewMatchExpression().withKey("region").withOperator("In").withValues("eu", "us").endMatchExpression()
        .addNewMatchExpression().withKey("size").withOperator("Gt").withValues("4").endMatchExpression()
        .build(), NODE)).isTrue();
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder()
        .addNewMatchExpression().withKey("region").withOperator("In").withValues("eu").endMatchExpression()
        .addNewMatchExpression().withKey("gpu").withOperator("Exists").endMatchExpression()
        .build(), NODE)).isFalse();
  }

  @Test
  void operatorsAndFields() {
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder().addNewMatchExpression().withKey("region")
        .withOperator("NotIn").withValues("eu").endMatchExpression().build(), NODE)).isFalse();
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder().addNewMatchExpression().withKey("gpu")
        .withOperator("DoesNotExist").endMatchExpression().build(), NODE)).isTrue();
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder().addNewMatchExpression().withKey("size")
        .withOperator("Lt").withValues("x").endMatchExpression().build(), NODE)).isFalse();
    assertThat(ClusterSelector.matches(new NodeSelectorTermBuilder().addNewMatchField().withKey("metadata.name")
        .withOperator("In").withValues("pontoon-eu").endMatchField().build(), NODE)).isTrue();
  }
}
