package io.pontoon.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pontoon.sandbox.conformance.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox cluster as a user sees it through kubectl: Deployments run on simulated nodes,
 * Services get endpoints, the scheduler honours taints and cordons, and a stopped kubelet's pods
 * are evicted and recreated elsewhere.
 */
class ClusterAcceptanceIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  @TempDir static Path dir;
  static SandboxCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("acc").withNodes(3).withTimings(ClusterSpec.Timings.fast()));
    kubectl = Kubectl.admin(cluster.apiServer(), dir);
    await().atMost(DEADLINE).untilAsserted(() ->
        assertThat(kubectl.run("get", "nodes", "--no-headers").lines()).hasSize(3)
            .allSatisfy(l -> assertThat(Kubectl.columns(l).get(1)).isEqualTo("Ready")));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private static List<Pod> pods(String ns, String selector) {
    return cluster.client().pods().inNamespace(ns).withLabelSelector(selector).list().getItems();
  }

  private static boolean running(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getMetadata()
        .getDeletionTimestamp() == null;
  }

  @Test
  void deploymentRunsAndServiceGetsEndpoints() {
    kubectl.run("create", "namespace", "web").ok();
    kubectl.run("create", "deployment", "web", "--image=nginx", "--replicas=3", "-n", "web").ok();
    await().atMost(DEADLINE).untilAsserted(() -> {
      List<Pod> pods = pods("web", "app=web");
      assertThat(pods).hasSize(3).allSatisfy(p -> assertThat(running(p)).isTrue());
      Set<String> ips = new HashSet<>();
      for (Pod p : pods) {
        assertThat(p.getStatus().getPodIP()).startsWith("10.244.");
        ips.add(p.getStatus().getPodIP());
        assertThat(p.getSpec().getNodeName()).startsWith("acc-node-");
      }
      assertThat(ips).hasSize(3);
    });
    kubectl.run("expose", "deployment", "web", "--port=80", "-n", "web").ok();
    await().atMost(DEADLINE).untilAsserted(() -> {
      List<EndpointSlice> slices = cluster.client().discovery().v1().endpointSlices().inNamespace("web")
          .withLabel("kubernetes.io/service-name", "web").list().getItems();
      assertThat(slices).isNotEmpty();
      long ready = slices.stream().flatMap(s -> s.getEndpoints().stream())
          .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).count();
      assertThat(ready).isEqualTo(3);
    });
    kubectl.run("scale", "deployment", "web", "--replicas=5", "-n", "web").ok();
    await().atMost(DEADLINE).untilAsserted(() ->
        assertThat(pods("web", "app=web").stream().filter(ClusterAcceptanceIT::running)).hasSize(5));
    kubectl.run("scale", "deployment", "web", "--replicas=1", "-n", "web").ok();
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(pods("web", "app=web")).hasSize(1));
    kubectl.run("delete", "namespace", "web", "--wait=false").ok();
    await().atMost(DEADLINE).untilAsserted(() ->
        assertThat(cluster.client().namespaces().withName("web").get()).isNull());
    assertThat(pods("web", "app=web")).isEmpty();
  }

  @Test
  void taintsCordonsAndUnschedulablePods() {
    kubectl.run("create", "namespace", "sched").ok();
    kubectl.run("taint", "nodes", "acc-node-1", "dedicated=db:NoSchedule").ok();
    kubectl.run("cordon", "acc-node-2").ok();
    try {
      kubectl.run("create", "deployment", "spread", "--image=busybox", "--replicas=4", "-n", "sched").ok();
      await().atMost(DEADLINE).untilAsserted(() ->
          assertThat(pods("sched", "app=spread")).hasSize(4).allSatisfy(p -> {
            assertThat(running(p)).isTrue();
            assertThat(p.getSpec().getNodeName()).isEqualTo("acc-node-3");
          }));
      kubectl.runWithStdin("""
          apiVersion: v1
          kind: Pod
          metadata: {name: tolerant, namespace: sched}
          spec:
            nodeSelector: {kubernetes.io/hostname: acc-node-1}
            tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]
            containers: [{name: c, image: busybox}]
          """, "create", "-f", "-").ok();
      await().atMost(DEADLINE).untilAsserted(() ->
          assertThat(kubectl.run("get", "pod", "tolerant", "-n", "sched", "-o", "jsonpath={.spec.nodeName}").ok())
              .isEqualTo("acc-node-1"));
      kubectl.runWithStdin("""
          apiVersion: v1
          kind: Pod
          metadata: {name: huge, namespace: sched}
          spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "100"}}}]}
          """, "create", "-f", "-").ok();
      await().atMost(DEADLINE).untilAsserted(() -> {
        String reason = kubectl.run("get", "pod", "huge", "-n", "sched", "-o",
            "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}").ok();
        assertThat(reason).isEqualTo("Unschedulable");
        assertThat(kubectl.run("describe", "pod", "huge", "-n", "sched").ok()).contains("FailedScheduling")
            .contains("Insufficient cpu");
      });
    } finally {
      kubectl.run("taint", "nodes", "acc-node-1", "dedicated=db:NoSchedule-");
      kubectl.run("uncordon", "acc-node-2");
      kubectl.run("delete", "namespace", "sched", "--wait=false");
    }
  }
}
