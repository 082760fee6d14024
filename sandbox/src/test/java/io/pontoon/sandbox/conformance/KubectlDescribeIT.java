package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl describe}: it reads objects, related objects and events through field selectors. */
@ExtendWith(SandboxExtension.class)
class KubectlDescribeIT {
  @TempDir static Path dir;
  static Kubectl kubectl;

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Node
        metadata: {name: node-x, labels: {kubernetes.io/hostname: node-x}}
        spec:
          podCIDR: 10.244.1.0/24
          taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
        """, "create", "-f", "-").ok();
    kubectl.run("patch", "node", "node-x", "--subresource=status", "--type=merge", "-p", """
        {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
           "message":"kubelet is posting ready status","lastHeartbeatTime":"2026-01-01T00:00:00Z",
           "lastTransitionTime":"2026-01-01T00:00:00Z"}],
         "addresses":[{"type":"InternalIP","address":"10.1.0.9"}],
         "capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
         "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian","kernelVersion":"6.1","architecture":"amd64",
           "operatingSystem":"linux","containerRuntimeVersion":"containerd://1.7","bootID":"","machineID":"",
           "systemUUID":"","kubeProxyVersion":""}}}""").ok();
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Pod
        metadata: {name: described, labels: {app: demo}}
        spec:
          nodeName: node-x
          tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
          containers:
          - name: web
            image: nginx:1.27
            ports: [{containerPort: 80}]
            env: [{name: MODE, value: prod}]
        """, "create", "-f", "-").ok();
    String uid = kubectl.run("get", "pod", "described", "-o", "jsonpath={.metadata.uid}").ok();
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Event
        metadata: {name: described.pulled}
        involvedObject: {kind: Pod, name: described, namespace: default, uid: %s, apiVersion: v1}
        reason: Pulled
        type: Normal
        message: Container image "nginx:1.27" already present on machine
        source: {component: kubelet, host: node-x}
        firstTimestamp: "2026-01-01T00:00:00Z"
        lastTimestamp: "2026-01-01T00:00:00Z"
        count: 1
        """.formatted(uid), "create", "-f", "-").ok();
  }

  @Test
  void describePodShowsSpecAndEvents() {
    String out = kubectl.run("describe", "pod", "described").ok();
    assertThat(out).containsPattern("(?m)^Name:\\s+described$")
        .containsPattern("(?m)^Namespace:\\s+default$")
        // host IP comes from the pod status a kubelet writes; none here
        .containsPattern("(?m)^Node:\\s+node-x/$")
        .containsPattern("(?m)^Labels:\\s+app=demo$")
        .containsPattern("(?m)^Status:\\s+Pending$")
        .containsPattern("(?m)^\\s+Image:\\s+nginx:1.27$")
        .containsPattern("(?m)^\\s+Port:\\s+80/TCP$")
        .containsPattern("(?m)^\\s+MODE:\\s+prod$")
        .containsPattern("(?m)^QoS Class:\\s+BestEffort$")
        .containsPattern("(?m)^Tolerations:\\s+dedicated=gpu:NoSchedule$")
        .containsPattern("(?m)^Events:$")
        .containsPattern("(?m)^\\s+Type\\s+Reason\\s+Age\\s+From\\s+Message$")
        .containsPattern("(?m)^\\s+Normal\\s+Pulled\\s+\\S+\\s+kubelet\\s+Container image \"nginx:1.27\" already "
            + "present on machine$");
  }

  @Test
  void describeDeployment() {
    kubectl.run("create", "deployment", "shown", "--image=nginx:1.27", "--replicas=3").ok();
    String out = kubectl.run("describe", "deployment", "shown").ok();
    assertThat(out).containsPattern("(?m)^Name:\\s+shown$")
        .containsPattern("(?m)^Selector:\\s+app=shown$")
        .containsPattern("(?m)^Replicas:\\s+3 desired \\| 0 updated \\| 0 total \\| 0 available \\| 0 unavailable$")
        .containsPattern("(?m)^StrategyType:\\s+RollingUpdate$")
        .containsPattern("(?m)^RollingUpdateStrategy:\\s+25% max unavailable, 25% max surge$")
        .containsPattern("(?m)^\\s+Image:\\s+nginx:1.27$");
  }

  @Test
  void describeNode() {
    String out = kubectl.run("describe", "node", "node-x").ok();
    assertThat(out).containsPattern("(?m)^Name:\\s+node-x$")
        .containsPattern("(?m)^Taints:\\s+dedicated=gpu:NoSchedule$")
        .containsPattern("(?m)^Unschedulable:\\s+false$")
        .containsPattern("(?m)^\\s+Ready\\s+True\\s+.*KubeletReady\\s+kubelet is posting ready status$")
        .containsPattern("(?m)^\\s+InternalIP:\\s+10.1.0.9$")
        .containsPattern("(?m)^\\s+Kubelet Version:\\s+v1.32.0$")
        .containsPattern("(?m)^PodCIDR:\\s+10.244.1.0/24$")
        // the pods on the node come from a field-selected list
        .containsPattern("(?m)^Non-terminated Pods:\\s+\\(1 in total\\)$")
        .containsPattern("(?m)^\\s+default\\s+described\\s+0 \\(0%\\)");
  }

  @Test
  void describeNamespace() {
    kubectl.run("create", "namespace", "quiet").ok();
    String out = kubectl.run("describe", "namespace", "quiet").ok();
    assertThat(out).containsPattern("(?m)^Name:\\s+quiet$")
        .containsPattern("(?m)^Labels:\\s+kubernetes.io/metadata.name=quiet$")
        .containsPattern("(?m)^Status:\\s+Active$")
        .contains("No resource quota.", "No LimitRange resource.");
  }
}
