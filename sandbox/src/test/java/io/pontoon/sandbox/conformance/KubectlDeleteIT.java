package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl delete}: grace periods, --wait, cascading policies, namespaces. */
@ExtendWith(SandboxExtension.class)
class KubectlDeleteIT {
  @TempDir static Path dir;
  static Kubectl kubectl;

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
    kubectl.runWithStdin("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-d\"}}", "create",
        "-f", "-").ok();
  }

  private static void pod(String name, String node) {
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          %s
          containers: [{name: c, image: busybox}]
        """.formatted(name, node == null ? "" : "nodeName: " + node), "create", "-f", "-").ok();
  }

  @Test
  void unboundPodGoesAtOnce() {
    pod("loose", null);
    assertThat(kubectl.run("delete", "pod", "loose").ok()).isEqualTo("pod \"loose\" deleted\n");
    assertThat(kubectl.run("get", "pod", "loose").fails()).contains("pods \"loose\" not found");
  }

  @Test
  void boundPodTerminatesGracefullyUntilForced() {
    pod("bound", "node-d");
    assertThat(kubectl.run("delete", "pod", "bound", "--grace-period=45", "--wait=false").ok())
        .isEqualTo("pod \"bound\" deleted\n");
    assertThat(kubectl.run("get", "pod", "bound", "-o",
        "jsonpath={.metadata.deletionGracePeriodSeconds} {.metadata.deletionTimestamp}").ok()).matches("45 \\S+Z");
    assertThat(Kubectl.row(kubectl.run("get", "pods").ok(), 0, "bound").get(2)).isEqualTo("Terminating");
    Kubectl.Result forced = kubectl.run("delete", "pod", "bound", "--grace-period=0", "--force");
    assertThat(forced.ok()).isEqualTo("pod \"bound\" force deleted\n");
    assertThat(forced.err()).contains("Warning: Immediate deletion does not wait for confirmation");
    assertThat(kubectl.run("get", "pod", "bound").fails()).contains("pods \"bound\" not found");
  }

  @Test
  void deleteBySelectorAndAll() {
    for (String n : new String[] {"sel-1", "sel-2", "keep"}) {
      kubectl.run("create", "configmap", n).ok();
    }
    kubectl.run("label", "configmap", "sel-1", "sel-2", "batch=x").ok();
    assertThat(kubectl.run("delete", "configmap", "-l", "batch=x").lines())
        .containsExactly("configmap \"sel-1\" deleted", "configmap \"sel-2\" deleted");
    assertThat(kubectl.run("get", "configmap", "keep", "-o", "name").ok()).isEqualTo("configmap/keep\n");
    assertThat(kubectl.run("delete", "configmap", "missing", "--ignore-not-found").ok()).isEmpty();
  }

  /** A Deployment with a ReplicaSet it owns, as the deployment controller would make it. */
  private static String ownedReplicaSet(String deploy) {
    kubectl.run("create", "deployment", deploy, "--image=nginx").ok();
    String uid = kubectl.run("get", "deploy", deploy, "-o", "jsonpath={.metadata.uid}").ok();
    kubectl.runWithStdin("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: %1$s-rs
          labels: {app: %1$s}
          ownerReferences:
          - {apiVersion: apps/v1, kind: Deployment, name: %1$s, uid: %2$s, controller: true, blockOwnerDeletion: true}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec: {containers: [{name: c, image: nginx}]}
        """.formatted(deploy, uid), "create", "-f", "-").ok();
    return deploy + "-rs";
  }

  @Test
  void cascadeOrphanKeepsDependentsWithoutOwner() {
    String rs = ownedReplicaSet("orphaner");
    assertThat(kubectl.run("delete", "deployment", "orphaner", "--cascade=orphan").ok())
        .isEqualTo("deployment.apps \"orphaner\" deleted\n");
    assertThat(kubectl.run("get", "deploy", "orphaner").fails()).contains("not found");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        kubectl.run("get", "rs", rs, "-o", "jsonpath={.metadata.name}:{.metadata.ownerReferences}").ok())
        .isEqualTo(rs + ":"));
  }

  @Test
  void cascadeBackgroundCollectsDependents() {
    String rs = ownedReplicaSet("bg");
    kubectl.run("delete", "deployment", "bg", "--cascade=background").ok();
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(kubectl.run("get", "rs", rs).fails()).contains("not found"));
  }

  @Test
  void cascadeForegroundWaitsForDependents() {
    String rs = ownedReplicaSet("fg");
    // kubectl waits (default --wait=true) until the owner is gone, which needs the dependent gone first
    assertThat(kubectl.run("delete", "deployment", "fg", "--cascade=foreground").ok())
        .isEqualTo("deployment.apps \"fg\" deleted\n");
    assertThat(kubectl.run("get", "rs", rs).fails()).contains("replicasets.apps \"" + rs + "\" not found");
    assertThat(kubectl.run("get", "deploy", "fg").fails()).contains("not found");
  }

  @Test
  void namespaceDeletionRemovesContentsAndWaits() {
    kubectl.run("create", "namespace", "doomed").ok();
    kubectl.run("create", "configmap", "inside", "-n", "doomed").ok();
    kubectl.run("create", "serviceaccount", "robot", "-n", "doomed").ok();
    assertThat(kubectl.run("delete", "namespace", "doomed").ok()).isEqualTo("namespace \"doomed\" deleted\n");
    assertThat(kubectl.run("get", "namespace", "doomed").fails())
        .contains("Error from server (NotFound): namespaces \"doomed\" not found");
    assertThat(kubectl.run("get", "configmaps", "-A", "--field-selector", "metadata.namespace=doomed", "-o", "name")
        .ok()).isEmpty();
  }

  @Test
  void namespaceDeletionWithoutWaitThenKubectlWait() {
    kubectl.run("create", "namespace", "later").ok();
    kubectl.run("create", "configmap", "inside", "-n", "later").ok();
    kubectl.run("delete", "namespace", "later", "--wait=false").ok();
    Kubectl.Result waited = kubectl.run("wait", "--for=delete", "namespace/later", "--timeout=20s");
    assertThat(waited.exitCode()).as(waited.err()).isZero();
    assertThat(kubectl.run("create", "configmap", "x", "-n", "later").fails())
        .contains("namespaces \"later\" not found");
  }

  @Test
  void creatingInATerminatingNamespaceIsForbidden() {
    kubectl.run("create", "namespace", "closing").ok();
    kubectl.run("create", "configmap", "held", "-n", "closing").ok();
    kubectl.run("patch", "configmap", "held", "-n", "closing", "--type=merge", "-p",
        "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}").ok();
    kubectl.run("delete", "namespace", "closing", "--wait=false").ok();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        kubectl.run("get", "ns", "closing", "-o", "jsonpath={.status.phase}").ok()).isEqualTo("Terminating"));
    assertThat(kubectl.run("create", "configmap", "late", "-n", "closing").fails())
        .contains("error: failed to create configmap: configmaps \"late\" is forbidden: unable to create new content in "
            + "namespace closing because it is being terminated");
    kubectl.run("patch", "configmap", "held", "-n", "closing", "--type=merge", "-p",
        "{\"metadata\":{\"finalizers\":null}}").ok();
    assertThat(kubectl.run("wait", "--for=delete", "namespace/closing", "--timeout=20s").exitCode()).isZero();
  }
}
