package io.pontoon.vk.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ShadowPod;
import org.junit.jupiter.api.Test;

class ShadowPodsTest {
  static final ClusterIdentity HOME = new ClusterIdentity("11111111-2222-3333-4444-555555555555", "home");

  static PodBuilder pod() {
    return new PodBuilder()
        .withNewMetadata().withName("web-1").withNamespace("shop").withUid("uid-1")
        .addToLabels("app", "web").endMetadata()
        .withNewSpec()
        .withNodeName("pontoon-provider").withSchedulerName("default-scheduler")
        .addToNodeSelector("pontoon.io/type", "virtual-node")
        .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("pontoon.io/type").withOperator("In")
        .withValues("virtual-node").endMatchExpression().endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
        .addNewToleration().withKey(PontoonNames.VIRTUAL_NODE_TAINT_KEY).withOperator("Exists")
        .withEffect("NoExecute").endToleration()
        .addNewToleration().withKey("dedicated").withOperator("Exists").endToleration()
        .withServiceAccountName("shop-sa").withPriorityClassName("high")
        .addNewVolume().withName("kube-api-access-abcde").withNewProjected().endProjected().endVolume()
        .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewContainer().withName("web").withImage("nginx")
        .addNewVolumeMount().withName("kube-api-access-abcde")
        .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount").endVolumeMount()
        .addNewVolumeMount().withName("cache").withMountPath("/cache").endVolumeMount()
        .endContainer()
        .endSpec();
  }

  @Test
  void shadowPodKeepsTheWorkloadAndDropsHomeOnlyParts() {
    ShadowPod s = ShadowPods.of(pod().build(), "shop-home", HOME);
    assertThat(s.getMetadata().getName()).isEqualTo("web-1");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("shop-home");
    assertThat(s.getMetadata().getLabels())
        .containsEntry(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, HOME.id())
        .containsEntry(PontoonNames.LABEL_HOME_POD_UID, "uid-1");
    assertThat(s.getSpec().getHomePodUID()).isEqualTo("uid-1");
    assertThat(s.getSpec().getHomePodNamespace()).isEqualTo("shop");
    assertThat(s.getSpec().getLabels()).containsEntry("app", "web");
    var spec = s.getSpec().getPod();
    assertThat(spec.getNodeName()).isNull();
    assertThat(spec.getNodeSelector()).isNull();
    assertThat(spec.getSchedulerName()).isNull();
    assertThat(spec.getAffinity()).isNull();
    assertThat(spec.getPriorityClassName()).isNull();
    assertThat(spec.getTolerations()).extracting("key").containsExactly("dedicated");
    assertThat(spec.getServiceAccountName()).isNull();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getVolumes()).extracting("name").containsExactly("cache");
    assertThat(spec.getContainers().get(0).getVolumeMounts()).extracting("name").containsExactly("cache");
  }

  @Test
  void homeSpecIsNotModified() {
    Pod home = pod().build();
    ShadowPods.of(home, "x", HOME);
    assertThat(home.getSpec().getNodeName()).isEqualTo("pontoon-provider");
    assertThat(home.getSpec().getVolumes()).hasSize(2);
  }

  @Test
  void refusesWhatCannotRunRemotely() {
    assertThat(ShadowPods.refusal(pod().build())).isEmpty();
    assertThat(ShadowPods.refusal(pod().editSpec().withHostNetwork(true).endSpec().build()))
        .get().asString().contains("hostNetwork");
    assertThat(ShadowPods.refusal(pod().editSpec().withHostPID(true).endSpec().build()))
        .get().asString().contains("hostPID");
    assertThat(ShadowPods.refusal(pod().editSpec().addNewVolume().withName("logs").withNewHostPath()
        .withPath("/var/log").endHostPath().endVolume().endSpec().build()))
        .get().asString().contains("volume logs is a hostPath");
    assertThat(ShadowPods.refusal(pod().editSpec().addNewVolume().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume().endSpec().build()))
        .get().asString().contains("PersistentVolumeClaim");
    assertThat(ShadowPods.refusal(pod().editSpec().editFirstContainer().withNewSecurityContext()
        .withPrivileged(true).endSecurityContext().endContainer().endSpec().build()))
        .get().asString().contains("privileged");
  }
}
