package io.pontoon.sandbox.cluster.dataplane;

import io.pontoon.sandbox.cluster.node.ContainerRuntime.RunningContainer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's main process: started through {@code setsid}, so its pid is also its process group
 * and signals reach every process it spawned.
 */
final class ContainerProcess implements RunningContainer {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerProcess.class);

  private final String description;
  private final Process process;
  private final CommandRunner runner;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private ContainerProcess(String description, Process process, CommandRunner runner,
      ScheduledExecutorService scheduler) {
    this.description = description;
    this.process = process;
    this.runner = runner;
    this.scheduler = scheduler;
  }

  static ContainerProcess started(String description, Process process, CommandRunner runner,
      ScheduledExecutorService scheduler) {
    ContainerProcess c = new ContainerProcess(description, process, runner, scheduler);
    // after the runtime closed its scheduler, finish on the reaper thread rather than never
    Executor async = task -> {
      try {
        scheduler.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
    process.onExit().thenAcceptAsync(p -> c.exited(p.exitValue()), async);
    return c;
  }

  /** A container whose process could not start: it has already exited with {@code code}. */
  static ContainerProcess failed(String description, int code, CommandRunner runner,
      ScheduledExecutorService scheduler) {
    ContainerProcess c = new ContainerProcess(description, null, runner, scheduler);
    c.exit.complete(code);
    return c;
  }

  private void exited(int code) {
    // like a container's PID namespace: when the main process ends, whatever it left behind goes too
    killGroupQuietly("KILL");
    LOG.info("{} pid={} exit={} event=container-exited", description, process.pid(), code);
    exit.complete(code);
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit.copy();
  }

  @Override
  public CompletableFuture<Void> stop(Duration gracePeriod) {
    if (exit.isDone()) return CompletableFuture.completedFuture(null);
    long graceMillis = gracePeriod == null ? 0 : Math.max(0, gracePeriod.toMillis());
    LOG.info("{} pid={} graceMillis={} event=container-stopping", description, pid(), graceMillis);
    if (graceMillis == 0) {
      kill();
    } else {
      killGroupQuietly("TERM");
      process.destroy(); // reaches the process even if it was not yet its own group
      try {
        scheduler.schedule(() -> {
          if (!exit.isDone()) {
            LOG.info("{} pid={} event=container-killed-after-grace", description, pid());
            kill();
          }
        }, graceMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        kill(); // the runtime is closing: no grace left to wait for
      }
    }
    return exit.thenApply(code -> null);
  }

  /** SIGKILL to the whole group, at once. */
  void kill() {
    if (process == null) return;
    killGroupQuietly("KILL");
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void killGroupQuietly(String signal) {
    if (process == null) return;
    try {
      // the group id is the pid (setsid); a negative id addresses the group
      HostProcesses.signalGroup(runner, process.pid(), signal);
    } catch (RuntimeException e) {
      LOG.warn("{} pid={} signal={} error=\"{}\" event=signal-failed", description, process.pid(), signal, e.getMessage());
    }
  }
}
