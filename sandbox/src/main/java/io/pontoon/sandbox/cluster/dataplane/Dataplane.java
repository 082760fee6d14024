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

  private final SandboxId id;
  private final DataplaneConfig config;
  private final Names names;
  private final Ip ip;

  public Dataplane(SandboxId id, DataplaneConfig config) {
    this.id = Objects.requireNonNull(id, "id");
    this.config = Objects.requireNonNull(config, "config");
    this.names = new Names(id);
    this.ip = new Ip(new CommandRunner(config.commandTimeout()));
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

  /**
   * Creates cluster {@code name}'s underlay (subnet number {@code index} of the underlay pool); a
   * leftover of a crashed run is replaced. Fails with a clear message when not root or iproute2 is
   * missing.
   */
  public ClusterNetwork createCluster(String name, int index, String podCidr) {
    requireUsable();
    ClusterNetwork net = new ClusterNetwork(this, name, index, Cidr.parse(podCidr));
    net.create();
    return net;
  }

  /** The network namespace of a pod, as {@code pontoon sandbox netns} prints it. */
  public String netnsName(String cluster, String namespace, String pod) {
    return names.podNetns(cluster, namespace, pod);
  }

  public static String netnsName(SandboxId id, String cluster, String namespace, String pod) {
    return new Names(id).podNetns(cluster, namespace, pod);
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
    // processes first: a namespace with a process in it outlives its name
    List<Long> killed = new ArrayList<>(HostProcesses.markedWith(id));
    killed.forEach(HostProcesses::kill);
    List<String> namespaces = new ArrayList<>();
    for (String ns : ip.netnsList()) {
      if (!ns.startsWith(names.netnsPrefix())) continue;
      killed.addAll(removeNamespace(ip, ns));
      namespaces.add(ns);
    }
    List<String> links = new ArrayList<>();
    for (String link : ip.hostLinks()) {
      if (link.matches(names.interfacePattern())) {
        ip.hostLinkDelete(link);
        links.add(link);
      }
    }
    awaitGone(killed);
    CleanupReport report = new CleanupReport(namespaces, links, killed.stream().distinct().toList());
    LOG.info("sandbox={} namespaces={} interfaces={} processes={} event=cleanup", id, namespaces.size(), links.size(),
        report.processes().size());
    return report;
  }

  /** Kills the processes of a namespace, then deletes it; returns the pids killed. */
  static List<Long> removeNamespace(Ip ip, String ns) {
    List<Long> pids = ip.netnsPids(ns);
    pids.forEach(HostProcesses::kill);
    awaitGone(pids);
    ip.netnsDelete(ns);
    return pids;
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
