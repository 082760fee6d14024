package io.pontoon.sandbox.cluster.dataplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The few {@code ip} (iproute2) operations the dataplane needs; idempotent where that is cheap. */
final class Ip {
  /** Where iproute2 keeps named network namespaces (its compiled-in NETNS_RUN_DIR). */
  static final Path NETNS_DIR = Path.of("/var/run/netns");

  private final CommandRunner runner;

  Ip(CommandRunner runner) {
    this.runner = runner;
  }

  CommandRunner runner() {
    return runner;
  }

  /** {@code ip -n NS ARGS…}, throwing unless it succeeds. */
  CommandResult in(String netns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", netns));
    cmd.addAll(Arrays.asList(args));
    return runner.run(cmd).orThrow();
  }

  /** {@code ip ARGS…} (host namespace), returning whatever happened. */
  CommandResult tryRun(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(Arrays.asList(args));
    return runner.run(cmd);
  }

  List<String> netnsList() {
    List<String> names = new ArrayList<>();
    // lines look like "name" or "name (id: 3)"
    for (String line : tryRun("netns", "list").orThrow().stdout().split("\n")) {
      String name = line.strip();
      int space = name.indexOf(' ');
      if (space > 0) name = name.substring(0, space);
      if (!name.isEmpty()) names.add(name);
    }
    return names;
  }

  boolean netnsExists(String name) {
    return Files.exists(NETNS_DIR.resolve(name));
  }

  void netnsAdd(String name) {
    if (!netnsExists(name)) tryRun("netns", "add", name).orThrow();
  }

  void netnsDelete(String name) {
    if (netnsExists(name)) {
      CommandResult r = tryRun("netns", "delete", name);
      if (!r.ok() && netnsExists(name)) r.orThrow();
    }
  }

  /** Processes whose network namespace is {@code name}; empty when it does not exist. */
  List<Long> netnsPids(String name) {
    if (!netnsExists(name)) return List.of();
    CommandResult r = tryRun("netns", "pids", name);
    if (!r.ok()) {
      if (!netnsExists(name)) return List.of();
      r.orThrow();
    }
    List<Long> pids = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (!line.isBlank()) pids.add(Long.parseLong(line.strip()));
    }
    return pids;
  }

  boolean linkExists(String netns, String ifname) {
    if (!netnsExists(netns)) return false;
    return tryRun("-n", netns, "link", "show", "dev", ifname).ok();
  }

  /** Deletes an interface (and so its veth peer) when it exists. */
  void linkDelete(String netns, String ifname) {
    if (!linkExists(netns, ifname)) return;
    CommandResult r = tryRun("-n", netns, "link", "delete", "dev", ifname);
    if (!r.ok() && linkExists(netns, ifname)) r.orThrow();
  }

  /** Interface names of the host namespace. */
  List<String> hostLinks() {
    return parseLinks(tryRun("-o", "link", "show").orThrow().stdout());
  }

  private static List<String> parseLinks(String out) {
    List<String> names = new ArrayList<>();
    // "-o" prints one line per link: "3: name@peer: <FLAGS> …"
    for (String line : out.split("\n")) {
      String[] parts = line.split(":", 3);
      if (parts.length < 3) continue;
      String name = parts[1].strip();
      int at = name.indexOf('@');
      names.add(at > 0 ? name.substring(0, at) : name);
    }
    return names;
  }

  void hostLinkDelete(String ifname) {
    tryRun("link", "delete", "dev", ifname);
  }

  /** Interface names inside a namespace; empty when it does not exist. */
  List<String> linksIn(String netns) {
    if (!netnsExists(netns)) return List.of();
    CommandResult r = tryRun("-n", netns, "-o", "link", "show");
    if (!r.ok()) return List.of();
    return parseLinks(r.stdout());
  }

  /**
   * Makes a namespace a router that forwards whatever arrives: forwarding on, reverse-path
   * filtering off for every present and future interface (a gateway sees packets whose source
   * it routes elsewhere, e.g. a peer's remapped addresses arriving from its tunnel).
   */
  void makeRouter(String netns) {
    runner.run(List.of("ip", "netns", "exec", netns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"
        + " && echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter && echo 0 > /proc/sys/net/ipv4/conf/default/rp_filter"))
        .orThrow();
  }

  /** Turns IPv4 forwarding on inside a namespace; net sysctls are per namespace. */
  void enableForwarding(String netns) {
    runner.run(List.of("ip", "netns", "exec", netns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"))
        .orThrow();
  }
}
