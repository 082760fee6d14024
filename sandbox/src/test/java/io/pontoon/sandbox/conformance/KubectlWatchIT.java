package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl get -w}: the initial list, then one line per change, streamed as they happen. */
@ExtendWith(SandboxExtension.class)
class KubectlWatchIT {
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  @TempDir static Path dir;
  static Kubectl kubectl;
  static SandboxApiServer server;

  @BeforeAll
  static void setUp(SandboxApiServer s) {
    server = s;
    kubectl = Kubectl.admin(s, dir);
  }

  /** Waits until the background kubectl has its watch open on the server, so no event can slip by. */
  private static void awaitWatchOpen(String resource) {
    var type = server.registry().find("", "v1", resource).orElseThrow();
    await().atMost(DEADLINE).until(() -> server.store().watchCount(type) > 0);
  }

  @Test
  void watchStreamsAddedModifiedDeleted() {
    kubectl.run("create", "namespace", "w1").ok();
    kubectl.run("create", "configmap", "before", "-n", "w1", "--from-literal=a=1").ok();
    try (Kubectl.Background watch = kubectl.background("get", "configmaps", "-n", "w1", "-w",
        "--output-watch-events")) {
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(2));
      awaitWatchOpen("configmaps");
      assertThat(Kubectl.header(watch.out())).containsExactly("EVENT", "NAME", "DATA", "AGE");
      assertThat(Kubectl.columns(watch.lines().get(1)).subList(0, 3)).containsExactly("ADDED", "before", "1");

      kubectl.run("create", "configmap", "live", "-n", "w1").ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(3));
      kubectl.run("patch", "configmap", "live", "-n", "w1", "--type=merge", "-p", "{\"data\":{\"x\":\"1\",\"y\":\"2\"}}")
          .ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(4));
      kubectl.run("delete", "configmap", "live", "-n", "w1").ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(5));
      List<String> lines = watch.lines();
      assertThat(Kubectl.columns(lines.get(2)).subList(0, 3)).containsExactly("ADDED", "live", "0");
      assertThat(Kubectl.columns(lines.get(3)).subList(0, 3)).containsExactly("MODIFIED", "live", "2");
      assertThat(Kubectl.columns(lines.get(4)).subList(0, 3)).containsExactly("DELETED", "live", "2");
      assertThat(watch.isAlive()).isTrue();
    }
  }

  @Test
  void watchOnlyAndSelectorFiltered() {
    kubectl.run("create", "namespace", "w2").ok();
    kubectl.run("create", "configmap", "old", "-n", "w2").ok();
    try (Kubectl.Background watch = kubectl.background("get", "configmaps", "-n", "w2", "--watch-only", "-l",
        "pick=yes", "-o", "name")) {
      // nothing listed up front: only changes made after the watch is open are printed
      awaitWatchOpen("configmaps");
      kubectl.run("create", "configmap", "marker", "-n", "w2").ok();
      kubectl.run("label", "configmap", "marker", "-n", "w2", "pick=yes").ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).contains("configmap/marker"));
      kubectl.run("create", "configmap", "ignored", "-n", "w2").ok();
      kubectl.run("label", "configmap", "marker", "-n", "w2", "pick=no", "--overwrite").ok();
      // a labelled object that stops matching arrives as a deletion: still one more line for marker
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(2));
      assertThat(watch.lines()).containsOnly("configmap/marker");
      assertThat(watch.out()).doesNotContain("old", "ignored");
    }
  }

  @Test
  void watchASinglePodShowsItsStatusChanges() {
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Pod
        metadata: {name: watched}
        spec: {containers: [{name: c, image: busybox}]}
        """, "create", "-f", "-").ok();
    try (Kubectl.Background watch = kubectl.background("get", "pod", "watched", "-w")) {
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(2));
      awaitWatchOpen("pods");
      assertThat(Kubectl.header(watch.out())).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
      kubectl.run("patch", "pod", "watched", "--subresource=status", "--type=merge", "-p",
          "{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"image\":\"busybox\","
              + "\"imageID\":\"\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]}}").ok();
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(watch.lines()).hasSize(3));
      assertThat(Kubectl.columns(watch.lines().get(1)).subList(0, 3)).containsExactly("watched", "0/1", "Pending");
      assertThat(Kubectl.columns(watch.lines().get(2)).subList(0, 3)).containsExactly("watched", "1/1", "Running");
    }
  }
}
