package io.pontoon.sandbox.cluster.dataplane;

/**
 * Every name the dataplane gives to a kernel object, derived from the {@link SandboxId} {@code <sid>}
 * (6 hex). Two sandboxes never collide, and everything of one sandbox is found by name after a crash.
 *
 * <pre>
 * network namespaces (files in /run/netns, no length limit that matters here)
 *   pontoon-&lt;sid&gt;-c&lt;ci&gt;             cluster underlay: holds the underlay bridge
 *   pontoon-&lt;sid&gt;-c&lt;ci&gt;-n&lt;ni&gt;       simulated node
 *   pontoon-&lt;sid&gt;-p-&lt;h10&gt;           pod; h = sha256("cluster/namespace/pod"), first 10 hex
 *   pontoon-&lt;sid&gt;-gw-&lt;cluster&gt;      a cluster's gateway (cluster = its name, a DNS-1123 label)
 *   pontoon-&lt;sid&gt;-wan               the sandbox-wide WAN: holds the bridge all gateways join
 * interfaces (at most 15 characters, the kernel's IFNAMSIZ - 1)
 *   pc&lt;sid&gt;c&lt;ci&gt;   underlay bridge, in the cluster namespace              (&lt;= 12)
 *   pv&lt;sid&gt;n&lt;ni&gt;   node's underlay veth, bridge end, in the cluster namespace (&lt;= 12)
 *   pu&lt;sid&gt;n&lt;ni&gt;   node's underlay veth, node end, in the node namespace  (&lt;= 12)
 *   pb&lt;sid&gt;n&lt;ni&gt;   node's pod bridge, in the node namespace                (&lt;= 12)
 *   pp&lt;sid&gt;&lt;h7&gt;    pod veth, node end on the pod bridge (h as above)      (15)
 *   eth0             pod veth, pod end, in the pod namespace
 *   pg&lt;sid&gt;c&lt;ci&gt;   an attached namespace's (gateway's) underlay veth, its end (&lt;= 12)
 *   ph&lt;sid&gt;c&lt;ci&gt;   the same veth, bridge end, in the cluster namespace    (&lt;= 12)
 *   pe&lt;sid&gt;c&lt;ci&gt;   a gateway's WAN veth, its end, in the gateway namespace (&lt;= 12)
 *   pf&lt;sid&gt;c&lt;ci&gt;   the same veth, bridge end, in the WAN namespace        (&lt;= 12)
 *   pw&lt;sid&gt;wan     the WAN bridge, in the WAN namespace                   (11)
 * </pre>
 *
 * ci is the cluster index (0..255), ni the node index (0..999). All interfaces are created directly
 * inside their namespace, so none ever appears in the host namespace; a leftover one there would
 * still match {@code p[a-z]<sid>}. The WireGuard interfaces ({@code pt-<8 hex>}) cannot clash: they
 * have a dash in third place.
 */
public record Names(SandboxId sandboxId) {
  public static final int MAX_CLUSTER_INDEX = 255;
  private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile(
      "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  public static final int MAX_NODE_INDEX = 999;
  /** The Linux limit on interface names (IFNAMSIZ 16 including the terminating NUL). */
  public static final int MAX_INTERFACE_NAME = 15;

  public Names {
    java.util.Objects.requireNonNull(sandboxId, "sandboxId");
  }

  /** Every network namespace of this sandbox starts with this. */
  public String netnsPrefix() {
    return "pontoon-" + sandboxId.value() + "-";
  }

  /** A regular expression matching every interface name of this sandbox. */
  public String interfacePattern() {
    return "p[a-z]" + sandboxId.value() + ".*";
  }

  public String clusterNetns(int clusterIndex) {
    return netnsPrefix() + "c" + checkCluster(clusterIndex);
  }

  public String nodeNetns(int clusterIndex, int nodeIndex) {
    return clusterNetns(clusterIndex) + "-n" + checkNode(nodeIndex);
  }

  public String podNetns(String cluster, String namespace, String pod) {
    return netnsPrefix() + "p-" + podHash(cluster, namespace, pod).substring(0, 10);
  }

  /**
   * The gateway namespace of cluster {@code clusterName}. Keyed by name, not index, so a process
   * that knows only the cluster's name (the agent, {@code sandbox status}) finds it.
   */
  public String gatewayNetns(String clusterName) {
    if (clusterName == null || !DNS_LABEL.matcher(clusterName).matches()) {
      throw new IllegalArgumentException("a sandbox cluster name must be a DNS-1123 label (lower-case letters, digits"
          + " and '-', at most 63 characters), got \"" + clusterName + "\"");
    }
    return netnsPrefix() + "gw-" + clusterName;
  }

  /** The sandbox-wide WAN namespace, one per sandbox, shared by every cluster's gateway. */
  public String wanNetns() {
    return netnsPrefix() + "wan";
  }

  public String wanBridge() {
    return iface("pw", "wan");
  }

  public String gatewayWanLink(int clusterIndex) {
    return iface("pe", "c" + checkCluster(clusterIndex));
  }

  public String gatewayWanLinkPeer(int clusterIndex) {
    return iface("pf", "c" + checkCluster(clusterIndex));
  }

  public String underlayBridge(int clusterIndex) {
    return iface("pc", "c" + checkCluster(clusterIndex));
  }

  public String nodeUplink(int nodeIndex) {
    return iface("pu", "n" + checkNode(nodeIndex));
  }

  public String nodeUplinkPeer(int nodeIndex) {
    return iface("pv", "n" + checkNode(nodeIndex));
  }

  public String nodeBridge(int nodeIndex) {
    return iface("pb", "n" + checkNode(nodeIndex));
  }

  public String podHostVeth(String cluster, String namespace, String pod) {
    return iface("pp", podHash(cluster, namespace, pod).substring(0, 7));
  }

  public String attachedUplink(int clusterIndex) {
    return iface("pg", "c" + checkCluster(clusterIndex));
  }

  public String attachedUplinkPeer(int clusterIndex) {
    return iface("ph", "c" + checkCluster(clusterIndex));
  }

  private String iface(String kind, String suffix) {
    String name = kind + sandboxId.value() + suffix;
    if (name.length() > MAX_INTERFACE_NAME) throw new IllegalStateException("interface name too long: " + name);
    return name;
  }

  private static String podHash(String cluster, String namespace, String pod) {
    return SandboxId.sha256Hex(cluster + "/" + namespace + "/" + pod);
  }

  private static int checkCluster(int i) {
    if (i < 0 || i > MAX_CLUSTER_INDEX) {
      throw new IllegalArgumentException("cluster index must be 0.." + MAX_CLUSTER_INDEX + ", got " + i);
    }
    return i;
  }

  private static int checkNode(int i) {
    if (i < 0 || i > MAX_NODE_INDEX) {
      throw new IllegalArgumentException("node index must be 0.." + MAX_NODE_INDEX + ", got " + i);
    }
    return i;
  }
}
