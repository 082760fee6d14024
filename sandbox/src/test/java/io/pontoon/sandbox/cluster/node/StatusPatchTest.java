package io.pontoon.sandbox.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.patch.PatchType;
import io.pontoon.sandbox.apiserver.patch.Patches;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UID = "6f1c8a52-0d55-4b0e-9b53-2a8f3c6f7d10";

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** What the API server stores after the patch: the wanted status, with the UID kept. */
  private static ObjectNode applied(JsonNode current, JsonNode desired) throws Exception {
    ObjectNode pod = (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','uid':'" + UID + "'}}");
    pod.set("status", current);
    String patch = StatusPatch.between(UID, current, desired).orElseThrow();
    return Patches.apply(pod, patch.getBytes(StandardCharsets.UTF_8), PatchType.STRATEGIC_MERGE_PATCH, "", "Pod");
  }

  @Test
  void nothingToWriteWhenTheStatusIsWhatIsWanted() throws Exception {
    JsonNode s = json("{'phase':'Running','conditions':[{'type':'Ready','status':'True'}]}");
    assertThat(StatusPatch.between(UID, s, s.deepCopy())).isEmpty();
  }

  @Test
  void carriesTheUidAsPreconditionAndOnlyWhatChanged() throws Exception {
    JsonNode patch = json(StatusPatch.between(UID, json("{'phase':'Pending','hostIP':'10.0.0.1'}"),
        json("{'phase':'Running','hostIP':'10.0.0.1'}")).orElseThrow());
    assertThat(patch).isEqualTo(json("{'metadata':{'uid':'" + UID + "'},'status':{'phase':'Running'}}"));
  }

  @Test
  void conditionsMergeByTypeFieldsNoLongerWantedAreClearedAndOthersConditionsStay() throws Exception {
    JsonNode current = json("{'phase':'Pending','reason':'Waiting','conditions':["
        + "{'type':'PodScheduled','status':'True'},"
        + "{'type':'Ready','status':'False','reason':'ContainersNotReady','message':'containers with unready status: [app]'},"
        + "{'type':'DisruptionTarget','status':'True','reason':'Test'}],"
        + "'containerStatuses':[{'name':'app','ready':false,'state':{'waiting':{'reason':'ContainerCreating'}}}]}");
    JsonNode desired = json("{'phase':'Running','conditions':["
        + "{'type':'Ready','status':'True'},"
        + "{'type':'PodScheduled','status':'True'},"
        + "{'type':'DisruptionTarget','status':'True','reason':'Test'}],"
        + "'containerStatuses':[{'name':'app','ready':true,'state':{'running':{'startedAt':'2026-01-01T00:00:00Z'}}}]}");
    ObjectNode pod = applied(current, desired);
    assertThat(pod.get("status")).isEqualTo(desired);
    assertThat(pod.path("metadata").path("uid").asText()).isEqualTo(UID);
  }

  @Test
  void aConditionNoLongerWantedIsDeletedAndNewOnesAreAdded() throws Exception {
    JsonNode current = json("{'conditions':[{'type':'A','status':'True'},{'type':'B','status':'True'}],"
        + "'podIPs':[{'ip':'10.1.0.4'}]}");
    JsonNode desired = json("{'conditions':[{'type':'B','status':'True'},{'type':'C','status':'False'}],"
        + "'podIPs':[{'ip':'10.1.0.4'}],'podIP':'10.1.0.4'}");
    assertThat(applied(current, desired).get("status")).isEqualTo(desired);
  }

  @Test
  void aFirstStatusIsWrittenWhole() throws Exception {
    JsonNode desired = json("{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'True'}]}");
    assertThat(applied(JSON.createObjectNode(), desired).get("status")).isEqualTo(desired);
    assertThat(StatusPatch.between(UID, null, desired)).isPresent();
  }
}
