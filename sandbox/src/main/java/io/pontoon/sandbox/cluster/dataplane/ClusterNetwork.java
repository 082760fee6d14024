package io.pontoon.sandbox.cluster.dataplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network of one sandbox cluster: an underlay namespace holding a bridge that joins the node
 * namespaces (each by a veth pair with an address on the cluster's underlay subnet), and in every
 * node a route to each other node's pod CIDR via that node's underlay address.
 *
 * <p>Gateway: every cluster has a gateway namespace ({@link #gatewayNetns()}) on the underlay at
 * {@link #gatewayAddress()} (the last usable address, .254 on a /24) and on the sandbox-wide WAN at
 * {@link #gatewayWanAddress()} (100.127.0.&lt;index&gt;). Nodes route everything that is not a pod of
 * the cluster (their default route) to it; it routes every node's pod CIDR to that node, forwards,
 * and filters no reverse path. The agent runs the cluster's {@code pontoon gateway} processes (and
 * so wireguard-go) in it. {@link #addRoute(Cidr, String)} adds a more specific route to every node.
 */
public final class ClusterNetwork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNetwork.class);

  private final Dataplane dataplane;
  private final String name;
  private final int index;
  private final Cidr podCidr;
  private final Cidr underlay;
  private final String netns;
  private final String bridge;
  private final Ip ip;
  private final Names names;
  // guarded by this: the topology changes rarely and every change touches all nodes
  private final Map<Integer, NodeNetwork> nodes = new LinkedHashMap<>();
  private final Map<Cidr, String> extraRoutes = new LinkedHashMap<>();
  private final String gatewayNetns;
  private final String gatewayWanAddress;
  private String attached;

  ClusterNetwork(Dataplane dataplane, String name, int index, Cidr podCidr) {
    this.dataplane = dataplane;
    this.name = name;
    this.index = index;
    this.podCidr = podCidr;
    this.underlay = dataplane.config().underlay(index);
    this.names = dataplane.names();
    this.ip = dataplane.ip();
    this.netns = names.clusterNetns(index);
    this.bridge = names.underlayBridge(index);
    this.gatewayNetns = names.gatewayNetns(name);
    this.gatewayWanAddress = dataplane.config().wanAddress(index);
  }

  /**
   * Creates the underlay namespace and bridge, then the gateway namespace on the underlay and the
   * WAN; leftovers of a crashed run are replaced.
   */
  void create() {
    removeNamespace(netns);
    ip.netnsAdd(netns);
    ip.in(netns, "link", "set", "lo", "up");
    ip.in(netns, "link", "add", bridge, "type", "bridge");
    ip.in(netns, "link", "set", bridge, "up");
    LOG.info("cluster={} netns={} bridge={} underlay={} event=underlay-created", name, netns, bridge, underlay);
    createGateway();
  }

  private void createGateway() {
    removeNamespace(gatewayNetns);
    ip.netnsAdd(gatewayNetns);
    ip.in(gatewayNetns, "link", "set", "lo", "up");
    ip.makeRouter(gatewayNetns); // before any link, so every interface inherits rp_filter=0
    attach(gatewayNetns);
    dataplane.wan().join(gatewayNetns, index, gatewayWanAddress);
    LOG.info("cluster={} netns={} underlay={} wan={} event=gateway-created", name, gatewayNetns, gatewayAddress(),
        gatewayWanAddress);
  }

  public String name() {
    return name;
  }

  public int index() {
    return index;
  }

  public Cidr podCidr() {
    return podCidr;
  }

  public Cidr underlay() {
    return underlay;
  }

  /** The namespace holding the underlay bridge. */
  public String netns() {
    return netns;
  }

  /** The underlay address of the cluster's gateway: the last usable one (100.64.&lt;index&gt;.254). */
  public String gatewayAddress() {
    return underlay.address(underlay.size() - 2);
  }

  /** The cluster's gateway namespace, {@link Dataplane#gatewayNetnsName}. */
  public String gatewayNetns() {
    return gatewayNetns;
  }

  /** The gateway's address on the sandbox-wide WAN, where the other clusters' gateways reach it. */
  public String gatewayWanAddress() {
    return gatewayWanAddress;
  }

  /** The underlay address of node {@code nodeIndex}: host number {@code nodeIndex} of the underlay. */
  public String nodeAddress(int nodeIndex) {
    if (nodeIndex < 1 || nodeIndex >= underlay.size() - 2) {
      throw new IllegalArgumentException("node index must be 1.." + (underlay.size() - 3) + " on underlay " + underlay
          + ", got " + nodeIndex);
    }
    return underlay.address(nodeIndex);
  }

  /**
   * Creates node {@code nodeIndex}'s namespace, pod bridge and underlay link, and the routes between
   * it and every other node. A leftover namespace of the same node is replaced.
   *
   * @param nodePodCidr the node's pod CIDR, inside the cluster's; its first address goes on the bridge
   */
  public synchronized NodeNetwork addNode(int nodeIndex, String nodeName, String nodePodCidr) {
    Cidr cidr = Cidr.parse(nodePodCidr);
    if (!podCidr.contains(cidr)) {
      throw new IllegalArgumentException("node " + nodeName + " pod CIDR " + cidr + " is not inside the cluster's " + podCidr);
    }
    if (cidr.size() < 4) throw new IllegalArgumentException("node pod CIDR " + cidr + " is too small");
    if (nodes.containsKey(nodeIndex)) throw new IllegalStateException("node index " + nodeIndex + " is already used by "
        + nodes.get(nodeIndex).nodeName());
    for (NodeNetwork other : nodes.values()) {
      if (other.podCidr().contains(cidr) || cidr.contains(other.podCidr())) {
        throw new IllegalArgumentException("node " + nodeName + " pod CIDR " + cidr + " overlaps node "
            + other.nodeName() + "'s " + other.podCidr());
      }
    }
    NodeNetwork node = new NodeNetwork(name, index, nodeIndex, nodeName, names.nodeNetns(index, nodeIndex),
        names.nodeBridge(nodeIndex), cidr, cidr.address(1), names.nodeUplink(nodeIndex), nodeAddress(nodeIndex));
    try {
      createNode(node);
    } catch (RuntimeException e) {
      removeNamespace(node.netns());
      throw e;
    }
    nodes.put(nodeIndex, node);
    LOG.info("cluster={} node={} netns={} podCidr={} underlay={} event=node-created", name, nodeName, node.netns(),
        cidr, node.underlayAddress());
    return node;
  }

  private void createNode(NodeNetwork node) {
    String ns = node.netns();
    String peer = names.nodeUplinkPeer(node.nodeIndex());
    removeNamespace(ns);
    ip.linkDelete(netns, peer);
    ip.netnsAdd(ns);
    ip.in(ns, "link", "set", "lo", "up");
    ip.enableForwarding(ns);
    // pod bridge with the pods' gateway address
    ip.in(ns, "link", "add", node.bridge(), "type", "bridge");
    ip.in(ns, "addr", "add", node.bridgeAddress() + "/" + node.podCidr().prefix(), "dev", node.bridge());
    ip.in(ns, "link", "set", node.bridge(), "up");
    // underlay link, created in place so no name ever appears in the host namespace
    ip.in(ns, "link", "add", node.uplink(), "type", "veth", "peer", "name", peer, "netns", netns);
    ip.in(netns, "link", "set", peer, "master", bridge, "up");
    ip.in(ns, "addr", "add", node.underlayAddress() + "/" + underlay.prefix(), "dev", node.uplink());
    ip.in(ns, "link", "set", node.uplink(), "up");
    for (NodeNetwork other : nodes.values()) {
      routeTo(ns, node.uplink(), other);
      routeTo(other.netns(), other.uplink(), node);
    }
    // whatever is not a pod of this cluster leaves through the gateway
    ip.in(ns, "route", "replace", "default", "via", gatewayAddress(), "dev", node.uplink());
    if (attached != null) routeTo(attached, names.attachedUplink(index), node);
    for (Map.Entry<Cidr, String> r : extraRoutes.entrySet()) {
      ip.in(ns, "route", "replace", r.getKey().toString(), "via", r.getValue(), "dev", node.uplink());
    }
  }

  private void routeTo(String fromNetns, String dev, NodeNetwork target) {
    ip.in(fromNetns, "route", "replace", target.podCidr().toString(), "via", target.underlayAddress(), "dev", dev);
  }

  /** Removes a node's namespace (and so its links) and the routes other nodes had towards it. */
  public synchronized void removeNode(int nodeIndex) {
    NodeNetwork node = nodes.remove(nodeIndex);
    if (node == null) return;
    for (NodeNetwork other : nodes.values()) {
      ip.tryRun("-n", other.netns(), "route", "delete", node.podCidr().toString());
    }
    if (attached != null) ip.tryRun("-n", attached, "route", "delete", node.podCidr().toString());
    removeNamespace(node.netns());
    ip.linkDelete(netns, names.nodeUplinkPeer(nodeIndex));
    LOG.info("cluster={} node={} event=node-removed", name, node.nodeName());
  }

  public synchronized Optional<NodeNetwork> node(int nodeIndex) {
    return Optional.ofNullable(nodes.get(nodeIndex));
  }

  public synchronized List<NodeNetwork> nodes() {
    return List.copyOf(nodes.values());
  }

  /** A container runtime for pods of one node of this cluster. */
  public NetnsRuntime runtime(NodeNetwork node) {
    return new NetnsRuntime(dataplane, node);
  }

  /**
   * Gateway hook: every node, present and future, routes {@code cidr} via {@code via}, an address on
   * the underlay (normally {@link #gatewayAddress()}).
   */
  public synchronized void addRoute(Cidr cidr, String via) {
    if (!underlay.contains(via)) throw new IllegalArgumentException("next hop " + via + " is not on the underlay " + underlay);
    for (NodeNetwork node : nodes.values()) {
      ip.in(node.netns(), "route", "replace", cidr.toString(), "via", via, "dev", node.uplink());
    }
    extraRoutes.put(cidr, via);
    LOG.info("cluster={} cidr={} via={} event=route-added", name, cidr, via);
  }

  public synchronized void removeRoute(Cidr cidr) {
    if (extraRoutes.remove(cidr) == null) return;
    for (NodeNetwork node : nodes.values()) ip.tryRun("-n", node.netns(), "route", "delete", cidr.toString());
    LOG.info("cluster={} cidr={} event=route-removed", name, cidr);
  }

  /**
   * Plugs the namespace {@code otherNetns} (the gateway's) into the underlay with a veth
   * ({@link Names#attachedUplink}) holding {@link #gatewayAddress()}, and routes every node's pod
   * CIDR from there. One attachment per cluster.
   *
   * @return the interface name inside {@code otherNetns}
   */
  private synchronized String attach(String otherNetns) {
    if (attached != null) throw new IllegalStateException("namespace " + attached + " is already attached to " + name);
    if (!ip.netnsExists(otherNetns)) throw new IllegalArgumentException("no network namespace " + otherNetns);
    String dev = names.attachedUplink(index);
    String peer = names.attachedUplinkPeer(index);
    ip.linkDelete(netns, peer);
    ip.linkDelete(otherNetns, dev);
    ip.in(otherNetns, "link", "add", dev, "type", "veth", "peer", "name", peer, "netns", netns);
    ip.in(netns, "link", "set", peer, "master", bridge, "up");
    ip.in(otherNetns, "addr", "add", gatewayAddress() + "/" + underlay.prefix(), "dev", dev);
    ip.in(otherNetns, "link", "set", dev, "up");
    attached = otherNetns;
    for (NodeNetwork node : nodes.values()) routeTo(otherNetns, dev, node);
    LOG.info("cluster={} netns={} dev={} address={} event=attached", name, otherNetns, dev, gatewayAddress());
    return dev;
  }

  /** Removes the gateway namespace (with its processes and WireGuard sockets) and leaves the WAN. */
  private void removeGateway() {
    if (attached != null) ip.linkDelete(netns, names.attachedUplinkPeer(index));
    attached = null;
    removeNamespace(gatewayNetns);
    dataplane.wan().leave(index);
    LOG.info("cluster={} netns={} event=gateway-removed", name, gatewayNetns);
  }

  /** Kills whatever runs in a namespace and deletes it. */
  private void removeNamespace(String ns) {
    Dataplane.removeNamespace(ip, ns);
  }

  /** Removes the node namespaces, the gateway and the underlay; pods are their runtimes' to remove. */
  @Override
  public synchronized void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (Integer i : List.copyOf(nodes.keySet())) {
      try {
        removeNode(i);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    try {
      removeGateway();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    removeNamespace(netns);
    LOG.info("cluster={} event=underlay-removed", name);
    if (!failures.isEmpty()) throw failures.get(0);
  }
}
