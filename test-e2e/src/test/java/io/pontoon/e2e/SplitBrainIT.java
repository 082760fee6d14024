package io.pontoon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.peering.offloading.ShadowPodController;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.junit.TcpProxy;
import io.pontoon.vk.VirtualKubelet;
import io.pontoon.vk.VirtualKubeletConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link to the provider cut for 60 s while 20 offloaded pods run: the virtual node goes
 * NotReady, home pods stay bound but not Ready (so Services stop sending them traffic), nothing
 * is evicted or duplicated, the remote pods keep running; within 10 s of the link's return all is
 * Ready again, with no duplicate and no orphan on either side.
 */
class SplitBrainIT {
  static final int PODS = 20;
  @TempDir Path dir;

  @Test
  void aSixtySecondPartitionLeavesNoDuplicatesNoOrphansAndHealsItself() throws Exception {
    try (Clusters clusters = new Clusters(dir)) {
      // fast node lifecycle at home: an unreachable node is tainted within seconds, so eviction
      // would happen during the partition if Pontoon let it
      Clusters.Member home = clusters.add("home", ClusterSpec.defaults("home").withNodes(1)
          .withTimings(ClusterSpec.Timings.fast()));
      Clusters.Member provider = clusters.add("provider");
      clusters.closeLater(new ShadowPodController(provider.client(), 2)).start();
      TcpProxy link = clusters.closeLater(TcpProxy.to("127.0.0.1", provider.cluster().apiServer().port()));
      Config viaLink = provider.cluster().apiServer().adminConfig();
      viaLink.setMasterUrl(link.httpsUrl());
      KubernetesClient foreign = clusters.closeLater(new KubernetesClientBuilder().withConfig(viaLink).build());
      VirtualKubelet vk = clusters.closeLater(new VirtualKubelet(home.client(), foreign,
          VirtualKubeletConfig.of(home.identity(), provider.identity())
              .withTimings(VirtualKubeletConfig.Timings.fast())).start());
      String node = vk.config().nodeName();
      String twin = PontoonNames.defaultTwinNamespace("app", "home");
      home.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("app").endMetadata()
          .build()).create();
      provider.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(twin).endMetadata()
          .build()).create();
      for (int i = 0; i < PODS; i++) {
        Pod p = VirtualKubeletCrashIT.pod(node, "web-" + i);
        p.getMetadata().setNamespace("app");
        home.client().pods().inNamespace("app").resource(p).create();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> allReady(home.client(), "True"));
      Set<String> homeUids = uids(home.client().pods().inNamespace("app").list().getItems());
      Set<String> remoteUidsBefore = remoteUids(provider.client(), twin);

      link.cut();
      Instant cutAt = Instant.now();
      await().atMost(Duration.ofSeconds(15)).until(() -> "False".equals(ready(home.client().nodes().withName(node).get())));
      await().atMost(Duration.ofSeconds(15)).until(() -> allReady(home.client(), "False"));
      // hold the partition for 60 s, checking all along that nothing moves
      await().atLeast(Duration.ofSeconds(55)).atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofSeconds(2))
          .until(() -> {
            assertThat(uids(home.client().pods().inNamespace("app").list().getItems()))
                .as("home pods are neither evicted nor replaced").isEqualTo(homeUids);
            assertThat(provider.client().pods().inNamespace(twin).list().getItems())
                .as("remote pods keep running").hasSize(PODS)
                .allMatch(p -> "Running".equals(p.getStatus().getPhase()));
            return Duration.between(cutAt, Instant.now()).getSeconds() >= 60;
          });
      link.restore();
      Instant restoredAt = Instant.now();
      await().atMost(Duration.ofSeconds(10)).until(() -> allReady(home.client(), "True")
          && "True".equals(ready(home.client().nodes().withName(node).get())));
      System.out.printf("split brain: all pods Ready %d ms after the link returned%n",
          Duration.between(restoredAt, Instant.now()).toMillis());
      assertThat(uids(home.client().pods().inNamespace("app").list().getItems())).isEqualTo(homeUids);
      assertThat(remoteUids(provider.client(), twin)).isEqualTo(remoteUidsBefore).isEqualTo(homeUids);
      Map<String, Long> shadows = provider.client().resources(ShadowPod.class).inNamespace(twin).list().getItems()
          .stream().collect(Collectors.groupingBy(s -> s.getMetadata().getLabels()
              .get(PontoonNames.LABEL_HOME_POD_UID), Collectors.counting()));
      assertThat(shadows.keySet()).isEqualTo(homeUids);
      assertThat(shadows.values()).allMatch(c -> c == 1L);
    }
  }

  static boolean allReady(KubernetesClient home, String status) {
    List<Pod> pods = home.pods().inNamespace("app").list().getItems();
    return pods.size() == PODS && pods.stream().allMatch(p -> p.getStatus() != null && p.getStatus().getConditions()
        != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && status.equals(c.getStatus())));
  }

  static String ready(Node n) {
    return n == null || n.getStatus() == null || n.getStatus().getConditions() == null ? null
        : n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getStatus()).findFirst().orElse(null);
  }

  static Set<String> uids(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  static Set<String> remoteUids(KubernetesClient provider, String twin) {
    return provider.pods().inNamespace(twin).list().getItems().stream()
        .map(p -> p.getMetadata().getLabels().get(PontoonNames.LABEL_HOME_POD_UID)).collect(Collectors.toSet());
  }
}
