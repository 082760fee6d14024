package io.pontoon.peering.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway launcher with a stand-in command: started once per peer, restarted when it dies,
 * restarted on a new port, replaced when an earlier agent left it, and stopped before its
 * dataplane is removed.
 */
class LocalGatewayLauncherTest {
  private static final String PEER = "11111111-2222-3333-4444-555555555555";
  @TempDir Path dir;
  final List<String> removed = new CopyOnWriteArrayList<>();

  private LocalGatewayLauncher launcher() {
    return launcher(new LocalGatewayLauncher.Restarts(Duration.ofMillis(100), Duration.ofSeconds(30),
        Duration.ofSeconds(10)));
  }

  private LocalGatewayLauncher launcher(LocalGatewayLauncher.Restarts restarts) {
    return new LocalGatewayLauncher("gw-test", g -> List.of("sleep", "60"), dir, restarts, removed::add);
  }

  @Test
  void theBackOffDoublesPerQuickExitUpToItsMaximumAndIsZeroAfterAStableRun() {
    var r = new LocalGatewayLauncher.Restarts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));
    assertThat(r.delay(0)).isZero();
    assertThat(r.delay(1)).hasSeconds(1);
    assertThat(r.delay(2)).hasSeconds(2);
    assertThat(r.delay(5)).hasSeconds(16);
    assertThat(r.delay(6)).hasSeconds(30);
    assertThat(r.delay(1000)).hasSeconds(30);
  }

  @Test
  void aGatewayKilledAfterAStableRunIsRestartedAtOnceAndAQuickExitWaitsTheBackOff() {
    // a first back-off far beyond the awaited time: only the stable-run rule can restart it in time
    var restarts = new LocalGatewayLauncher.Restarts(Duration.ofSeconds(60), Duration.ofSeconds(60),
        Duration.ofMillis(300));
    try (LocalGatewayLauncher l = launcher(restarts)) {
      l.ensureRunning(new GatewayLauncher.Gateway(PEER, "cluster-2", 51820));
      long first = l.pid(PEER);
      await().pollDelay(Duration.ofMillis(400)).until(() -> true); // past the stable run
      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(5)).until(() -> l.running(PEER) && l.pid(PEER) != first);
      long second = l.pid(PEER);
      // killed again at once: a quick exit, so the 60 s back-off applies
      ProcessHandle.of(second).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(5)).until(() -> !l.running(PEER));
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !l.running(PEER));
      assertThat(l.restarts(PEER)).isEqualTo(2);
    }
  }

  @Test
  void startsOnceRestartsWhenItDiesAndStopsBeforeRemovingTheDataplane() {
    var gw = new GatewayLauncher.Gateway(PEER, "cluster-2", 51820);
    try (LocalGatewayLauncher l = launcher()) {
      l.ensureRunning(gw);
      l.ensureRunning(gw);
      long first = l.pid(PEER);
      assertThat(l.running(PEER)).isTrue();
      assertThat(dir.resolve("gw-test").resolve(PEER + ".pid")).content().startsWith(first + " ");
      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(10)).until(() -> l.running(PEER) && l.pid(PEER) != first);
      assertThat(l.restarts(PEER)).isEqualTo(1);
      long second = l.pid(PEER);
      // the Tunnel's port changed: the process restarts with it
      l.ensureRunning(new GatewayLauncher.Gateway(PEER, "cluster-2", 51821));
      long third = l.pid(PEER);
      assertThat(third).isNotEqualTo(second);
      assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(removed).isEmpty();
      l.stop(PEER);
      assertThat(ProcessHandle.of(third).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(removed).containsExactly(PEER);
      assertThat(l.running(PEER)).isFalse();
      assertThat(l.leftovers()).isEmpty();
      l.stop(PEER); // idempotent: removes again, nothing to stop
      assertThat(removed).containsExactly(PEER, PEER);
    }
  }

  @Test
  void aGatewayLeftByAKilledAgentIsReplacedNotDuplicated() {
    var gw = new GatewayLauncher.Gateway(PEER, "cluster-2", 51820);
    LocalGatewayLauncher crashed = launcher();
    crashed.ensureRunning(gw);
    long leftover = crashed.pid(PEER);
    crashed.abandon();
    try (LocalGatewayLauncher restarted = launcher()) {
      assertThat(restarted.leftovers()).containsExactly(PEER);
      restarted.ensureRunning(gw);
      assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(restarted.running(PEER)).isTrue();
      assertThat(restarted.pid(PEER)).isNotEqualTo(leftover);
      assertThat(removed).isEmpty();
    }
  }

  @Test
  void aLeftoverWhoseTunnelIsGoneIsStoppedAndItsDataplaneRemoved() {
    LocalGatewayLauncher crashed = launcher();
    crashed.ensureRunning(new GatewayLauncher.Gateway(PEER, "cluster-2", 51820));
    long leftover = crashed.pid(PEER);
    crashed.abandon();
    try (LocalGatewayLauncher restarted = launcher()) {
      restarted.stop(PEER);
      assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(removed).containsExactly(PEER);
      assertThat(restarted.leftovers()).isEmpty();
    }
  }

  @Test
  void closingStopsProcessesButKeepsThePidFilesForTheNextAgent() throws Exception {
    LocalGatewayLauncher l = launcher();
    l.ensureRunning(new GatewayLauncher.Gateway(PEER, "cluster-2", 51820));
    long pid = l.pid(PEER);
    l.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(removed).isEmpty();
    assertThat(Files.exists(dir.resolve("gw-test").resolve(PEER + ".pid"))).isTrue();
    try (LocalGatewayLauncher next = launcher()) {
      assertThat(next.leftovers()).containsExactly(PEER);
    }
  }

  @Test
  void theDefaultCommandFollowsTheContract() {
    var cmd = LocalGatewayLauncher.gatewayCommand(LocalGatewayLauncher::pontoonMain, Path.of("/k/c1.kubeconfig"), "gw-1")
        .apply(new GatewayLauncher.Gateway(PEER, "cluster-2", 51821));
    assertThat(cmd).containsSubsequence("-cp", System.getProperty("java.class.path"), "io.pontoon.cli.Main", "gateway",
        "--kubeconfig", "/k/c1.kubeconfig", "--peer", PEER, "--netns", "gw-1", "--listen-port", "51821",
        "--metrics-port", "0");
  }
}
