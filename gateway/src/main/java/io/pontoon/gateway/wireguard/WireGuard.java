package io.pontoon.gateway.wireguard;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.pontoon.api.PontoonNames;
import io.pontoon.gateway.CommandFailedException;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ipam.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WireGuard interfaces through {@code ip} and {@code wg}, in the network namespace of the given
 * {@link HostCommands}. The kernel's WireGuard is used when {@code ip link add … type wireguard}
 * works; otherwise {@code wireguard-go -f NAME} runs as a child process (it then outlives this
 * JVM, so a restarted gateway finds and reuses it). Every method is idempotent.
 */
public final class WireGuard {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuard.class);

  /** How an interface is implemented. */
  public enum Mode { KERNEL, USERSPACE }

  private final HostCommands cmd;
  private volatile Boolean kernelAvailable;

  public WireGuard(HostCommands cmd) {
    this.cmd = Objects.requireNonNull(cmd, "cmd");
  }

  public static void requireName(String name) {
    if (name == null || name.isEmpty() || name.length() > PontoonNames.MAX_INTERFACE_NAME_LENGTH
        || !name.matches("[a-zA-Z0-9_.-]+")) {
      throw new IllegalArgumentException("interface name must be 1-15 characters of [a-zA-Z0-9_.-], got '"
          + name + "'");
    }
  }

  /** Whether a link of that name exists in the namespace. */
  public boolean linkExists(String name) {
    requireName(name);
    return cmd.run(List.of("ip", "link", "show", "dev", name), null).ok();
  }

  /** Whether the interface exists and answers {@code wg} (a userspace one whose process died does not). */
  public boolean exists(String name) {
    return linkExists(name) && cmd.run(List.of("wg", "show", name, "public-key"), null).ok();
  }

  /**
   * Creates the interface unless a working one exists, sets the MTU and brings it up.
   *
   * @return how it is implemented
   */
  public Mode create(String name, int mtu) {
    requireName(name);
    if (mtu < 576 || mtu > 9000) {
      throw new IllegalArgumentException("MTU must be 576..9000, got " + mtu);
    }
    HostCommands.requireTool("wg");
    Mode mode;
    if (exists(name)) {
      mode = Files.exists(socket(name)) ? Mode.USERSPACE : Mode.KERNEL;
    } else {
      if (linkExists(name) || Files.exists(socket(name))) {
        LOG.info("wireguard=stale interface={} action=recreate", name);
        delete(name);
      }
      mode = createLink(name);
      LOG.info("wireguard=created interface={} mode={} netns={}", name, mode, cmd.netns().orElse("-"));
    }
    cmd.run("ip", "link", "set", "dev", name, "mtu", Integer.toString(mtu), "up");
    return mode;
  }

  private Mode createLink(String name) {
    if (!Boolean.FALSE.equals(kernelAvailable)) {
      HostCommands.Result r = cmd.run(List.of("ip", "link", "add", "dev", name, "type", "wireguard"), null);
      if (r.ok()) {
        kernelAvailable = true;
        return Mode.KERNEL;
      }
      if (!r.stderr().contains("Unknown device type") && !r.stderr().contains("not supported")
          && !r.stderr().contains("Not supported")) {
        r.orThrow();
      }
      kernelAvailable = false;
    }
    startUserspace(name);
    return Mode.USERSPACE;
  }

  private void startUserspace(String name) {
    HostCommands.requireTool("wireguard-go");
    List<String> command = cmd.wrap(List.of("wireguard-go", "-f", name));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    // Debian's wireguard-go refuses to start without it when the kernel module could exist.
    pb.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
    pb.environment().put("LOG_LEVEL", "error");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CommandFailedException(command, -1, "", "could not start wireguard-go: " + e.getMessage());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new CommandFailedException(command, p.exitValue(), "",
            "wireguard-go exited with " + p.exitValue() + " before " + name + " came up; is /dev/net/tun "
                + "available and the name unused on this host?");
      }
      if (Files.exists(socket(name)) && linkExists(name)) {
        LOG.debug("wireguard=userspace interface={} pid={}", name, p.pid());
        return;
      }
      try {
        Thread.sleep(20); // polling a socket file that wireguard-go creates within milliseconds
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new CommandFailedException(command, -1, "", "interrupted while starting wireguard-go");
      }
    }
    p.destroyForcibly();
    throw new CommandFailedException(command, -1, "", "wireguard-go did not create " + name + " within 10 s");
  }

  /**
   * Sets the private key (through stdin, never on a command line), the listen port and exactly
   * {@code peers}: peers not listed are removed.
   */
  public void configure(String name, String privateKey, int listenPort, List<PeerConfig> peers) {
    requireName(name);
    WireGuardKeys.requireKey(privateKey, "private key");
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port must be 0..65535, got " + listenPort);
    }
    cmd.run(List.of("wg", "set", name, "listen-port", Integer.toString(listenPort),
            "private-key", "/dev/stdin"),
        (privateKey.strip() + "\n").getBytes(StandardCharsets.US_ASCII)).orThrow();
    InterfaceState current = show(name);
    Set<String> wanted = peers.stream().map(PeerConfig::publicKey).collect(Collectors.toSet());
    for (PeerState p : current.peers()) {
      if (!wanted.contains(p.publicKey())) {
        cmd.run("wg", "set", name, "peer", p.publicKey(), "remove");
      }
    }
    for (PeerConfig p : peers) {
      List<String> args = new ArrayList<>(List.of("wg", "set", name, "peer", p.publicKey()));
      if (p.endpoint() != null) {
        args.addAll(List.of("endpoint", p.endpoint()));
      }
      // Debian's wg has no +/- syntax: the full list replaces the old one
      args.addAll(List.of("allowed-ips",
          p.allowedIps().stream().map(Cidr::toString).collect(Collectors.joining(","))));
      args.addAll(List.of("persistent-keepalive",
          p.persistentKeepaliveSeconds() == 0 ? "off" : Integer.toString(p.persistentKeepaliveSeconds())));
      cmd.run(args, null).orThrow();
    }
  }

  /** The interface's state from {@code wg show IF dump}. */
  public InterfaceState show(String name) {
    requireName(name);
    return WgDump.parse(cmd.run(List.of("wg", "show", name, "dump"), null).orThrow().stdout());
  }

  /**
   * Removes the interface, its wireguard-go process and its socket; a no-op when none exist.
   */
  public void delete(String name) {
    requireName(name);
    for (ProcessHandle h : userspaceProcesses(name)) {
      h.destroy();
      try {
        h.onExit().get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    if (linkExists(name)) {
      HostCommands.Result r = cmd.run(List.of("ip", "link", "del", "dev", name), null);
      if (!r.ok() && linkExists(name)) {
        r.orThrow();
      }
    }
    try {
      Files.deleteIfExists(socket(name));
    } catch (IOException e) {
      throw new CommandFailedException(List.of("rm", socket(name).toString()), -1, "",
          "could not remove " + socket(name) + ": " + e.getMessage());
    }
    if (cmd.netns().isPresent()) {
      try {
        Files.deleteIfExists(socket(name).getParent()); // the namespace's own directory, once empty
      } catch (IOException e) {
        // other interfaces of the namespace still have their sockets there
      }
    }
    LOG.info("wireguard=deleted interface={}", name);
  }

  /** The control socket of userspace interface {@code name} of this namespace, as the host sees it. */
  public Path socket(String name) {
    return cmd.wireGuardSocketDir().resolve(name + ".sock");
  }

  /** The control socket of {@code name} in network namespace {@code netns} (null: the host's). */
  public static Path socket(String netns, String name) {
    return HostCommands.inNetns(netns).wireGuardSocketDir().resolve(name + ".sock");
  }

  /** wireguard-go processes serving {@code name} in this network namespace. */
  public List<ProcessHandle> userspaceProcesses(String name) {
    Object netnsId = netnsInode(cmd.netns().map(ns -> Path.of("/run/netns", ns)).orElse(Path.of("/proc/self/ns/net")));
    return userspaceProcessesAnywhere(name).stream()
        .filter(h -> netnsId != null && netnsId.equals(netnsInode(Path.of("/proc", Long.toString(h.pid()), "ns", "net"))))
        .toList();
  }

  private static Object netnsInode(Path nsFile) {
    try {
      return Files.getAttribute(nsFile, "unix:ino");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null; // namespace or process gone
    }
  }

  /** wireguard-go processes serving {@code name}, in any network namespace of the host. */
  public static List<ProcessHandle> userspaceProcessesAnywhere(String name) {
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String pid = p.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String[] args;
        try {
          args = Files.readString(p.resolve("cmdline"), StandardCharsets.UTF_8).split("\0");
        } catch (IOException | SecurityException e) {
          continue; // exited meanwhile
        }
        if (args.length >= 2 && args[0].endsWith("wireguard-go") && args[args.length - 1].equals(name)) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      LOG.warn("wireguard=scan-processes error=\"{}\"", e.toString());
    }
    return found;
  }

  /** Names of the userspace WireGuard interfaces whose sockets exist in this namespace. */
  public Set<String> socketNames() {
    Set<String> names = new HashSet<>();
    Path dir = cmd.wireGuardSocketDir();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sock"))
          .forEach(n -> names.add(n.substring(0, n.length() - 5)));
    } catch (IOException e) {
      LOG.warn("wireguard=list-sockets error=\"{}\"", e.toString());
    }
    return names;
  }
}
