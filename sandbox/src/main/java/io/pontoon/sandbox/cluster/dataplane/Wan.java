package io.pontoon.sandbox.cluster.dataplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox-wide WAN: one namespace ({@link Names#wanNetns()}) holding a bridge that every
 * cluster's gateway namespace joins with a veth, so the gateways of a sandbox reach each other as
 * they would across the internet.
 *
 * <p>The clusters of one sandbox are separate processes that start and stop concurrently, so the
 * first one to join creates the WAN and the last one to leave removes it, each under a lock file
 * ({@link #lockFile(SandboxId)}) that {@link Dataplane#cleanup} deletes.
 */
final class Wan {
  private static final Logger LOG = LoggerFactory.getLogger(Wan.class);
  /** A FileLock is held per process: threads of one JVM queue here before taking it. */
  private static final Object JVM_LOCK = new Object();

  private final SandboxId id;
  private final Names names;
  private final Ip ip;
  private final Cidr cidr;

  Wan(SandboxId id, Ip ip, Cidr cidr) {
    this.id = id;
    this.names = new Names(id);
    this.ip = ip;
    this.cidr = cidr;
  }

  /** The lock that serialises WAN changes of sandbox {@code id} across processes. */
  static Path lockFile(SandboxId id) {
    return Ip.NETNS_DIR.getParent().resolve("pontoon-" + id.value() + "-wan.lock");
  }

  String netns() {
    return names.wanNetns();
  }

  /**
   * Joins {@code gatewayNetns} to the WAN with {@code address}, creating the WAN first when this is
   * the first gateway; a leftover link of the same cluster index is replaced.
   *
   * @return the interface name inside {@code gatewayNetns}
   */
  String join(String gatewayNetns, int clusterIndex, String address) {
    if (!cidr.contains(address)) throw new IllegalArgumentException(address + " is not on the WAN " + cidr);
    String dev = names.gatewayWanLink(clusterIndex);
    String peer = names.gatewayWanLinkPeer(clusterIndex);
    String wan = names.wanNetns();
    String bridge = names.wanBridge();
    return locked(() -> {
      ip.netnsAdd(wan);
      ip.in(wan, "link", "set", "lo", "up");
      if (!ip.linkExists(wan, bridge)) ip.in(wan, "link", "add", bridge, "type", "bridge");
      ip.in(wan, "link", "set", bridge, "up");
      ip.linkDelete(wan, peer);
      ip.linkDelete(gatewayNetns, dev);
      ip.in(gatewayNetns, "link", "add", dev, "type", "veth", "peer", "name", peer, "netns", wan);
      ip.in(wan, "link", "set", peer, "master", bridge, "up");
      ip.in(gatewayNetns, "addr", "add", address + "/" + cidr.prefix(), "dev", dev);
      ip.in(gatewayNetns, "link", "set", dev, "up");
      LOG.info("sandbox={} netns={} dev={} address={} wan={} event=wan-joined", id, gatewayNetns, dev, address, cidr);
      return dev;
    });
  }

  /**
   * Removes cluster {@code clusterIndex}'s link (if its gateway namespace still exists) and, when
   * no gateway is left on the bridge, the WAN itself.
   */
  void leave(int clusterIndex) {
    String wan = names.wanNetns();
    locked(() -> {
      ip.linkDelete(wan, names.gatewayWanLinkPeer(clusterIndex));
      if (ip.netnsExists(wan) && ports(wan).isEmpty()) {
        Dataplane.removeNamespace(ip, wan);
        LOG.info("sandbox={} netns={} event=wan-removed", id, wan);
      }
      return null;
    });
  }

  private java.util.List<String> ports(String wan) {
    if (!ip.linkExists(wan, names.wanBridge())) return java.util.List.of();
    java.util.List<String> ports = new java.util.ArrayList<>();
    for (String line : ip.in(wan, "-o", "link", "show", "master", names.wanBridge()).stdout().split("\n")) {
      if (!line.isBlank()) ports.add(line);
    }
    return ports;
  }

  private <T> T locked(Supplier<T> action) {
    synchronized (JVM_LOCK) {
      try (FileChannel ch = FileChannel.open(lockFile(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        return action.get();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + lockFile(id) + " to change the sandbox's WAN", e);
      }
    }
  }
}
