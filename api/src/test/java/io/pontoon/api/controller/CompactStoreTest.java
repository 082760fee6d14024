package io.pontoon.api.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.api.v1alpha1.ShadowPodSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactStoreTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final CompactStore<Pod> store = new CompactStore<>(Pod.class, serialization,
      "metadata", "spec.nodeName", "status");

  private static Pod pod(String namespace, String name, String phase) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withUid("uid-" + name)
        .withResourceVersion("7").addToLabels("app", "web").addToFinalizers("pontoon.io/x")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Update").build())
        .endMetadata()
        .withNewSpec().withNodeName("pontoon-b").withServiceAccountName("builder")
        .addNewContainer().withName("c").withImage("nginx").withCommand("sleep", "3600").endContainer()
        .endSpec()
        .withNewStatus().withPhase(phase).withPodIP("10.1.0.4").endStatus()
        .build();
  }

  @Test
  void keepsTheNamedPathsAndDropsTheRest() {
    store.put(store.getKey(pod("team", "web-1", "Running")), pod("team", "web-1", "Running"));

    Pod back = store.get("team/web-1");
    assertThat(back.getMetadata().getName()).isEqualTo("web-1");
    assertThat(back.getMetadata().getNamespace()).isEqualTo("team");
    assertThat(back.getMetadata().getUid()).isEqualTo("uid-web-1");
    assertThat(back.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(back.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(back.getMetadata().getFinalizers()).containsExactly("pontoon.io/x");
    assertThat(back.getSpec().getNodeName()).isEqualTo("pontoon-b");
    assertThat(back.getStatus().getPhase()).isEqualTo("Running");
    assertThat(back.getStatus().getPodIP()).isEqualTo("10.1.0.4");
    // pruned: the containers, the service account and the managed fields
    assertThat(back.getSpec().getContainers()).isEmpty();
    assertThat(back.getSpec().getServiceAccountName()).isNull();
    assertThat(back.getMetadata().getManagedFields()).isEmpty();
  }

  @Test
  void eachReadIsAFreshCopy() {
    store.put("team/web-1", pod("team", "web-1", "Running"));
    store.get("team/web-1").getMetadata().getLabels().put("app", "changed");
    assertThat(store.get("team/web-1").getMetadata().getLabels()).containsEntry("app", "web");
  }

  @Test
  void putAndRemoveHandBackThePreviousObject() {
    assertThat(store.put("team/web-1", pod("team", "web-1", "Pending"))).isNull();
    assertThat(store.put("team/web-1", pod("team", "web-1", "Running")).getStatus().getPhase()).isEqualTo("Pending");
    store.put("team/web-2", pod("team", "web-2", "Running"));

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.keySet()).containsExactlyInAnyOrder("team/web-1", "team/web-2");
    assertThat(store.values()).extracting(p -> p.getStatus().getPhase()).containsOnly("Running");

    assertThat(store.remove("team/web-1").getMetadata().getName()).isEqualTo("web-1");
    assertThat(store.remove("team/web-1")).isNull();
    assertThat(store.get("team/web-1")).isNull();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void keysAreNamespaceSlashNameOrTheNameForClusterScopedObjects() {
    CompactStore<Namespace> namespaces = new CompactStore<>(Namespace.class, serialization, "metadata");
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build();
    assertThat(namespaces.getKey(ns)).isEqualTo("team");
    assertThat(store.getKey(pod("team", "web-1", "Running"))).isEqualTo("team/web-1");
  }

  @Test
  void aStoreThatKeepsPartOfEachObjectSaysSo() {
    assertThat(store.isFullState()).isFalse();
  }

  @Test
  void aStoreMustKeepSomething() {
    assertThatThrownBy(() -> new CompactStore<>(Pod.class, serialization))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
  }

  @Test
  void keepsWholeListsAndMapsInsideAKeptPath() {
    Pod full = new PodBuilder(pod("team", "web-1", "Running"))
        .editMetadata().addToAnnotations("a", "b").addNewOwnerReference().withKind("ReplicaSet").withName("rs")
        .withUid("u").withApiVersion("apps/v1").endOwnerReference().endMetadata()
        .editStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("c").withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z")
        .endRunning().endState().withReady(true).withRestartCount(2).endContainerStatus()
        .addToAdditionalProperties("futureField", Map.of("x", 1)).endStatus()
        .build();
    store.put("team/web-1", full);

    Pod back = store.get("team/web-1");
    assertThat(back.getMetadata().getAnnotations()).containsEntry("a", "b");
    assertThat(back.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("rs"));
    assertThat(back.getStatus().getConditions()).singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo("Ready"));
    assertThat(back.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
      assertThat(c.getRestartCount()).isEqualTo(2);
      assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
    });
    assertThat(back.getStatus().getAdditionalProperties()).containsEntry("futureField", Map.of("x", 1));
  }

  @Test
  void keepsNamedFieldsOfACustomResourcesSpec() {
    CompactStore<ShadowPod> shadows = new CompactStore<>(ShadowPod.class, serialization,
        "metadata", "spec.originClusterID", "spec.homePodUID", "status");
    ShadowPod sp = new ShadowPod();
    sp.setMetadata(new ObjectMetaBuilder().withNamespace("twin").withName("web-1").build());
    ShadowPodSpec spec = new ShadowPodSpec();
    spec.setOriginClusterID("c-1");
    spec.setHomePodUID("uid-1");
    spec.setHomePodName("web-1");
    spec.setPod(pod("team", "web-1", "Running").getSpec());
    sp.setSpec(spec);
    shadows.put("twin/web-1", sp);

    ShadowPod back = shadows.get("twin/web-1");
    assertThat(back.getSpec().getOriginClusterID()).isEqualTo("c-1");
    assertThat(back.getSpec().getHomePodUID()).isEqualTo("uid-1");
    assertThat(back.getSpec().getHomePodName()).isNull();
    assertThat(back.getSpec().getPod()).isNull();
  }

  @Test
  void theCompactFormIsFarSmallerThanTheObject() {
    Pod full = pod("team", "web-1", "Running");
    int fullSize = serialization.asJson(full).length();
    assertThat(store.compact(full).length).isLessThan(fullSize);
  }
}
