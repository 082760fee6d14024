package io.pontoon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.peering.offloading.ShadowPodController;
import io.pontoon.sandbox.cluster.ClusterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual kubelet killed with SIGKILL at random points, 20 times, while 500 pods arrive on
 * its node and some are deleted: afterwards every home pod has exactly one ShadowPod and one Pod
 * on the provider, and nothing remote is left without its home pod.
 */
class VirtualKubeletCrashIT {
  static final int PODS = 500;
  static final int KILLS = 20;
  static final int DELETED = 60;

  @TempDir Path dir;

  @Test
  void sigkillAtRandomPointsNeverLosesOrDuplicatesPods() throws Exception {
    try (Clusters clusters = new Clusters(dir)) {
      // default timings at home: the virtual kubelet process renews its lease every 10 s
      Clusters.Member home = clusters.add("home", ClusterSpec.defaults("home").withNodes(1));
      Clusters.Member provider = clusters.add("provider", ClusterSpec.defaults("provider").withNodes(2)
          .withNodeShape(new ClusterSpec.NodeShape("64", "256Gi", 300, 23)).withTimings(ClusterSpec.Timings.fast()));
      ShadowPodController shadows = clusters.closeLater(new ShadowPodController(provider.client(), 4));
      shadows.start();
      String twin = PontoonNames.defaultTwinNamespace("burst", "home");
      home.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("burst").endMetadata()
          .build()).create();
      provider.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(twin).endMetadata()
          .build()).create();
      String node = PontoonNames.virtualNodeName(provider.identity().name());
      String[] vkArgs = {
          "virtual-kubelet", "--home-kubeconfig", home.kubeconfig().toString(),
          "--foreign-kubeconfig", provider.kubeconfig().toString(),
          "--foreign-cluster-id", provider.identity().id(),
          "--foreign-cluster-name", provider.identity().name(),
          "--metrics-port", "-1", "--pod-workers", "10"};
      Path log = dir.resolve("virtual-kubelet.log");

      // the burst: 500 pods bound to the virtual node, and 60 of them deleted again meanwhile
      Set<String> deleted = ConcurrentHashMap.newKeySet();
      AtomicBoolean burstDone = new AtomicBoolean();
      // the burst goes in 20 batches of 25, one per kill cycle, so kills always fall inside it
      java.util.concurrent.Semaphore batches = new java.util.concurrent.Semaphore(0);
      Thread burst = new Thread(() -> {
        Random r = new Random(7);
        for (int i = 0; i < PODS; i++) {
          home.client().pods().inNamespace("burst").resource(pod(node, "p-" + i)).create();
          if (i % 8 == 7 && deleted.size() < DELETED) {
            String victim = "p-" + r.nextInt(i);
            if (deleted.add(victim)) home.client().pods().inNamespace("burst").withName(victim).delete();
          }
          if (i % 25 == 0) batches.acquireUninterruptibly();
        }
        burstDone.set(true);
      }, "burst");
      burst.start();

      Random random = new Random(42);
      for (int k = 0; k < KILLS; k++) {
        PontoonProcess vk = PontoonProcess.start(log, vkArgs);
        batches.release();
        // kill at a random point: before it has listed anything (target 0), or once it has
        // created a random number of further ShadowPods (mid-reconcile)
        int target = shadowCount(provider, twin) + random.nextInt(30);
        try {
          await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
              .until(() -> shadowCount(provider, twin) >= target);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          // nothing more to create right now: kill it where it is
        }
        vk.kill();
      }
      batches.release(PODS);
      burst.join(Duration.ofMinutes(2).toMillis());
      assertThat(burstDone).isTrue();

      PontoonProcess survivor = clusters.closeLater(PontoonProcess.start(log, vkArgs));
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(survivor.isAlive()).as("the virtual kubelet keeps running").isTrue();
        List<Pod> homePods = home.client().pods().inNamespace("burst").list().getItems();
        assertThat(homePods).extracting(p -> p.getMetadata().getName()).doesNotContainAnyElementsOf(deleted);
        assertThat(homePods).hasSize(PODS - deleted.size());
        Map<String, Long> shadowsByUid = provider.client().resources(ShadowPod.class).inNamespace(twin).list()
            .getItems().stream().collect(Collectors.groupingBy(
                s -> s.getMetadata().getLabels().get(PontoonNames.LABEL_HOME_POD_UID), Collectors.counting()));
        Map<String, Long> podsByUid = provider.client().pods().inNamespace(twin).list().getItems().stream()
            .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(PontoonNames.LABEL_HOME_POD_UID),
                Collectors.counting()));
        Map<String, Long> expected = new HashMap<>();
        for (Pod p : homePods) expected.put(p.getMetadata().getUid(), 1L);
        assertThat(shadowsByUid).as("exactly one ShadowPod per home pod, none without").isEqualTo(expected);
        assertThat(podsByUid).as("exactly one remote Pod per home pod, none without").isEqualTo(expected);
      });
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        List<String> notRunning = new ArrayList<>();
        for (Pod p : home.client().pods().inNamespace("burst").list().getItems()) {
          if (p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
            ShadowPod sp = provider.client().resources(ShadowPod.class).inNamespace(twin)
                .withName(p.getMetadata().getName()).get();
            notRunning.add(p.getMetadata().getName() + " phase=" + (p.getStatus() == null ? null : p.getStatus().getPhase())
                + " reason=" + (p.getStatus() == null ? null : p.getStatus().getReason())
                + " deleting=" + (p.getMetadata().getDeletionTimestamp() != null)
                + " shadow=" + (sp == null ? null : sp.getStatus()));
          }
        }
        assertThat(notRunning).as("home pods not Running").isEmpty();
      });
    }
  }

  static Pod pod(String node, String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("burst").addToLabels("app", "burst").endMetadata()
        .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(0L)
        .addNewToleration().withKey(PontoonNames.VIRTUAL_NODE_TAINT_KEY).withOperator("Exists").endToleration()
        .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").endToleration()
        .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").endToleration()
        .addNewContainer().withName("c").withImage("busybox").endContainer()
        .endSpec().build();
  }

  private static int shadowCount(Clusters.Member provider, String twin) {
    return provider.client().resources(ShadowPod.class).inNamespace(twin).list().getItems().size();
  }
}
