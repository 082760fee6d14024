package io.pontoon.sandbox.cluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAffinityTest {
  private static final Map<String, String> LABELS = Map.of("zone", "a", "gen", "5");

  private static NodeSelectorRequirement r(String key, String op, String... values) {
    return new NodeSelectorRequirementBuilder().withKey(key).withOperator(op).withValues(values).build();
  }

  @Test
  void operators() {
    assertThat(NodeAffinity.matches(r("zone", "In", "a", "b"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("zone", "In", "b"), LABELS)).isFalse();
    assertThat(NodeAffinity.matches(r("zone", "NotIn", "b"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("missing", "NotIn", "b"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("zone", "Exists"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("missing", "DoesNotExist"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("zone", "DoesNotExist"), LABELS)).isFalse();
    assertThat(NodeAffinity.matches(r("gen", "Gt", "4"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("gen", "Gt", "5"), LABELS)).isFalse();
    assertThat(NodeAffinity.matches(r("gen", "Lt", "6"), LABELS)).isTrue();
    assertThat(NodeAffinity.matches(r("zone", "Gt", "1"), LABELS)).as("not a number").isFalse();
    assertThat(NodeAffinity.matches(r("missing", "Lt", "1"), LABELS)).isFalse();
  }

  @Test
  void termsAreOredRequirementsAndedAndAnEmptyTermMatchesNothing() {
    NodeSelectorTerm both = new NodeSelectorTermBuilder().withMatchExpressions(r("zone", "In", "a"),
        r("gen", "In", "6")).build();
    NodeSelectorTerm fields = new NodeSelectorTermBuilder().withMatchFields(r("metadata.name", "In", "n1")).build();
    assertThat(NodeAffinity.matches(both, "n1", LABELS)).isFalse();
    assertThat(NodeAffinity.matches(fields, "n1", LABELS)).isTrue();
    assertThat(NodeAffinity.matches(fields, "n2", LABELS)).isFalse();
    assertThat(NodeAffinity.matches(new NodeSelectorTerm(), "n1", LABELS)).isFalse();
    Pod pod = Models.pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(both, fields)
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
    assertThat(NodeAffinity.matchesRequired(pod, "n1", LABELS)).isTrue();
    assertThat(NodeAffinity.matchesRequired(pod, "n2", LABELS)).isFalse();
  }

  @Test
  void nodeSelectorIsAndedWithAffinity() {
    Pod pod = Models.pod("p").editSpec().withNodeSelector(Map.of("zone", "a")).endSpec().build();
    assertThat(NodeAffinity.matchesRequired(pod, "n", LABELS)).isTrue();
    assertThat(NodeAffinity.matchesRequired(pod, "n", Map.of("zone", "b"))).isFalse();
  }

  @Test
  void preferredTermsAddTheirWeights() {
    Pod pod = Models.pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10).withNewPreference()
        .withMatchExpressions(List.of(r("zone", "In", "a"))).endPreference()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(3).withNewPreference()
        .withMatchExpressions(List.of(r("gen", "Exists"))).endPreference()
        .endPreferredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
    assertThat(NodeAffinity.preferredScore(pod, "n", LABELS)).isEqualTo(13);
    assertThat(NodeAffinity.preferredScore(pod, "n", Map.of("gen", "1"))).isEqualTo(3);
  }
}
