package io.pontoon.peering.gateway;

import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.tunnel.TunnelDataplane;
import io.pontoon.peering.foreigncluster.ClassDataArchive;
import io.pontoon.peering.foreigncluster.LocalProcessLauncher;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox dataplane mode's gateways: one child process {@code pontoon gateway --peer ID
 * --netns NS --listen-port P} per Tunnel, restarted when it exits (see {@link Restarts}), its
 * output copied to the agent's stderr with the prefix {@code [gateway <peer>] }.
 *
 * <p>Each child's pid and start time go into {@code <pidDir>/<netns>/<peerId>.pid}. A gateway
 * that a SIGKILLed agent left running is found there (the start time guards against a reused pid)
 * and replaced, so a peering never has two gateways; the new one adopts the running dataplane
 * (interface, wireguard-go, nft table), so traffic does not stop. The old process is replaced
 * rather than kept because its output went to the dead agent.
 *
 * <p>{@link #stop} ends the process first and then removes the dataplane itself (as root, in the
 * namespace), so unpeering leaves nothing behind even when the gateway had already died.
 */
public final class LocalGatewayLauncher implements GatewayLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(LocalGatewayLauncher.class);
  /** Where pid files live unless told otherwise; per namespace below it. */
  public static final Path DEFAULT_PID_DIR = Path.of("/run/pontoon/gateways");

  private final String netns;
  private final Function<Gateway, List<String>> commandLine;
  private final Path pidDir;
  private final Restarts restartPolicy;
  private final Consumer<String> removeDataplane;
  private final Map<String, Child> children = new HashMap<>();
  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gateway-supervisor");
    t.setDaemon(true);
    return t;
  });

  private static final class Child {
    final Gateway gateway;
    Process process;
    Instant startedAt;
    int restarts;
    /** Exits in a row that came sooner than {@link Restarts#stableRun} after their start. */
    int quickExits;
    Instant nextStart = Instant.EPOCH;

    Child(Gateway gateway) {
      this.gateway = gateway;
    }
  }

  /**
   * When a gateway that exited starts again: at once when it had run for {@code stableRun} (a
   * crash after a good run is an outage to end now, as the kubelet resets a container's back-off
   * after a good run); after {@code first}, doubling per quick exit in a row up to {@code max},
   * when it keeps exiting soon after its start.
   */
  public record Restarts(Duration first, Duration max, Duration stableRun) {
    public static final Restarts DEFAULT = new Restarts(Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofSeconds(10));

    /** The wait before the next start after {@code quickExits} quick exits in a row (0: the last run was stable). */
    public Duration delay(int quickExits) {
      if (quickExits <= 0) return Duration.ZERO;
      return Duration.ofMillis(Math.min(max.toMillis(), first.toMillis() << Math.min(quickExits - 1, 16)));
    }

    boolean stable(Instant startedAt, Instant exitedAt) {
      return Duration.between(startedAt, exitedAt).compareTo(stableRun) >= 0;
    }
  }

  /**
   * @param netns the gateway network namespace (must exist)
   * @param commandLine the command for a gateway (see {@link #gatewayCommand})
   * @param pidDir parent of the per-namespace pid file directory
   * @param removeDataplane removes a peer's dataplane in {@code netns} (see {@link #removeIn})
   */
  public LocalGatewayLauncher(String netns, Function<Gateway, List<String>> commandLine, Path pidDir,
      Restarts restartPolicy, Consumer<String> removeDataplane) {
    if (netns == null || !netns.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("gateway network namespace must be a plain name, got '" + netns + "'");
    }
    this.netns = netns;
    this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
    this.pidDir = pidDir.resolve(netns);
    this.restartPolicy = Objects.requireNonNull(restartPolicy, "restartPolicy");
    this.removeDataplane = Objects.requireNonNull(removeDataplane, "removeDataplane");
    try {
      Files.createDirectories(this.pidDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + this.pidDir + " for gateway pid files: " + e.getMessage()
          + "; the agent needs root with --gateway-netns", e);
    }
    supervisor.scheduleWithFixedDelay(this::supervise, 500, 500, TimeUnit.MILLISECONDS);
  }

  /** The agent's default: {@code pontoon gateway} from this JVM's classpath, pid files under /run. */
  public static LocalGatewayLauncher of(String netns, Path kubeconfig) {
    return new LocalGatewayLauncher(netns, gatewayCommand(LocalGatewayLauncher::pontoonMain, kubeconfig, netns), DEFAULT_PID_DIR,
        Restarts.DEFAULT, removeIn(netns));
  }

  /**
   * {@code java -cp <this classpath> io.pontoon.cli.Main}: the agent runs from the {@code pontoon}
   * jar, which holds the cli (peering cannot depend on it), as the virtual-kubelet launcher does.
   * A gateway watches two kinds and runs commands: a small heap and the client compiler keep one
   * per peering cheap on a small machine. Its start is the outage of a restarted gateway, so it
   * maps the virtual kubelet's class data archive of the same jar when there is one (evaluated
   * per launch: the archive appears once the first virtual kubelet has run).
   */
  public static List<String> pontoonMain() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    // the virtual kubelet's start-up friendly options, with a smaller heap
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m"));
    cmd.addAll(LocalProcessLauncher.VK_JVM_OPTIONS);
    cmd.addAll(ClassDataArchive.of(ClassDataArchive.defaultDir(), classPath, LocalProcessLauncher.CLASS_RECORDING)
        .mapIfPresent());
    cmd.addAll(List.of("-cp", classPath, "io.pontoon.cli.Main"));
    return cmd;
  }

  /**
   * {@code <main> gateway --kubeconfig F --peer ID --netns NS --listen-port P --metrics-port 0}.
   *
   * @param main the command that runs {@code pontoon}, asked at each launch (see {@link #pontoonMain})
   * @param kubeconfig the agent's kubeconfig (null: the gateway's defaults, in-cluster)
   */
  public static Function<Gateway, List<String>> gatewayCommand(Supplier<List<String>> main, Path kubeconfig,
      String netns) {
    return g -> {
      List<String> cmd = new ArrayList<>(main.get());
      cmd.add("gateway");
      if (kubeconfig != null) cmd.addAll(List.of("--kubeconfig", kubeconfig.toAbsolutePath().toString()));
      cmd.addAll(List.of("--peer", g.peerId(), "--netns", netns, "--listen-port", Integer.toString(g.listenPort()),
          "--metrics-port", "0"));
      return cmd;
    };
  }

  /** Removes a peer's dataplane in {@code netns} with the gateway's own code. */
  public static Consumer<String> removeIn(String netns) {
    TunnelDataplane dataplane = new TunnelDataplane(HostCommands.inNetns(netns));
    return dataplane::remove;
  }

  public String netns() {
    return netns;
  }

  @Override
  public synchronized void ensureRunning(Gateway gateway) {
    Child existing = children.get(gateway.peerId());
    if (existing != null && existing.gateway.equals(gateway)) return;
    if (existing != null) {
      // The port changed: the process gets it on its command line, so it starts again.
      LOG.info("event=gateway-restart peer={} reason=spec-changed listenPort={}", gateway.peerName(), gateway.listenPort());
      children.remove(gateway.peerId());
      if (existing.process != null) terminate(existing.process.toHandle());
    }
    Child c = new Child(gateway);
    children.put(gateway.peerId(), c);
    start(c);
  }

  @Override
  public synchronized void stop(String peerId) {
    Child c = children.remove(peerId);
    if (c != null && c.process != null) terminate(c.process.toHandle());
    stopLeftover(peerId);
    // The process is gone, so nothing re-creates what is removed now.
    removeDataplane.accept(peerId);
    deletePidFile(peerId);
    LOG.info("event=gateway-stopped peer={} netns={} dataplane=removed", c == null ? peerId : c.gateway.peerName(), netns);
  }

  @Override
  public synchronized boolean running(String peerId) {
    Child c = children.get(peerId);
    return c != null && c.process != null && c.process.isAlive();
  }

  /** The gateway's pid, or -1. */
  public synchronized long pid(String peerId) {
    Child c = children.get(peerId);
    return c == null || c.process == null ? -1 : c.process.pid();
  }

  public synchronized int restarts(String peerId) {
    Child c = children.get(peerId);
    return c == null ? 0 : c.restarts;
  }

  @Override
  public synchronized Set<String> leftovers() {
    Set<String> out = new HashSet<>();
    try (Stream<Path> files = Files.list(pidDir)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pid"))
          .forEach(n -> out.add(n.substring(0, n.length() - ".pid".length())));
    } catch (IOException e) {
      LOG.debug("event=pid-dir-unreadable dir={} error=\"{}\"", pidDir, e.toString());
    }
    return out;
  }

  private void start(Child c) {
    stopLeftover(c.gateway.peerId());
    List<String> cmd = commandLine.apply(c.gateway);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.PIPE);
    try {
      c.process = pb.start();
      c.startedAt = Instant.now();
      // An exit is handled at once, not at the next supervision tick: the restart is an outage.
      c.process.onExit().thenRun(() -> {
        if (!supervisor.isShutdown()) supervisor.execute(this::supervise);
      });
      writePidFile(c.gateway.peerId(), c.process.toHandle());
      pipeToStderr(c.process, "[gateway " + c.gateway.peerName() + "] ");
      LOG.info("event=gateway-started peer={} peerID={} netns={} listenPort={} pid={} restarts={}", c.gateway.peerName(),
          c.gateway.peerId(), netns, c.gateway.listenPort(), c.process.pid(), c.restarts);
    } catch (IOException e) {
      LOG.warn("event=gateway-start-failed peer={} error=\"{}\"", c.gateway.peerName(), e.getMessage());
      c.process = null;
      c.restarts++;
      c.quickExits++;
      c.nextStart = Instant.now().plus(restartPolicy.delay(c.quickExits));
    }
  }

  private synchronized void supervise() {
    Instant now = Instant.now();
    for (Child c : children.values()) {
      if (c.process != null && c.process.isAlive()) continue;
      if (c.process != null) {
        c.quickExits = restartPolicy.stable(c.startedAt, now) ? 0 : c.quickExits + 1;
        Duration delay = restartPolicy.delay(c.quickExits);
        c.nextStart = now.plus(delay);
        if (!delay.isZero()) supervisor.schedule(this::supervise, delay.toMillis(), TimeUnit.MILLISECONDS);
        LOG.warn("event=gateway-exited peer={} exitCode={} restarts={} restartInMs={}", c.gateway.peerName(),
            c.process.exitValue(), c.restarts, delay.toMillis());
        c.process = null;
        c.restarts++;
      }
      if (!now.isBefore(c.nextStart)) start(c);
    }
  }

  private static void pipeToStderr(Process p, String prefix) {
    Thread t = new Thread(() -> {
      try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.err.println(prefix + line);
        }
      } catch (IOException e) {
        // the child went away; nothing more to copy
      }
    }, "gateway-log-" + p.pid());
    t.setDaemon(true);
    t.start();
  }

  private Path pidFile(String peerId) {
    return pidDir.resolve(peerId + ".pid");
  }

  private void writePidFile(String peerId, ProcessHandle h) {
    try {
      Path tmp = pidDir.resolve(peerId + ".pid.tmp");
      Files.writeString(tmp, h.pid() + " " + h.info().startInstant().map(Instant::toString).orElse(Instant.EPOCH.toString())
          + "\n");
      Files.move(tmp, pidFile(peerId), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("event=pid-file-unwritable peer={} dir={} error=\"{}\"", peerId, pidDir, e.toString());
    }
  }

  private void deletePidFile(String peerId) {
    try {
      Files.deleteIfExists(pidFile(peerId));
    } catch (IOException e) {
      LOG.warn("event=pid-file-undeletable peer={} error=\"{}\"", peerId, e.toString());
    }
  }

  /** The process a pid file names, when it still runs (same pid and start time). */
  Optional<ProcessHandle> recorded(String peerId) {
    try {
      Path file = pidFile(peerId);
      if (!Files.exists(file)) return Optional.empty();
      String[] parts = Files.readString(file).trim().split(" ");
      long pid = Long.parseLong(parts[0]);
      Instant started = Instant.parse(parts[1]);
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().startInstant().map(started::equals).orElse(false));
    } catch (IOException | RuntimeException e) {
      LOG.debug("event=pid-file-unreadable peer={} error=\"{}\"", peerId, e.toString());
      return Optional.empty();
    }
  }

  /** A gateway an earlier agent started for this peer, still running: stopped. */
  private void stopLeftover(String peerId) {
    Child c = children.get(peerId);
    long mine = c == null || c.process == null ? -1 : c.process.pid();
    recorded(peerId).filter(h -> h.pid() != mine).ifPresent(h -> {
      LOG.warn("event=gateway-leftover-stopped peer={} pid={}", peerId, h.pid());
      terminate(h);
    });
  }

  private static void terminate(ProcessHandle h) {
    h.destroy();
    try {
      h.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the next start's leftover check
      }
    }
  }

  /** Stops supervising without stopping the children: what a killed agent leaves behind (tests). */
  synchronized void abandon() {
    supervisor.shutdownNow();
    children.clear();
  }

  @Override
  public void close() {
    supervisor.shutdownNow();
    synchronized (this) {
      // Pid files stay: they tell the next agent which dataplanes this namespace may hold.
      for (Child c : children.values()) {
        if (c.process != null) terminate(c.process.toHandle());
      }
      children.clear();
    }
  }
}
