package io.pontoon.peering.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import org.junit.jupiter.api.Test;

class PodMutationTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s.replace('\'', '"'));
  }

  @Test
  void remoteOnABarePodAddsTolerationsAndAffinity() throws Exception {
    ArrayNode ops = PodMutation.patch(json("{'spec':{'containers':[{'name':'a'}]}}"), PodOffloadingStrategy.Remote, null);
    assertThat(ops).hasSize(2);
    assertThat(ops.get(0).path("path").asText()).isEqualTo("/spec/tolerations");
    assertThat(ops.get(0).path("value")).hasSize(3);
    assertThat(ops.get(1).path("path").asText()).isEqualTo("/spec/affinity");
    assertThat(ops.get(1).path("value").toString())
        .isEqualTo("{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':"
            .replace('\'', '"') + "[{\"matchExpressions\":[{\"key\":\"pontoon.io/type\",\"operator\":\"In\",\"values\":[\"virtual-node\"]}]}]}}}");
  }

  @Test
  void remoteReplacesDefaultEvictionTolerationsAndKeepsOthers() throws Exception {
    JsonNode pod = json("{'spec':{'tolerations':["
        + "{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':300},"
        + "{'key':'x','operator':'Exists'}]}}");
    ArrayNode ops = PodMutation.patch(pod, PodOffloadingStrategy.Remote, null);
    JsonNode tolerations = ops.get(0).path("value");
    assertThat(tolerations).hasSize(4);
    assertThat(tolerations.toString()).doesNotContain("tolerationSeconds").contains("\"key\":\"x\"");
  }

  @Test
  void appliedTwiceTheSecondPatchIsEmpty() throws Exception {
    JsonNode pod = json("{'spec':{'nodeSelector':{'a':'b'}}}");
    var selector = new NodeSelectorTermBuilder().addNewMatchExpression().withKey("region").withOperator("In")
        .withValues("eu").endMatchExpression().build();
    for (PodOffloadingStrategy s : PodOffloadingStrategy.values()) {
      JsonNode patched = apply(pod, PodMutation.patch(pod, s, selector));
      assertThat(PodMutation.patch(patched, s, selector)).as(s.name()).isEmpty();
    }
  }

  @Test
  void existingAffinityKeepsItsOtherPartsAndTermsAreAnded() throws Exception {
    JsonNode pod = json("{'spec':{'affinity':{'podAntiAffinity':{'x':1},'nodeAffinity':{"
        + "'preferredDuringSchedulingIgnoredDuringExecution':[{'weight':1}],"
        + "'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'k','operator':'Exists'}]}]}}}}}");
    ArrayNode ops = PodMutation.patch(pod, PodOffloadingStrategy.Local, null);
    assertThat(ops).singleElement().satisfies(op -> {
      assertThat(op.path("path").asText()).isEqualTo("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution");
      assertThat(op.path("value").path("nodeSelectorTerms")).hasSize(1);
      assertThat(op.path("value").path("nodeSelectorTerms").get(0).path("matchExpressions")).hasSize(2);
    });
  }

  @Test
  void localAndRemoteWithASelectorAllowsLocalOrSelectedVirtualNodes() throws Exception {
    var selector = new NodeSelectorTermBuilder().addNewMatchExpression().withKey("region").withOperator("In")
        .withValues("eu").endMatchExpression().build();
    ArrayNode ops = PodMutation.patch(json("{'spec':{}}"), PodOffloadingStrategy.LocalAndRemote, selector);
    JsonNode terms = ops.get(1).path("value").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
        .path("nodeSelectorTerms");
    assertThat(terms).hasSize(2);
    assertThat(terms.get(0).toString()).contains("NotIn");
    assertThat(terms.get(1).toString()).contains("\"In\"").contains("region");
  }

  /** Applies our "add" operations (the only kind PodMutation emits). */
  private static JsonNode apply(JsonNode pod, ArrayNode ops) {
    JsonNode copy = pod.deepCopy();
    for (JsonNode op : ops) {
      String[] parts = op.path("path").asText().substring(1).split("/");
      com.fasterxml.jackson.databind.node.ObjectNode parent = (com.fasterxml.jackson.databind.node.ObjectNode) copy;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = (com.fasterxml.jackson.databind.node.ObjectNode) parent.get(parts[i]);
      }
      parent.set(parts[parts.length - 1], op.path("value"));
    }
    return copy;
  }
}
