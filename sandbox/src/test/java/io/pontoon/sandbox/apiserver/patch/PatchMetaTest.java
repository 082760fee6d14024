package io.pontoon.sandbox.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The struct tags of k8s.io/api as the table records them. */
class PatchMetaTest {
  @ParameterizedTest(name = "{0}/{1} {2}: merge by {3}")
  @CsvSource({
      "'',Pod,metadata.ownerReferences,uid",
      "'',Pod,spec.containers,name",
      "'',Pod,spec.initContainers,name",
      "'',Pod,spec.ephemeralContainers,name",
      "'',Pod,spec.containers.env,name",
      "'',Pod,spec.containers.ports,containerPort",
      "'',Pod,spec.containers.volumeMounts,mountPath",
      "'',Pod,spec.containers.volumeDevices,devicePath",
      "'',Pod,spec.imagePullSecrets,name",
      "'',Pod,spec.hostAliases,ip",
      "'',Pod,spec.topologySpreadConstraints,topologyKey",
      "'',Pod,spec.schedulingGates,name",
      "'',Pod,status.conditions,type",
      "'',Pod,status.podIPs,ip",
      "'',Pod,status.hostIPs,ip",
      "'',Node,status.conditions,type",
      "'',Node,status.addresses,type",
      "'',Service,spec.ports,port",
      "'',ServiceAccount,secrets,name",
      "'',Namespace,status.conditions,type",
      "'',PodTemplate,template.spec.containers,name",
      "'',ReplicationController,spec.template.spec.containers,name",
      "apps,Deployment,spec.template.spec.containers,name",
      "apps,Deployment,spec.template.spec.initContainers.env,name",
      "apps,Deployment,spec.template.metadata.ownerReferences,uid",
      "apps,Deployment,status.conditions,type",
      "apps,StatefulSet,spec.template.spec.containers.volumeMounts,mountPath",
      "apps,DaemonSet,spec.template.spec.imagePullSecrets,name",
      "apps,ReplicaSet,spec.template.spec.containers,name",
      "batch,Job,spec.template.spec.containers,name",
      "batch,Job,status.conditions,type",
      "batch,CronJob,spec.jobTemplate.spec.template.spec.containers.env,name",
      "admissionregistration.k8s.io,MutatingWebhookConfiguration,webhooks,name",
      "admissionregistration.k8s.io,ValidatingWebhookConfiguration,webhooks.matchConditions,name",
      "storage.k8s.io,CSINode,spec.drivers,name",
  })
  void listsMergedByKey(String group, String kind, String path, String key) {
    FieldMeta meta = PatchMeta.at(group, kind, path);
    assertThat(meta.merges()).isTrue();
    assertThat(meta.mergeKey()).isEqualTo(key);
  }

  @Test
  void volumesMergeByNameAndRetainKeys() {
    FieldMeta volumes = PatchMeta.at("", "Pod", "spec.volumes");
    assertThat(volumes.strategies()).isEqualTo(List.of("merge", "retainKeys"));
    assertThat(volumes.mergeKey()).isEqualTo("name");
    assertThat(volumes.retainKeys()).isTrue();
  }

  @Test
  void setsOfStrings() {
    for (FieldMeta meta : List.of(PatchMeta.at("", "ConfigMap", "metadata.finalizers"),
        PatchMeta.at("", "Node", "spec.podCIDRs"))) {
      assertThat(meta.merges()).isTrue();
      assertThat(meta.mergeKey()).isEmpty();
    }
  }

  @Test
  void listsWithoutTagsAreReplaced() {
    for (String path : List.of("spec.tolerations", "spec.containers.envFrom", "spec.containers.args",
        "status.containerStatuses", "spec.affinity.nodeAffinity")) {
      assertThat(PatchMeta.at("", "Pod", path).strategy()).as(path).isEmpty();
    }
    assertThat(PatchMeta.at("", "Node", "spec.taints").strategy()).isEmpty();
    assertThat(PatchMeta.at("", "Node", "status.images").strategy()).isEmpty();
    assertThat(PatchMeta.at("discovery.k8s.io", "EndpointSlice", "endpoints").strategy()).isEmpty();
    assertThat(PatchMeta.at("rbac.authorization.k8s.io", "ClusterRole", "rules").strategy()).isEmpty();
  }

  @Test
  void deploymentStrategyRetainsKeysAndPdbSelectorIsReplaced() {
    assertThat(PatchMeta.at("apps", "Deployment", "spec.strategy").retainKeys()).isTrue();
    assertThat(PatchMeta.at("policy", "PodDisruptionBudget", "spec.selector").strategy()).isEqualTo("replace");
  }

  @Test
  void everyBuiltInKindHasObjectMeta() {
    for (String[] gk : new String[][] {{"", "ConfigMap"}, {"", "Secret"}, {"coordination.k8s.io", "Lease"},
        {"events.k8s.io", "Event"}, {"rbac.authorization.k8s.io", "RoleBinding"}, {"apps", "ControllerRevision"}}) {
      assertThat(PatchMeta.at(gk[0], gk[1], "metadata.ownerReferences").mergeKey()).isEqualTo("uid");
    }
  }

  @Test
  void customResourceGroupsAreNotBuiltIn() {
    assertThat(PatchMeta.isBuiltIn("")).isTrue();
    assertThat(PatchMeta.isBuiltIn("apps")).isTrue();
    assertThat(PatchMeta.isBuiltIn("pontoon.io")).isFalse();
    // CRD-served groups under k8s.io are custom resources too.
    assertThat(PatchMeta.isBuiltIn("gateway.networking.k8s.io")).isFalse();
    assertThatThrownBy(() -> PatchMeta.forKind("pontoon.io", "ForeignCluster"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
