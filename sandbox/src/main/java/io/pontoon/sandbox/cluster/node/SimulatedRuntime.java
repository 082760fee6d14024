package io.pontoon.sandbox.cluster.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime without processes: a container "runs" until stopped, unless its command line is one
 * of the finite ones {@link SimulatedScript} understands, and writes a line to its log when it
 * starts. Init containers finish at once with 0 unless their script says otherwise. Tests make
 * containers exit with {@link #exit}.
 */
public final class SimulatedRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedRuntime.class);
  /** What a process killed by SIGKILL reports. */
  static final int SIGKILL_EXIT = 137;

  private final String nodeName;
  private final ScheduledExecutorService timers;
  private final Map<String, Container> running = new ConcurrentHashMap<>();
  private final Map<String, String> sandboxes = new ConcurrentHashMap<>();

  public SimulatedRuntime(String nodeName, ScheduledExecutorService timers) {
    this.nodeName = nodeName;
    this.timers = timers;
  }

  private static String key(PodRef pod, String container) {
    return pod.uid() + "/" + container;
  }

  @Override
  public void startPodSandbox(PodRef pod, String podIp) {
    sandboxes.put(pod.uid(), podIp);
  }

  @Override
  public RunningContainer startContainer(PodRef pod, ContainerSpec spec) {
    return start(pod, spec, false);
  }

  @Override
  public RunningContainer startInitContainer(PodRef pod, ContainerSpec spec) {
    return start(pod, spec, true);
  }

  private RunningContainer start(PodRef pod, ContainerSpec spec, boolean init) {
    List<String> commandLine = new ArrayList<>(spec.command());
    commandLine.addAll(spec.args());
    SimulatedScript parsed = SimulatedScript.of(commandLine);
    SimulatedScript script = init && parsed.exitAfter().isEmpty()
        ? new SimulatedScript(parsed.output(), Optional.of(Duration.ZERO), 0, false) : parsed;
    List<String> lines = new ArrayList<>();
    lines.add("simulated container " + spec.name() + " started (image " + spec.image() + ")");
    lines.addAll(script.output());
    appendLog(spec.logFile(), lines);
    Container c = new Container(key(pod, spec.name()), script.ignoresSigterm());
    running.put(c.key, c);
    c.exit.whenComplete((code, e) -> running.remove(c.key, c));
    script.exitAfter().ifPresent(d -> {
      if (d.isZero()) c.exit.complete(script.exitCode());
      else {
        int code = script.exitCode();
        timers.schedule(() -> c.exit.complete(code), d.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
    LOG.debug("node={} pod={}/{} container={} event=started", nodeName, pod.namespace(), pod.name(), spec.name());
    return c;
  }

  /** Makes a running container exit with {@code code}, as if its process ended; false if none runs. */
  public boolean exit(PodRef pod, String container, int code) {
    Container c = running.get(key(pod, container));
    return c != null && c.exit.complete(code);
  }

  /** The IP the pod's sandbox holds, if it has one. */
  public Optional<String> sandboxIp(PodRef pod) {
    return Optional.ofNullable(sandboxes.get(pod.uid()));
  }

  public int runningContainers() {
    return running.size();
  }

  @Override
  public void stopPodSandbox(PodRef pod) {
    sandboxes.remove(pod.uid());
    running.values().removeIf(c -> {
      if (!c.key.startsWith(pod.uid() + "/")) return false;
      c.exit.complete(SIGKILL_EXIT);
      return true;
    });
  }

  @Override
  public String version() {
    return "sandbox://0.1.0";
  }

  @Override
  public void close() {
    running.values().forEach(c -> c.exit.complete(SIGKILL_EXIT));
    running.clear();
    sandboxes.clear();
  }

  private static void appendLog(Path file, List<String> lines) {
    if (file == null) return;
    StringBuilder sb = new StringBuilder();
    String now = CriLog.timestamp(Instant.now());
    for (String l : lines) sb.append(now).append(" stdout F ").append(l).append('\n');
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write container log " + file, e);
    }
  }

  private final class Container implements RunningContainer {
    final String key;
    final boolean ignoresSigterm;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    Container(String key, boolean ignoresSigterm) {
      this.key = key;
      this.ignoresSigterm = ignoresSigterm;
    }

    @Override
    public CompletableFuture<Integer> exit() {
      return exit;
    }

    @Override
    public CompletableFuture<Void> stop(Duration gracePeriod) {
      if (!ignoresSigterm) {
        exit.complete(0); // a well-behaved server exits cleanly on SIGTERM
      } else if (gracePeriod.isZero() || gracePeriod.isNegative()) {
        exit.complete(SIGKILL_EXIT);
      } else {
        timers.schedule(() -> exit.complete(SIGKILL_EXIT), gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
      }
      return exit.thenApply(code -> null);
    }
  }
}
