package io.pontoon.peering.foreigncluster;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each peering's virtual kubelet as a child process, restarts it (with backoff) when it
 * exits, and stops it on unpeer or when the agent stops.
 */
public final class LocalProcessLauncher implements VirtualKubeletLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessLauncher.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Function<Peer, List<String>> commandLine;
  private final Path logDir;
  private final Duration firstBackoff;
  private final Map<String, Child> children = new ConcurrentHashMap<>();
  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vk-supervisor");
    t.setDaemon(true);
    return t;
  });

  private static final class Child {
    final Peer peer;
    Process process;
    int restarts;
    Instant nextStart = Instant.EPOCH;

    Child(Peer peer) {
      this.peer = peer;
    }
  }

  /**
   * @param commandLine the command for a peer (see {@link #virtualKubeletCommand})
   * @param logDir where each child's output goes ({@code vk-<cluster>.log}); null copies it to stderr, each line prefixed {@code [vk <cluster>] }
   */
  public LocalProcessLauncher(Function<Peer, List<String>> commandLine, Path logDir, Duration firstBackoff) {
    this.commandLine = commandLine;
    this.logDir = logDir;
    this.firstBackoff = firstBackoff;
    supervisor.scheduleWithFixedDelay(this::supervise, 500, 500, TimeUnit.MILLISECONDS);
  }

  /**
   * JVM options of a child virtual kubelet: it is on the path from {@code pontoon peer} to a Ready
   * node, so start-up counts. The serial collector suits its small heap and spends no threads;
   * C1 only (tier 1) compiles much less while starting, which on a busy machine is most of the
   * JVM's start-up CPU, and in pod bursts too (VirtualKubeletBenchmark: 1,000 pods after a
   * warm-up took 5.0 CPU-s with C1 against 7.7-9.5 with C2, whose compiler threads were still
   * busy); class data sharing is on (the JDK's archive, then the virtual kubelet's own, see
   * {@link ClassDataArchive}). {@code PONTOON_VK_JAVA_OPTS} (space-separated) replaces them, e.g.
   * {@code -XX:+UseSerialGC} alone to give it C2 back; with {@code -Xshare:off} there it also gets
   * no archive.
   */
  public static final List<String> VK_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xshare:auto", "-XX:-UsePerfData");
  /** How long the first virtual kubelet records the classes it loads before the archive is written. */
  public static final Duration CLASS_RECORDING = Duration.ofSeconds(20);

  static List<String> vkJvmOptions(Map<String, String> env) {
    String custom = env.get("PONTOON_VK_JAVA_OPTS");
    if (custom == null || custom.isBlank()) return VK_JVM_OPTIONS;
    return List.of(custom.trim().split("\\s+"));
  }

  /** Whether the options leave class data sharing to Pontoon's archive (they do not turn it off or name one). */
  static boolean archiveWanted(List<String> jvmOptions) {
    return jvmOptions.stream().noneMatch(o -> o.equals("-Xshare:off") || o.contains("SharedArchiveFile")
        || o.contains("DumpLoadedClassList") || o.contains("ArchiveClassesAtExit"));
  }

  /**
   * {@code java <VK_JVM_OPTIONS> -cp <this classpath> io.pontoon.cli.Main virtual-kubelet ...}
   * with the contract's flags, and the class data archive of that classpath in the user's cache.
   */
  public static Function<Peer, List<String>> virtualKubeletCommand(Path homeKubeconfig) {
    String classPath = System.getProperty("java.class.path");
    ClassDataArchive archive = ClassDataArchive.of(ClassDataArchive.defaultDir(), classPath, CLASS_RECORDING);
    archive.disabledBecause().ifPresent(why -> LOG.info("event=class-data-archive-disabled reason=\"{}\"", why));
    return virtualKubeletCommand(homeKubeconfig, classPath, archive);
  }

  /** The same with the classpath (e.g. Pontoon's jar) and archive given. */
  public static Function<Peer, List<String>> virtualKubeletCommand(Path homeKubeconfig, String classPath,
      ClassDataArchive archive) {
    List<String> jvmOptions = vkJvmOptions(System.getenv());
    boolean useArchive = archiveWanted(jvmOptions);
    return peer -> {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.addAll(jvmOptions);
      if (useArchive) cmd.addAll(archive.jvmOptions());
      cmd.addAll(List.of("-cp", classPath, "io.pontoon.cli.Main", "virtual-kubelet"));
      if (homeKubeconfig != null) cmd.addAll(List.of("--home-kubeconfig", homeKubeconfig.toAbsolutePath().toString()));
      cmd.addAll(List.of("--foreign-credentials-secret", peer.credentialsSecret(),
          "--foreign-cluster-id", peer.clusterId(), "--foreign-cluster-name", peer.clusterName(),
          "--node-name", peer.nodeName()));
      return cmd;
    };
  }

  @Override
  public void ensureRunning(Peer peer) {
    Child existing = children.get(peer.clusterName());
    if (existing != null && existing.peer.equals(peer)) return;
    if (existing != null) stop(peer.clusterName());
    Child c = new Child(peer);
    children.put(peer.clusterName(), c);
    synchronized (c) {
      start(c);
    }
  }

  @Override
  public void stop(String clusterName) {
    Child c = children.remove(clusterName);
    if (c == null) return;
    synchronized (c) {
      if (c.process != null) terminate(c.process);
    }
    LOG.info("event=virtual-kubelet-stopped cluster={}", clusterName);
  }

  @Override
  public boolean running(String clusterName) {
    Child c = children.get(clusterName);
    return c != null && c.process != null && c.process.isAlive();
  }

  /** The child's pid, for tests and status. */
  public long pid(String clusterName) {
    Child c = children.get(clusterName);
    return c == null || c.process == null ? -1 : c.process.pid();
  }

  public int restarts(String clusterName) {
    Child c = children.get(clusterName);
    return c == null ? 0 : c.restarts;
  }

  private void start(Child c) {
    killLeftover(c.peer.clusterName());
    List<String> cmd = commandLine.apply(c.peer);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // Without a log directory the output joins the agent's stderr, line by line with a prefix.
    if (logDir == null) pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
    else pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("vk-" + c.peer.clusterName() + ".log").toFile()));
    try {
      c.process = pb.start();
      recordPid(c.peer.clusterName(), c.process.toHandle());
      if (logDir == null) pipeToStderr(c.process, "[vk " + c.peer.clusterName() + "] ");
      LOG.info("event=virtual-kubelet-started cluster={} pid={} restarts={}", c.peer.clusterName(), c.process.pid(), c.restarts);
    } catch (Exception e) {
      LOG.warn("event=virtual-kubelet-start-failed cluster={} error=\"{}\"", c.peer.clusterName(), e.getMessage());
      c.process = null;
    }
  }

  private static void pipeToStderr(Process p, String prefix) {
    Thread t = new Thread(() -> {
      try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.err.println(prefix + line);
        }
      } catch (java.io.IOException e) {
        // the child went away; nothing more to copy
      }
    }, "vk-log-" + p.pid());
    t.setDaemon(true);
    t.start();
  }

  private void supervise() {
    for (Child c : children.values()) {
      synchronized (c) {
        if (children.get(c.peer.clusterName()) != c) continue;
        if (c.process != null && c.process.isAlive()) continue;
        Instant now = Instant.now();
        if (c.process != null) {
          // It died: schedule the restart with exponential backoff.
          LOG.warn("event=virtual-kubelet-exited cluster={} exitCode={} restarts={}", c.peer.clusterName(),
              c.process.exitValue(), c.restarts);
          long ms = Math.min(MAX_BACKOFF.toMillis(), firstBackoff.toMillis() << Math.min(c.restarts, 16));
          c.nextStart = now.plusMillis(ms);
          c.process = null;
          c.restarts++;
        }
        if (!now.isBefore(c.nextStart)) start(c);
      }
    }
  }

  /**
   * A child of an agent that was killed (SIGKILL leaves children running) would be a second
   * virtual kubelet for the same node: the pid file, checked against the process start time so
   * a reused pid is never hit, finds and stops it.
   */
  private void killLeftover(String clusterName) {
    if (logDir == null) return;
    Path file = logDir.resolve("vk-" + clusterName + ".pid");
    try {
      if (!java.nio.file.Files.exists(file)) return;
      String[] parts = java.nio.file.Files.readString(file).trim().split(" ");
      long pid = Long.parseLong(parts[0]);
      Instant started = Instant.parse(parts[1]);
      ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().startInstant().map(started::equals).orElse(false))
          .ifPresent(h -> {
            LOG.warn("event=virtual-kubelet-leftover-stopped cluster={} pid={}", clusterName, pid);
            h.destroy();
            try {
              h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              h.destroyForcibly();
            }
          });
      java.nio.file.Files.deleteIfExists(file);
    } catch (Exception e) {
      LOG.debug("event=pid-file-unreadable cluster={} error=\"{}\"", clusterName, e.toString());
    }
  }

  private void recordPid(String clusterName, ProcessHandle h) {
    if (logDir == null) return;
    try {
      java.nio.file.Files.writeString(logDir.resolve("vk-" + clusterName + ".pid"),
          h.pid() + " " + h.info().startInstant().map(Instant::toString).orElse(Instant.EPOCH.toString()) + "\n");
    } catch (java.io.IOException e) {
      LOG.debug("event=pid-file-unwritable cluster={} error=\"{}\"", clusterName, e.toString());
    }
  }

  /** Stops supervising without stopping the children: what a killed agent leaves behind (tests). */
  void abandon() {
    supervisor.shutdownNow();
    children.clear();
  }

  private static void terminate(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    supervisor.shutdownNow();
    for (String name : List.copyOf(children.keySet())) stop(name);
  }
}
