package io.pontoon.sandbox.cluster.dataplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the real pod network of one sandbox (root only): creates cluster networks, names
 * pod namespaces, and removes everything a sandbox left on the host.
 *
 * <pre>
 * Dataplane dp = new Dataplane(SandboxId.forDirectory(dir), DataplaneConfig.defaults());
 * ClusterNetwork net = dp.createCluster("cluster-1", 1, "10.244.0.0/16");
 * NodeNetwork node = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
 * ContainerRuntime runtime = net.runtime(node);
 * </pre>
 */
public final class Dataplane {
  private static final Logger LOG = LoggerFactory.getLogger(Dataplane.class);
  private static final long PROCESS_EXIT_WAIT_MILLIS = 5_000;
  private static final Path WIREGUARD_SOCKETS = Path.of("/var/run/wireguard");

  private final SandboxId id;
  private final DataplaneConfig config;
  private final Names names;
  private final Ip ip;
  private final Wan wan;

  public Dataplane(SandboxId id, DataplaneConfig config) {
    this.id = Objects.requireNonNull(id, "id");
    this.config = Objects.requireNonNull(config, "config");
    this.names = new Names(id);
    this.ip = new Ip(new CommandRunner(config.commandTimeout()));
    this.wan = new Wan(id, ip, config.wan());
  }

  public SandboxId id() {
    return id;
  }

  public DataplaneConfig config() {
    return config;
  }

  public Names names() {
    return names;
  }

  Ip ip() {
    return ip;
  }

  CommandRunner runner() {
    return ip.runner();
  }

  Wan wan() {
    return wan;
  }

  /**
   * Creates cluster {@code name}'s underlay (subnet number {@code index} of the underlay pool) and
   * its gateway namespace on the underlay and the sandbox's WAN (address number {@code index}); a
   * leftover of a crashed run is replaced. Fails with a clear message when not root or iproute2 is
   * missing.
   */
  public ClusterNetwork createCluster(String name, int index, String podCidr) {
    requireUsable();
    ClusterNetwork net = new ClusterNetwork(this, name, index, Cidr.parse(podCidr));
    try {
      net.create();
    } catch (RuntimeException e) {
      try {
        net.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return net;
  }

  /** The network namespace of a pod, as {@code pontoon sandbox netns} prints it. */
  public String netnsName(String cluster, String namespace, String pod) {
    return names.podNetns(cluster, namespace, pod);
  }

  public static String netnsName(SandboxId id, String cluster, String namespace, String pod) {
    return new Names(id).podNetns(cluster, namespace, pod);
  }

  /**
   * The gateway network namespace of cluster {@code clusterName} of sandbox {@code id}: joined to
   * the cluster's underlay at {@link ClusterNetwork#gatewayAddress()} and to the sandbox's WAN at
   * {@link #gatewayWanAddress(int)}. The agent starts its gateway processes in it.
   */
  public static String gatewayNetnsName(SandboxId id, String clusterName) {
    return new Names(id).gatewayNetns(clusterName);
  }

  /** The WAN address of the gateway of cluster number {@code clusterIndex} (default plan: 100.127.0.&lt;index&gt;). */
  public static String gatewayWanAddress(int clusterIndex) {
    return DataplaneConfig.defaults().wanAddress(clusterIndex);
  }

  /** The namespace holding the WAN bridge of sandbox {@code id}. */
  public static String wanNetnsName(SandboxId id) {
    return new Names(id).wanNetns();
  }

  /** What keeps the dataplane from working on this host (not root, iproute2 missing); empty when usable. */
  public static List<String> missingRequirements() {
    List<String> missing = new ArrayList<>();
    if (!isUidZero()) {
      missing.add("root (the dataplane creates network namespaces; run as root)");
    }
    if (!onPath("ip")) missing.add("the `ip` command (install the Debian package iproute2)");
    if (!onPath("setsid")) missing.add("the `setsid` command (install the Debian package util-linux)");
    if (!onPath("kill")) missing.add("the `kill` command (install the Debian package procps)");
    return missing;
  }

  private void requireUsable() {
    List<String> missing = missingRequirements();
    if (!missing.isEmpty()) throw new IllegalStateException("the dataplane cannot run here; missing: "
        + String.join("; ", missing));
  }

  private static boolean isUidZero() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }

  /**
   * Removes every network namespace, interface and process of sandbox {@code id} from this host,
   * whoever made them (used by {@code pontoon sandbox down} and after a crash). Safe to repeat.
   */
  public static CleanupReport cleanup(SandboxId id) {
    return cleanup(id, CommandRunner.defaults());
  }

  public static CleanupReport cleanup(SandboxId id, CommandRunner runner) {
    Ip ip = new Ip(runner);
    Names names = new Names(id);
    List<String> namespaces = ip.netnsList().stream().filter(ns -> ns.startsWith(names.netnsPrefix())).toList();
    // userspace WireGuard interfaces vanish with their process, their sockets do not: note them first
    List<Path> sockets = new ArrayList<>();
    for (String ns : namespaces) sockets.addAll(wireGuardSockets(ip, ns));
    // processes first: a namespace with a process in it outlives its name
    List<Long> killed = new ArrayList<>(HostProcesses.markedWith(id));
    killed.forEach(HostProcesses::kill);
    for (String ns : namespaces) killed.addAll(removeNamespace(ip, ns));
    List<String> files = new ArrayList<>();
    for (Path socket : sockets) {
      deleteFile(socket); // removeNamespace deleted those whose interface was still there
      if (!Files.exists(socket)) files.add(socket.toString());
    }
    if (deleteFile(Wan.lockFile(id))) files.add(Wan.lockFile(id).toString());
    List<String> links = new ArrayList<>();
    for (String link : ip.hostLinks()) {
      if (link.matches(names.interfacePattern())) {
        ip.hostLinkDelete(link);
        links.add(link);
      }
    }
    awaitGone(killed);
    CleanupReport report = new CleanupReport(namespaces, links, killed.stream().distinct().toList(), files);
    LOG.info("sandbox={} namespaces={} interfaces={} processes={} files={} event=cleanup", id, namespaces.size(),
        links.size(), report.processes().size(), files.size());
    return report;
  }

  /**
   * Kills the processes of a namespace (wireguard-go included), deletes it and the WireGuard
   * sockets of the interfaces it held; returns the pids killed.
   */
  static List<Long> removeNamespace(Ip ip, String ns) {
    List<Path> sockets = wireGuardSockets(ip, ns);
    List<Long> pids = ip.netnsPids(ns);
    pids.forEach(HostProcesses::kill);
    awaitGone(pids);
    ip.netnsDelete(ns);
    sockets.forEach(Dataplane::deleteFile);
    return pids;
  }

  /** Where wireguard-go keeps the control socket of interface {@code ifname} (shared by all namespaces). */
  static Path wireGuardSocket(String ifname) {
    return WIREGUARD_SOCKETS.resolve(ifname + ".sock");
  }

  /** The sockets of userspace WireGuard interfaces living in {@code ns}. */
  private static List<Path> wireGuardSockets(Ip ip, String ns) {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(WIREGUARD_SOCKETS)) {
      ip.linksIn(ns).stream().map(Dataplane::wireGuardSocket).filter(Files::exists).forEach(found::add);
    }
    // Pontoon's gateways keep their sockets in a directory of their own namespace
    Path own = wireGuardSocketDir(ns);
    if (Files.isDirectory(own)) {
      try (var files = Files.list(own)) {
        files.forEach(found::add);
      } catch (java.io.IOException e) {
        LOG.warn("dir={} error=\"{}\" event=not-listed", own, e.toString());
      }
      found.add(own); // listed last, so it is empty when its turn to be deleted comes
    }
    return found;
  }

  /** The host directory that Pontoon's gateways in {@code ns} see as /var/run/wireguard. */
  static Path wireGuardSocketDir(String ns) {
    return Path.of(io.pontoon.api.PontoonNames.WIREGUARD_NETNS_SOCKET_ROOT, ns);
  }

  private static boolean deleteFile(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (java.io.IOException e) {
      LOG.warn("file={} error=\"{}\" event=not-deleted", file, e.toString());
      return false;
    }
  }

  /** Waits, boundedly, for killed processes to disappear. */
  static void awaitGone(List<Long> pids) {
    long deadline = System.currentTimeMillis() + PROCESS_EXIT_WAIT_MILLIS;
    for (long pid : pids) {
      while (HostProcesses.alive(pid) && System.currentTimeMillis() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (HostProcesses.alive(pid)) LOG.warn("pid={} event=still-alive-after-kill", pid);
    }
  }
}
