package io.pontoon.sandbox.apiserver.patch;

import static io.pontoon.sandbox.apiserver.patch.Trees.bytes;
import static io.pontoon.sandbox.apiserver.patch.Trees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Patches of whole Kubernetes objects through the single entry point. */
class PatchesTest {
  private static ObjectNode strategic(ObjectNode current, String patch, String group, String kind) {
    return Patches.apply(current, bytes(patch), PatchType.STRATEGIC_MERGE_PATCH, group, kind);
  }

  private static ApiException failure(ObjectNode current, String body, PatchType type, String group, String kind) {
    return catchThrowableOfType(ApiException.class, () -> Patches.apply(current, bytes(body), type, group, kind));
  }

  private static ObjectNode deployment() {
    return obj("""
        {'apiVersion':'apps/v1','kind':'Deployment',
         'metadata':{'name':'web','namespace':'default','labels':{'app':'web'},
                     'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},
         'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},
                 'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},
                 'template':{'metadata':{'labels':{'app':'web'}},
                   'spec':{'containers':[
                     {'name':'app','image':'nginx:1.25',
                      'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],
                      'ports':[{'containerPort':80,'protocol':'TCP'}]},
                     {'name':'sidecar','image':'busybox','args':['sleep','3600']}],
                   'tolerations':[{'key':'k','operator':'Exists'}]}}},
         'status':{'replicas':2,'conditions':[
             {'type':'Available','status':'True','reason':'MinimumReplicasAvailable'},
             {'type':'Progressing','status':'True','reason':'NewReplicaSetAvailable'}]}}
        """);
  }

  @Nested
  class KubectlApplyOfADeployment {
    /** What kubectl apply sends after the image changed, env B was removed and the strategy became Recreate. */
    private static final String PATCH = """
        {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{\\'new\\':1}'}},
         'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'},
           'template':{'spec':{
             '$setElementOrder/containers':[{'name':'app'},{'name':'sidecar'}],
             'containers':[{'$setElementOrder/env':[{'name':'A'}],
                            'env':[{'$patch':'delete','name':'B'}],
                            'image':'nginx:1.27','name':'app'}]}}}}
        """;

    @Test
    void changesTheImageKeepsTheRestAndOrder() {
      ObjectNode result = strategic(deployment(), PATCH, "apps", "Deployment");
      ObjectNode app = (ObjectNode) result.at("/spec/template/spec/containers/0");
      assertThat(app.get("name").asText()).isEqualTo("app");
      assertThat(app.get("image").asText()).isEqualTo("nginx:1.27");
      assertThat(app.get("ports")).isEqualTo(obj("{'p':[{'containerPort':80,'protocol':'TCP'}]}").get("p"));
      assertThat(result.at("/spec/template/spec/containers/1")).isEqualTo(
          obj("{'name':'sidecar','image':'busybox','args':['sleep','3600']}"));
    }

    @Test
    void removesTheDeletedEnvVar() {
      ObjectNode result = strategic(deployment(), PATCH, "apps", "Deployment");
      assertThat(result.at("/spec/template/spec/containers/0/env"))
          .isEqualTo(obj("{'e':[{'name':'A','value':'1'}]}").get("e"));
    }

    @Test
    void retainKeysClearsTheRollingUpdateOfTheOldStrategy() {
      ObjectNode result = strategic(deployment(), PATCH, "apps", "Deployment");
      assertThat(result.at("/spec/strategy")).isEqualTo(obj("{'type':'Recreate'}"));
    }

    @Test
    void updatesTheAnnotationAndLeavesStatusAlone() {
      ObjectNode current = deployment();
      ObjectNode result = strategic(current, PATCH, "apps", "Deployment");
      assertThat(result.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText())
          .isEqualTo("{\"new\":1}");
      assertThat(result.get("status")).isEqualTo(current.get("status"));
      assertThat(current).isEqualTo(deployment());
    }
  }

  @Test
  void addingAContainerAndAnEnvVarByName() {
    ObjectNode result = strategic(deployment(), """
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','env':[{'name':'C','value':'3'},{'name':'A','value':'one'}]},
          {'name':'metrics','image':'exporter'}]}}}}
        """, "apps", "Deployment");
    assertThat(result.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("app");
    assertThat(result.at("/spec/template/spec/containers/1/name").asText()).isEqualTo("metrics");
    assertThat(result.at("/spec/template/spec/containers/2/name").asText()).isEqualTo("sidecar");
    // Without $setElementOrder, upstream puts the patch's items in the patch's order, and a server
    // item only ahead of a patch item that came after it in the live list.
    assertThat(result.at("/spec/template/spec/containers/0/env")).isEqualTo(
        obj("{'e':[{'name':'C','value':'3'},{'name':'A','value':'one'},{'name':'B','value':'2'}]}").get("e"));
  }

  @Test
  void nullDeletesAWholeFieldOfAContainer() {
    ObjectNode result = strategic(deployment(),
        "{'spec':{'template':{'spec':{'containers':[{'name':'app','env':null}]}}}}", "apps", "Deployment");
    assertThat(result.at("/spec/template/spec/containers/0").has("env")).isFalse();
    assertThat(result.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.25");
  }

  @Test
  void tolerationsAreReplaced() {
    ObjectNode result = strategic(deployment(),
        "{'spec':{'template':{'spec':{'tolerations':[{'key':'other','operator':'Exists'}]}}}}", "apps", "Deployment");
    assertThat(result.at("/spec/template/spec/tolerations")).isEqualTo(
        obj("{'t':[{'key':'other','operator':'Exists'}]}").get("t"));
  }

  @Test
  void statusConditionsMergeByType() {
    ObjectNode result = strategic(deployment(),
        "{'status':{'conditions':[{'type':'Available','status':'False','reason':'MinimumReplicasUnavailable'}]}}",
        "apps", "Deployment");
    assertThat(result.at("/status/conditions")).isEqualTo(obj("""
        {'c':[{'type':'Available','status':'False','reason':'MinimumReplicasUnavailable'},
              {'type':'Progressing','status':'True','reason':'NewReplicaSetAvailable'}]}""").get("c"));
  }

  @Test
  void podVolumeSourceSwitchedWithRetainKeys() {
    ObjectNode pod = obj("""
        {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},
         'spec':{'containers':[{'name':'c','image':'i','volumeMounts':[{'name':'data','mountPath':'/data'}]}],
                 'volumes':[{'name':'data','emptyDir':{}},{'name':'tmp','emptyDir':{}}]}}
        """);
    ObjectNode result = strategic(pod, """
        {'spec':{'$setElementOrder/volumes':[{'name':'data'},{'name':'tmp'}],
                 'volumes':[{'$retainKeys':['configMap','name'],'configMap':{'name':'cm'},'name':'data'}]}}
        """, "", "Pod");
    assertThat(result.at("/spec/volumes")).isEqualTo(
        obj("{'v':[{'name':'data','configMap':{'name':'cm'}},{'name':'tmp','emptyDir':{}}]}").get("v"));
  }

  @Test
  void volumesAddedToAPodWithoutAnyKeepNoDirectives() {
    ObjectNode pod = obj("{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]}}");
    ObjectNode result = strategic(pod, """
        {'spec':{'$setElementOrder/volumes':[{'name':'data'}],
                 'volumes':[{'$retainKeys':['emptyDir','name'],'emptyDir':{},'name':'data'}]}}
        """, "", "Pod");
    assertThat(result.at("/spec/volumes")).isEqualTo(obj("{'v':[{'name':'data','emptyDir':{}}]}").get("v"));
  }

  @Test
  void containerPortsMergeByContainerPortAndMountsByMountPath() {
    ObjectNode pod = obj("""
        {'kind':'Pod','metadata':{'name':'p'},
         'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http'}],
                                'volumeMounts':[{'name':'a','mountPath':'/a'}]}]}}
        """);
    ObjectNode result = strategic(pod, """
        {'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'web'},{'containerPort':443}],
                                'volumeMounts':[{'name':'b','mountPath':'/a','readOnly':true}]}]}}
        """, "", "Pod");
    assertThat(result.at("/spec/containers/0/ports")).isEqualTo(
        obj("{'p':[{'containerPort':80,'name':'web'},{'containerPort':443}]}").get("p"));
    assertThat(result.at("/spec/containers/0/volumeMounts")).isEqualTo(
        obj("{'m':[{'name':'b','mountPath':'/a','readOnly':true}]}").get("m"));
  }

  @Test
  void nodeStatusConditionsAndAddressesByTypeTaintsReplaced() {
    ObjectNode node = obj("""
        {'kind':'Node','metadata':{'name':'pontoon-remote'},
         'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]},
         'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'MemoryPressure','status':'False'}],
                   'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'n'}]}}
        """);
    ObjectNode result = strategic(node, """
        {'spec':{'taints':[{'key':'virtual-node.pontoon.io/not-allowed','value':'true','effect':'NoExecute'}]},
         'status':{'conditions':[{'type':'Ready','status':'True'}],
                   'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}
        """, "", "Node");
    assertThat(result.at("/spec/taints").size()).isEqualTo(1);
    assertThat(result.at("/spec/taints/0/key").asText()).isEqualTo("virtual-node.pontoon.io/not-allowed");
    assertThat(result.at("/status/conditions")).isEqualTo(
        obj("{'c':[{'type':'Ready','status':'True'},{'type':'MemoryPressure','status':'False'}]}").get("c"));
    assertThat(result.at("/status/addresses")).isEqualTo(
        obj("{'a':[{'type':'InternalIP','address':'10.0.0.2'},{'type':'Hostname','address':'n'}]}").get("a"));
  }

  @Test
  void servicePortsMergeByPort() {
    ObjectNode svc = obj("{'kind':'Service','metadata':{'name':'s'},'spec':{'ports':[{'port':80,'targetPort':8080}]}}");
    ObjectNode result = strategic(svc, "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}", "", "Service");
    assertThat(result.at("/spec/ports")).isEqualTo(obj("{'p':[{'port':80,'targetPort':9090},{'port':443}]}").get("p"));
  }

  @Test
  void finalizersAreASetAndCanBeDeletedFrom() {
    ObjectNode cm = obj("{'kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b']},'data':{'k':'v'}}");
    assertThat(strategic(cm, "{'metadata':{'finalizers':['b','pontoon.io/cleanup']}}", "", "ConfigMap")
        .at("/metadata/finalizers")).isEqualTo(obj("{'f':['a','b','pontoon.io/cleanup']}").get("f"));
    assertThat(strategic(cm, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}", "", "ConfigMap")
        .at("/metadata/finalizers")).isEqualTo(obj("{'f':['b']}").get("f"));
  }

  @Test
  void ownerReferencesMergeByUid() {
    ObjectNode secret = obj("""
        {'kind':'Secret','metadata':{'name':'s','ownerReferences':[{'uid':'1','kind':'A','name':'a'}]}}""");
    ObjectNode result = strategic(secret, "{'metadata':{'ownerReferences':[{'uid':'2','kind':'B','name':'b'}]}}",
        "", "Secret");
    assertThat(result.at("/metadata/ownerReferences").findValuesAsText("uid")).containsExactly("2", "1");
  }

  @Test
  void configMapDataMergesAndNullDeletes() {
    ObjectNode cm = obj("{'kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','b':'2'}}");
    assertThat(strategic(cm, "{'data':{'a':null,'c':'3'}}", "", "ConfigMap").get("data"))
        .isEqualTo(obj("{'b':'2','c':'3'}"));
  }

  @Test
  void serviceAccountSecretsMergeByName() {
    ObjectNode sa = obj("{'kind':'ServiceAccount','metadata':{'name':'sa'},'secrets':[{'name':'t1'}]}");
    assertThat(strategic(sa, "{'secrets':[{'name':'t2'}]}", "", "ServiceAccount").get("secrets").findValuesAsText("name"))
        .containsExactly("t2", "t1");
  }

  @Test
  void cronJobContainersMergeByName() {
    ObjectNode cj = obj("""
        {'kind':'CronJob','metadata':{'name':'cj'},
         'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}}}
        """);
    ObjectNode result = strategic(cj,
        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'z'}]}}}}}}",
        "batch", "CronJob");
    assertThat(result.at("/spec/jobTemplate/spec/template/spec/containers")).isEqualTo(
        obj("{'c':[{'name':'a','image':'x'},{'name':'b','image':'z'}]}").get("c"));
  }

  @Test
  void pdbSelectorIsReplacedWhole() {
    ObjectNode pdb = obj("{'kind':'PodDisruptionBudget','metadata':{'name':'p'},"
        + "'spec':{'selector':{'matchLabels':{'a':'1'}},'minAvailable':1}}");
    assertThat(strategic(pdb, "{'spec':{'selector':{'matchExpressions':[]}}}", "policy", "PodDisruptionBudget")
        .at("/spec/selector")).isEqualTo(obj("{'matchExpressions':[]}"));
  }

  @Test
  void endpointSliceListsAreReplaced() {
    ObjectNode slice = obj("{'kind':'EndpointSlice','metadata':{'name':'s'},"
        + "'endpoints':[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2']}]}");
    assertThat(strategic(slice, "{'endpoints':[{'addresses':['10.0.0.3']}]}", "discovery.k8s.io", "EndpointSlice")
        .get("endpoints")).isEqualTo(obj("{'e':[{'addresses':['10.0.0.3']}]}").get("e"));
  }

  @Test
  void nullStrategicPatchChangesNothing() {
    assertThat(strategic(deployment(), "null", "apps", "Deployment")).isEqualTo(deployment());
  }

  @Nested
  class OtherTypes {
    @Test
    void jsonPatchOfAnObject() {
      ObjectNode result = Patches.apply(deployment(),
          bytes("[{'op':'replace','path':'/spec/replicas','value':5},"
              + "{'op':'add','path':'/metadata/labels/tier','value':'front'}]"),
          PatchType.JSON_PATCH, "apps", "Deployment");
      assertThat(result.at("/spec/replicas").asInt()).isEqualTo(5);
      assertThat(result.at("/metadata/labels/tier").asText()).isEqualTo("front");
    }

    @Test
    void mergePatchReplacesLists() {
      ObjectNode result = Patches.apply(deployment(),
          bytes("{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'}]}}}}"),
          PatchType.MERGE_PATCH, "apps", "Deployment");
      assertThat(result.at("/spec/template/spec/containers").size()).isEqualTo(1);
    }

    @Test
    void customResourcesTakeJsonAndMergePatches() {
      ObjectNode fc = obj("{'apiVersion':'pontoon.io/v1alpha1','kind':'ForeignCluster','metadata':{'name':'b'},"
          + "'spec':{'clusterName':'b','conditions':[{'type':'A'}]}}");
      ObjectNode merged = Patches.apply(fc, bytes("{'spec':{'conditions':[{'type':'B'}]}}"),
          PatchType.MERGE_PATCH, "pontoon.io", "ForeignCluster");
      assertThat(merged.at("/spec/conditions")).isEqualTo(obj("{'c':[{'type':'B'}]}").get("c"));
      ObjectNode patched = Patches.apply(fc, bytes("[{'op':'add','path':'/spec/conditions/-','value':{'type':'C'}}]"),
          PatchType.JSON_PATCH, "pontoon.io", "ForeignCluster");
      assertThat(patched.at("/spec/conditions").size()).isEqualTo(2);
    }
  }

  @Nested
  class Refusals {
    @Test
    void strategicMergePatchOfACustomResourceIs415() {
      ApiException e = failure(obj("{'kind':'ForeignCluster'}"), "{}", PatchType.STRATEGIC_MERGE_PATCH,
          "pontoon.io", "ForeignCluster");
      assertThat(e.code()).isEqualTo(415);
      assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types "
          + "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    }

    @Test
    void serverSideApplyIs415() {
      ApiException e = failure(deployment(), "{}", PatchType.APPLY_PATCH, "apps", "Deployment");
      assertThat(e.code()).isEqualTo(415);
      assertThat(e.getMessage()).contains("server-side apply");
    }

    @Test
    void malformedBodiesAre400() {
      for (PatchType type : new PatchType[] {PatchType.JSON_PATCH, PatchType.MERGE_PATCH,
          PatchType.STRATEGIC_MERGE_PATCH}) {
        for (String body : new String[] {"", "{", "{'a':1} x", "nope"}) {
          ApiException e = failure(deployment(), body, type, "apps", "Deployment");
          assertThat(e.code()).as(type + " " + body).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo("invalid JSON patch");
        }
      }
    }

    @Test
    void strategicPatchThatIsNotAnObjectIs400() {
      ApiException e = failure(deployment(), "[1]", PatchType.STRATEGIC_MERGE_PATCH, "apps", "Deployment");
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}");
    }

    @Test
    void jsonPatchThatIsNotAListIs400() {
      assertThat(failure(deployment(), "{'op':'add'}", PatchType.JSON_PATCH, "apps", "Deployment").code())
          .isEqualTo(400);
    }

    @Test
    void patchThatLeavesSomethingOtherThanAnObjectIs422() {
      ApiException e = failure(obj("{'kind':'ConfigMap'}"), "[1]", PatchType.MERGE_PATCH, "", "ConfigMap");
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.getMessage()).isEqualTo(
          " \"\" is invalid: patch: Invalid value: \"[1]\": json: cannot unmarshal array into Go value of type ConfigMap");
    }

    @Test
    void failedTestIs422() {
      ApiException e = failure(deployment(), "[{'op':'test','path':'/spec/replicas','value':3}]",
          PatchType.JSON_PATCH, "apps", "Deployment");
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
    }
  }

  @Test
  void duplicateMembersInAPatchKeepTheLastAsGoDoes() {
    ObjectNode cm = obj("{'kind':'ConfigMap','metadata':{'name':'c'}}");
    assertThat(Patches.apply(cm, bytes("{'data':{'a':'1'},'data':{'a':'2'}}"), PatchType.MERGE_PATCH, "", "ConfigMap")
        .at("/data/a").asText()).isEqualTo("2");
  }
}
