package io.pontoon.sandbox.cluster.dataplane;

import io.pontoon.sandbox.cluster.node.ContainerRuntime;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container runtime of one simulated node in dataplane mode: each pod is a network namespace
 * whose {@code eth0} (a veth whose other end sits on the node's bridge) holds the pod IP with a
 * default route via the bridge address; each container is a host process started inside that
 * namespace with {@code setsid ip netns exec}, its stdout and stderr appended to the log file.
 *
 * <p>Every operation is idempotent and finds leftovers of a crashed run by name: starting a pod
 * sandbox whose namespace already exists (and that this instance did not create) replaces it.
 *
 * <p>Containers run with a small host environment (PATH, HOME, LANG, LC_ALL, TZ, TERM and pyenv's
 * variables) plus the container's own env, {@code HOSTNAME=<pod>} and the marker
 * {@code PONTOON_SANDBOX=<sandbox id>} that cleanup looks for. Their working directory is the log
 * file's directory. A container without command or args runs {@code sleep infinity}. A command that
 * is not found exits at once with code 128 (as Kubernetes reports a StartError) and says why in the log.
 */
public final class NetnsRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsRuntime.class);
  private static final List<String> HOST_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM", "PYENV_ROOT",
      "PYENV_VERSION");
  private static final List<String> PLACEHOLDER = List.of("sleep", "infinity");
  static final int START_ERROR_EXIT_CODE = 128;
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final Duration NAMESPACE_JOIN_TIMEOUT = Duration.ofSeconds(5);

  private final Dataplane dataplane;
  private final NodeNetwork node;
  private final Ip ip;
  private final Names names;
  private final ScheduledExecutorService scheduler;
  private final Map<String, PodSandbox> pods = new ConcurrentHashMap<>();
  private final Map<String, Object> podLocks = new ConcurrentHashMap<>();

  /** One pod's network sandbox and the containers started in it. */
  private record PodSandbox(PodRef ref, String podIp, String netns, String hostVeth,
      List<ContainerProcess> containers) {}

  /** The runtime of {@code node}; {@link ClusterNetwork#runtime(NodeNetwork)} is the usual way to get one. */
  public NetnsRuntime(Dataplane dataplane, NodeNetwork node) {
    this.dataplane = dataplane;
    this.node = node;
    this.ip = dataplane.ip();
    this.names = dataplane.names();
    AtomicInteger threads = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "netns-runtime-" + node.nodeName() + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public NodeNetwork node() {
    return node;
  }

  /** The network namespace that holds (or would hold) {@code pod}. */
  public String netnsOf(PodRef pod) {
    return names.podNetns(node.clusterName(), pod.namespace(), pod.name());
  }

  @Override
  public void startPodSandbox(PodRef pod, String podIp) {
    checkPodIp(podIp);
    String key = key(pod);
    synchronized (lock(key)) {
      PodSandbox existing = pods.get(key);
      if (existing != null && existing.ref().equals(pod) && existing.podIp().equals(podIp)
          && ip.netnsExists(existing.netns())) {
        return;
      }
      if (existing != null) teardown(existing.ref());
      String netns = netnsOf(pod);
      String hostVeth = names.podHostVeth(node.clusterName(), pod.namespace(), pod.name());
      removeLeftovers(netns, hostVeth);
      try {
        ip.netnsAdd(netns);
        ip.in(netns, "link", "set", "lo", "up");
        // the pod end is created in the pod namespace as eth0 directly: no rename, no name in the host
        ip.in(node.netns(), "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", netns);
        ip.in(node.netns(), "link", "set", hostVeth, "master", node.bridge(), "up");
        ip.in(netns, "addr", "add", podIp + "/" + node.podCidr().prefix(), "dev", "eth0");
        ip.in(netns, "link", "set", "eth0", "up");
        ip.in(netns, "route", "add", "default", "via", node.bridgeAddress(), "dev", "eth0");
      } catch (RuntimeException e) {
        removeLeftovers(netns, hostVeth);
        throw e;
      }
      pods.put(key, new PodSandbox(pod, podIp, netns, hostVeth, new CopyOnWriteArrayList<>()));
      LOG.info("node={} pod={}/{} uid={} ip={} netns={} event=pod-sandbox-started", node.nodeName(), pod.namespace(),
          pod.name(), pod.uid(), podIp, netns);
    }
  }

  private void checkPodIp(String podIp) {
    Cidr cidr = node.podCidr();
    if (!cidr.contains(podIp)) {
      throw new IllegalArgumentException("pod IP " + podIp + " is not inside node " + node.nodeName() + "'s pod CIDR " + cidr);
    }
    long i = cidr.indexOf(podIp);
    if (i == 0 || i == 1 || i == cidr.size() - 1) {
      throw new IllegalArgumentException("pod IP " + podIp + " is the network, gateway or broadcast address of " + cidr);
    }
  }

  @Override
  public RunningContainer startContainer(PodRef pod, ContainerSpec container) {
    PodSandbox sandbox = pods.get(key(pod));
    if (sandbox == null || !sandbox.ref().equals(pod)) {
      throw new IllegalStateException("the sandbox of pod " + pod.namespace() + "/" + pod.name() + " (uid " + pod.uid()
          + ") is not started on node " + node.nodeName());
    }
    List<String> argv = new ArrayList<>();
    if (container.command() != null) argv.addAll(container.command());
    if (container.args() != null) argv.addAll(container.args());
    if (argv.isEmpty()) argv.addAll(PLACEHOLDER);
    Map<String, String> env = environment(pod, container);
    Path log = container.logFile().toAbsolutePath();
    String description = "node=" + node.nodeName() + " pod=" + pod.namespace() + "/" + pod.name() + " container="
        + container.name();
    try {
      Files.createDirectories(log.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory of " + description, e);
    }
    if (!executableExists(argv.get(0), env.get("PATH"))) {
      appendLog(log, "pontoon: cannot start container " + container.name() + ": executable `" + argv.get(0)
          + "` not found (PATH=" + env.get("PATH") + ")\n");
      LOG.warn("{} executable={} event=container-start-error", description, argv.get(0));
      ContainerProcess failed = ContainerProcess.failed(description, START_ERROR_EXIT_CODE, ip.runner(), scheduler);
      sandbox.containers().add(failed);
      return failed;
    }
    List<String> cmd = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", sandbox.netns()));
    cmd.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(log.getParent().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw CommandRunner.missingTool(cmd, e);
    }
    awaitInNamespace(process, sandbox.netns(), description);
    ContainerProcess started = ContainerProcess.started(description, process, ip.runner(), scheduler);
    sandbox.containers().add(started);
    LOG.info("{} pid={} netns={} argv=\"{}\" event=container-started", description, process.pid(), sandbox.netns(),
        String.join(" ", argv));
    return started;
  }

  /**
   * Returns once the new process has joined the pod's namespace (or already ended). Until then it
   * is not among the namespace's pids, and a concurrent teardown would miss it.
   */
  private static void awaitInNamespace(Process process, String netns, String description) {
    String expected;
    try {
      expected = "net:[" + Files.getAttribute(Ip.NETNS_DIR.resolve(netns), "unix:ino") + "]";
    } catch (IOException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the network namespace " + netns + " of " + description + " vanished", e);
    }
    Path link = Path.of("/proc", Long.toString(process.pid()), "ns", "net");
    long deadline = System.nanoTime() + NAMESPACE_JOIN_TIMEOUT.toNanos();
    while (process.isAlive()) {
      try {
        if (expected.equals(Files.readSymbolicLink(link).toString())) return;
      } catch (IOException e) {
        return; // ended meanwhile: its exit code tells the rest
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(description + " did not enter network namespace " + netns + " within "
            + NAMESPACE_JOIN_TIMEOUT);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while starting " + description, e);
      }
    }
  }

  private Map<String, String> environment(PodRef pod, ContainerSpec container) {
    Map<String, String> env = new HashMap<>();
    Map<String, String> host = System.getenv();
    for (String name : HOST_ENV) {
      if (host.containsKey(name)) env.put(name, host.get(name));
    }
    env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", pod.name());
    if (container.env() != null) env.putAll(container.env());
    env.put(HostProcesses.MARKER, dataplane.id().value());
    return env;
  }

  private static boolean executableExists(String command, String path) {
    if (command.contains("/")) return Files.isExecutable(Path.of(command));
    for (String dir : (path == null ? "" : path).split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }

  private static void appendLog(Path log, String line) {
    try {
      Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + log, e);
    }
  }

  @Override
  public void stopPodSandbox(PodRef pod) {
    String key = key(pod);
    synchronized (lock(key)) {
      PodSandbox current = pods.get(key);
      if (current != null && pod.uid() != null && !pod.uid().equals(current.ref().uid())) {
        // a late stop for an earlier incarnation of the same pod name must not hit the new one
        LOG.info("node={} pod={}/{} uid={} currentUid={} event=stale-stop-ignored", node.nodeName(), pod.namespace(),
            pod.name(), pod.uid(), current.ref().uid());
        return;
      }
      teardown(pod);
    }
  }

  /** Kills the pod's containers and whatever else runs in its namespace, then removes namespace and veth. */
  private void teardown(PodRef pod) {
    PodSandbox sandbox = pods.remove(key(pod));
    if (sandbox != null) {
      List<CompletableFuture<Integer>> exits = new ArrayList<>();
      for (ContainerProcess c : sandbox.containers()) {
        c.kill();
        exits.add(c.exit());
      }
      try {
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("node={} pod={}/{} event=containers-not-gone-after-kill error=\"{}\"", node.nodeName(), pod.namespace(),
            pod.name(), e.toString());
      }
    }
    String netns = netnsOf(pod);
    boolean existed = ip.netnsExists(netns);
    removeLeftovers(netns, names.podHostVeth(node.clusterName(), pod.namespace(), pod.name()));
    if (sandbox != null || existed) {
      LOG.info("node={} pod={}/{} netns={} event=pod-sandbox-stopped", node.nodeName(), pod.namespace(), pod.name(), netns);
    }
  }

  private void removeLeftovers(String netns, String hostVeth) {
    Dataplane.removeNamespace(ip, netns);
    ip.linkDelete(node.netns(), hostVeth);
  }

  private static String key(PodRef pod) {
    return pod.namespace() + "/" + pod.name();
  }

  private Object lock(String key) {
    return podLocks.computeIfAbsent(key, k -> new Object());
  }

  /** Stops every pod this runtime started (at once, no grace) and its scheduler. */
  @Override
  public void close() {
    for (PodSandbox sandbox : List.copyOf(pods.values())) {
      try {
        stopPodSandbox(sandbox.ref());
      } catch (RuntimeException e) {
        LOG.warn("node={} pod={}/{} error=\"{}\" event=close-failed", node.nodeName(), sandbox.ref().namespace(),
            sandbox.ref().name(), e.getMessage());
      }
    }
    scheduler.shutdownNow();
  }
}
