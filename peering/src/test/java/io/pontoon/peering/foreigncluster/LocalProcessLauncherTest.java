package io.pontoon.peering.foreigncluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with a stand-in command line: started, restarted when it dies, stopped on unpeer. */
class LocalProcessLauncherTest {
  @TempDir Path dir;

  @Test
  void startsRestartsAndStops() {
    var peer = new VirtualKubeletLauncher.Peer("11111111-2222-3333-4444-555555555555", "cluster-2",
        "pontoon-tenant-cluster-2/pontoon-peer-credentials", "pontoon-cluster-2");
    try (LocalProcessLauncher l = new LocalProcessLauncher(
        p -> List.of("sh", "-c", "echo started " + p.clusterName() + " " + p.credentialsSecret() + "; exec sleep 60"),
        dir, Duration.ofMillis(100))) {
      l.ensureRunning(peer);
      l.ensureRunning(peer);
      assertThat(l.running("cluster-2")).isTrue();
      long first = l.pid("cluster-2");
      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(10)).until(() -> l.running("cluster-2") && l.pid("cluster-2") != first);
      assertThat(l.restarts("cluster-2")).isEqualTo(1);
      long second = l.pid("cluster-2");
      l.stop("cluster-2");
      assertThat(l.running("cluster-2")).isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(second).map(p -> !p.isAlive()).orElse(true));
    }
    assertThat(dir.resolve("vk-cluster-2.log")).content()
        .contains("started cluster-2 pontoon-tenant-cluster-2/pontoon-peer-credentials");
  }

  @Test
  void aChildLeftByAKilledAgentIsStoppedBeforeANewOneStarts() {
    var peer = new VirtualKubeletLauncher.Peer("11111111-2222-3333-4444-555555555555", "cluster-3", "ns/s", "pontoon-cluster-3");
    LocalProcessLauncher crashed = new LocalProcessLauncher(p -> List.of("sleep", "60"), dir, Duration.ofMillis(100));
    crashed.ensureRunning(peer);
    long leftover = crashed.pid("cluster-3");
    crashed.abandon();
    try (LocalProcessLauncher restarted = new LocalProcessLauncher(p -> List.of("sleep", "60"), dir, Duration.ofMillis(100))) {
      restarted.ensureRunning(peer);
      assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(restarted.running("cluster-3")).isTrue();
      assertThat(restarted.pid("cluster-3")).isNotEqualTo(leftover);
    }
  }

  @Test
  void theDefaultCommandFollowsTheContract() {
    var cmd = LocalProcessLauncher.virtualKubeletCommand(Path.of("/k/home.kubeconfig")).apply(
        new VirtualKubeletLauncher.Peer("id", "cluster-2", "ns/secret", "pontoon-cluster-2"));
    assertThat(cmd).containsSubsequence("io.pontoon.cli.Main", "virtual-kubelet", "--home-kubeconfig",
        "/k/home.kubeconfig", "--foreign-credentials-secret", "ns/secret", "--foreign-cluster-id", "id",
        "--foreign-cluster-name", "cluster-2");
    assertThat(cmd.subList(1, 1 + LocalProcessLauncher.VK_JVM_OPTIONS.size()))
        .isEqualTo(LocalProcessLauncher.VK_JVM_OPTIONS);
    assertThat(cmd.get(1 + LocalProcessLauncher.VK_JVM_OPTIONS.size())).isEqualTo("-cp");
    assertThat(Files.exists(Path.of(cmd.get(0)))).isTrue();
  }

  @Test
  void jvmOptionsCanBeReplacedThroughTheEnvironment() {
    assertThat(LocalProcessLauncher.vkJvmOptions(java.util.Map.of())).isEqualTo(LocalProcessLauncher.VK_JVM_OPTIONS);
    assertThat(LocalProcessLauncher.vkJvmOptions(java.util.Map.of("PONTOON_VK_JAVA_OPTS", "  ")))
        .isEqualTo(LocalProcessLauncher.VK_JVM_OPTIONS);
    assertThat(LocalProcessLauncher.vkJvmOptions(java.util.Map.of("PONTOON_VK_JAVA_OPTS", " -Xmx256m  -XX:+UseSerialGC ")))
        .containsExactly("-Xmx256m", "-XX:+UseSerialGC");
  }
}
