package io.pontoon.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pontoon.sandbox.conformance.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped kubelet, as in a partition: the node goes NotReady after the grace period, its pods
 * are evicted once their tolerationSeconds run out and their ReplicaSet recreates them on the
 * other node; when the kubelet comes back, the evicted pods finish terminating.
 */
class NodePartitionIT {
  private static final Duration DEADLINE = Duration.ofSeconds(45);
  @TempDir Path dir;

  @Test
  void stoppedKubeletLeadsToEvictionAndRecreation() {
    try (SandboxCluster cluster = SandboxCluster.start(ClusterSpec.defaults("part").withNodes(2)
        .withTimings(ClusterSpec.Timings.fast()))) {
      Kubectl kubectl = Kubectl.admin(cluster.apiServer(), dir);
      kubectl.run("create", "deployment", "app", "--image=busybox", "--replicas=4").ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(active(cluster)).hasSize(4)
          .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running")));
      kubectl.run("cordon", "part-node-2").ok();
      kubectl.run("delete", "pods", "-l", "app=app", "--wait=false").ok();
      kubectl.run("uncordon", "part-node-2").ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(active(cluster)).hasSize(4)
          .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("part-node-1")));
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(cluster.client().pods().inNamespace("default")
          .list().getItems()).hasSize(4));

      kubectl.run("annotate", "node", "part-node-1", NodeControl.ANNOTATION + "=" + NodeControl.STOPPED).ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(kubectl.run("get", "node", "part-node-1", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").ok()).isEqualTo("Unknown"));
      assertThat(kubectl.run("get", "node", "part-node-1", "-o", "jsonpath={.spec.taints[*].key}").ok())
          .contains("node.kubernetes.io/unreachable");
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(active(cluster)).hasSize(4).allSatisfy(p -> {
        assertThat(p.getSpec().getNodeName()).isEqualTo("part-node-2");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      }));

      kubectl.run("annotate", "node", "part-node-1", "--overwrite",
          NodeControl.ANNOTATION + "=" + NodeControl.RUNNING).ok();
      await().atMost(DEADLINE).untilAsserted(() -> {
        assertThat(cluster.client().pods().inNamespace("default").list().getItems()).hasSize(4);
        assertThat(kubectl.run("get", "node", "part-node-1", "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").ok()).isEqualTo("True");
      });
    }
  }

  private static List<Pod> active(SandboxCluster cluster) {
    return cluster.client().pods().inNamespace("default").withLabel("app", "app").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }
}
