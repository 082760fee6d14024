package io.pontoon.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;

/**
 * Pontoon's well-known names, labels, annotations and the pure functions that derive names.
 * Every module, manifest and test takes them from here so that they agree.
 */
public final class PontoonNames {

  // ---- API ----------------------------------------------------------------------------------

  public static final String GROUP = "pontoon.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  // ---- Namespaces and objects ---------------------------------------------------------------

  public static final String SYSTEM_NAMESPACE = "pontoon-system";
  public static final String TENANT_NAMESPACE_PREFIX = "pontoon-tenant-";
  /** ConfigMap in {@link #SYSTEM_NAMESPACE} holding the cluster's name and ID. */
  public static final String IDENTITY_CONFIGMAP = "pontoon-identity";
  public static final String IDENTITY_KEY_CLUSTER_ID = "clusterID";
  public static final String IDENTITY_KEY_CLUSTER_NAME = "clusterName";
  /** Written by the agent: the peering service's URL (https://HOST:PORT), public. */
  public static final String IDENTITY_KEY_PEERING_URL = "peeringURL";
  /** Written by the agent: the peering certificate's fingerprint (sha256:HEX), public. */
  public static final String IDENTITY_KEY_FINGERPRINT = "fingerprint";
  /** Secret in {@link #SYSTEM_NAMESPACE} with the peering service's key and certificate. */
  public static final String PEERING_TLS_SECRET = "pontoon-peering-tls";
  /** Secret in a tenant namespace holding the credentials issued by the peer. */
  public static final String PEER_CREDENTIALS_SECRET = "pontoon-peer-credentials";
  /** Key of {@link #PEER_CREDENTIALS_SECRET}: a kubeconfig for the peer's API server. */
  public static final String PEER_CREDENTIALS_KUBECONFIG_KEY = "kubeconfig";
  /** Secret in a tenant namespace holding this cluster's WireGuard key pair for that peer. */
  public static final String WIREGUARD_KEY_SECRET = "pontoon-wireguard-key";
  public static final String WIREGUARD_PRIVATE_KEY = "privateKey";
  public static final String WIREGUARD_PUBLIC_KEY = "publicKey";
  /** The only NamespaceOffloading a namespace may have. */
  public static final String NAMESPACE_OFFLOADING_NAME = "offloading";
  /** Kubernetes user a consumer's issued certificate names: prefix + consumer cluster ID. */
  public static final String TENANT_USER_PREFIX = "pontoon:tenant:";

  // ---- Labels -------------------------------------------------------------------------------

  /** On a namespace, {@code "true"} is shorthand for a default NamespaceOffloading. */
  public static final String LABEL_ENABLED = "pontoon.io/enabled";
  public static final String LABEL_TYPE = "pontoon.io/type";
  public static final String TYPE_VIRTUAL_NODE = "virtual-node";
  public static final String TYPE_TENANT_NAMESPACE = "tenant-namespace";
  public static final String TYPE_TWIN_NAMESPACE = "twin-namespace";
  public static final String LABEL_REMOTE_CLUSTER_ID = "pontoon.io/remote-cluster-id";
  /** On every object Pontoon writes in a remote cluster: the writer's cluster ID. */
  public static final String LABEL_ORIGIN_CLUSTER_ID = "pontoon.io/origin-cluster-id";
  /** On a ShadowPod and its Pod: UID of the home pod, the key that prevents duplicates. */
  public static final String LABEL_HOME_POD_UID = "pontoon.io/home-pod-uid";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "pontoon";
  /** Virtual-kubelet conventions that tools such as Liqo's and the Go virtual-kubelet use. */
  public static final String LABEL_NODE_TYPE = "type";
  public static final String NODE_TYPE_VIRTUAL_KUBELET = "virtual-kubelet";
  public static final String LABEL_NODE_ROLE = "kubernetes.io/role";
  public static final String NODE_ROLE_AGENT = "agent";

  // ---- Annotations --------------------------------------------------------------------------

  public static final String ANNOTATION_HOME_POD_NAME = "pontoon.io/home-pod-name";
  public static final String ANNOTATION_HOME_POD_NAMESPACE = "pontoon.io/home-pod-namespace";
  public static final String ANNOTATION_ORIGIN_CLUSTER_NAME = "pontoon.io/origin-cluster-name";
  /**
   * On a ShadowPod being deleted: the grace period the home pod's deletion asked for. Custom
   * resources have no graceful deletion of their own, so the virtual kubelet writes it here
   * before deleting, and the provider deletes the Pod with it.
   */
  public static final String ANNOTATION_DELETION_GRACE_PERIOD = "pontoon.io/deletion-grace-period-seconds";

  // ---- Virtual node -------------------------------------------------------------------------

  public static final String VIRTUAL_NODE_PREFIX = "pontoon-";
  public static final String VIRTUAL_NODE_TAINT_KEY = "virtual-node.pontoon.io/not-allowed";
  public static final String VIRTUAL_NODE_TAINT_VALUE = "true";
  public static final String VIRTUAL_NODE_TAINT_EFFECT = "NoExecute";

  // ---- Finalizers ---------------------------------------------------------------------------

  public static final String FINALIZER_PEERING = "pontoon.io/peering";
  public static final String FINALIZER_OFFLOADING = "pontoon.io/offloading";
  public static final String FINALIZER_SHADOW_POD = "pontoon.io/shadow-pod";
  public static final String FINALIZER_NETWORK = "pontoon.io/network";
  public static final String FINALIZER_TWIN_NAMESPACE = "pontoon.io/twin-namespace";

  // ---- Network defaults ---------------------------------------------------------------------

  public static final int DEFAULT_PEERING_PORT = 8443;
  public static final int DEFAULT_WIREGUARD_PORT = 51820;
  public static final int DEFAULT_MTU = 1420;
  /**
   * Host directory holding, per network namespace, the directory that commands run in that
   * namespace see as {@code /var/run/wireguard}: userspace WireGuard sockets are named after the
   * interface only, so two namespaces of one host (sandbox clusters) may both have {@code pt-X}.
   */
  public static final String WIREGUARD_NETNS_SOCKET_ROOT = "/run/pontoon/wireguard";
  public static final int DEFAULT_PERSISTENT_KEEPALIVE_SECONDS = 25;
  public static final String WIREGUARD_INTERFACE_PREFIX = "pt-";
  /** Linux limits interface names to 15 characters (IFNAMSIZ - 1). */
  public static final int MAX_INTERFACE_NAME_LENGTH = 15;
  /** DNS-SD service of the peering service, for unicast DNS and mDNS alike. */
  public static final String DNS_SD_SERVICE = "_pontoon._tcp";

  // ---- Validation patterns (also used in the CRD schemas) ----------------------------------

  /** DNS-1123 label: namespaces, cluster names. */
  public static final String DNS1123_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  public static final int DNS1123_LABEL_MAX_LENGTH = 63;
  /** DNS-1123 subdomain: Secret and most object names. */
  public static final String DNS1123_SUBDOMAIN_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** Cluster IDs are UUIDs made on first start. */
  public static final String CLUSTER_ID_PATTERN =
      "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
  /** IPv4 CIDR, the address family the gateway's NAT supports. */
  public static final String IPV4_CIDR_PATTERN =
      "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
          + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
          + "/(3[0-2]|[12]?[0-9])$";
  /** {@code sha256:} and 64 lowercase hex digits: the peering certificate's fingerprint. */
  public static final String FINGERPRINT_PATTERN = "^sha256:[0-9a-f]{64}$";
  /** A WireGuard key: 32 bytes in base64. */
  public static final String WIREGUARD_KEY_PATTERN = "^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=$";
  public static final String HTTPS_URL_PATTERN = "^https://[^\\s/?#]+(/[^\\s]*)?$";

  /** Condition types of the pontoon.io kinds (the {@code type} of a {@code metav1.Condition}). */
  public static final class ConditionTypes {
    // ForeignCluster: one per peering step, so a failure names the step.
    public static final String AUTHENTICATED = "Authenticated";
    public static final String RESOURCES_GRANTED = "ResourcesGranted";
    public static final String NETWORK_READY = "NetworkReady";
    public static final String TUNNEL_UP = "TunnelUp";
    public static final String VIRTUAL_NODE_READY = "VirtualNodeReady";
    public static final String API_SERVER_REACHABLE = "APIServerReachable";
    /** Summary condition of NamespaceOffloading, NetworkConfig and Tunnel. */
    public static final String READY = "Ready";
    /** ShadowPod: the provider admitted it within the consumer's grant. */
    public static final String ADMITTED = "Admitted";
    /** ShadowPod: the provider's Pod exists. */
    public static final String POD_CREATED = "PodCreated";
    /** ResourceSlice: the provider answered the request. */
    public static final String ACCEPTED = "Accepted";

    private ConditionTypes() {}
  }

  /** Condition statuses, as {@code metav1.ConditionStatus} spells them. */
  public static final class ConditionStatus {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private ConditionStatus() {}
  }

  /** Condition and Event reasons (CamelCase, as Kubernetes requires). */
  public static final class Reasons {
    public static final String SUCCEEDED = "Succeeded";
    public static final String PENDING = "Pending";
    public static final String IN_PROGRESS = "InProgress";
    public static final String TOKEN_INVALID = "TokenInvalid";
    public static final String TOKEN_EXPIRED = "TokenExpired";
    public static final String TOKEN_REVOKED = "TokenRevoked";
    public static final String TOKEN_ALREADY_USED = "TokenAlreadyUsed";
    public static final String FINGERPRINT_MISMATCH = "FingerprintMismatch";
    public static final String PEER_UNREACHABLE = "PeerUnreachable";
    public static final String API_SERVER_UNREACHABLE = "APIServerUnreachable";
    public static final String CIDR_EXHAUSTED = "CIDRExhausted";
    public static final String TUNNEL_DOWN = "TunnelDown";
    public static final String HANDSHAKE_MISSING = "HandshakeMissing";
    public static final String PROBE_FAILED = "ProbeFailed";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String OFFLOADING_BACK_OFF = "OffloadingBackOff";
    public static final String NO_CLUSTER_SELECTED = "NoClusterSelected";
    public static final String NAMESPACE_CONFLICT = "NamespaceConflict";
    public static final String UNPEERING = "Unpeering";
    public static final String DISCOVERY_EXPIRED = "DiscoveryExpired";

    private Reasons() {}
  }

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_PATTERN);
  /** Hex digits kept from the hash when a derived name must be shortened. */
  private static final int HASH_LENGTH = 10;

  private PontoonNames() {}

  // ---- Derivations --------------------------------------------------------------------------

  /** Tenant namespace of a peer: {@code pontoon-tenant-<peer-cluster-name>}, shortened past 63. */
  public static String tenantNamespace(String peerClusterName) {
    requireLabel(peerClusterName, "peer cluster name");
    return shortenLabel(TENANT_NAMESPACE_PREFIX + peerClusterName, peerClusterName);
  }

  /** Virtual node of a peering: {@code pontoon-<remote-cluster-name>}. */
  public static String virtualNodeName(String remoteClusterName) {
    requireLabel(remoteClusterName, "remote cluster name");
    // Node names are DNS-1123 subdomains (253 characters), so no shortening is needed.
    return VIRTUAL_NODE_PREFIX + remoteClusterName;
  }

  /** Kubernetes user of a consumer's issued certificate: {@code pontoon:tenant:<cluster-id>}. */
  public static String tenantUser(String consumerClusterId) {
    return TENANT_USER_PREFIX + Objects.requireNonNull(consumerClusterId, "consumer cluster ID");
  }

  /**
   * WireGuard interface of a peering: {@code pt-} and the first 8 hex digits of the peer's
   * cluster ID (dashes skipped, lowercased), 11 characters, below the kernel's 15.
   */
  public static String wireGuardInterface(String peerClusterId) {
    Objects.requireNonNull(peerClusterId, "peer cluster ID");
    StringBuilder hex = new StringBuilder(8);
    for (char c : peerClusterId.toLowerCase(Locale.ROOT).toCharArray()) {
      if (hex.length() == 8) {
        break;
      }
      if (c == '-') {
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        throw new IllegalArgumentException(
            "cluster ID must start with 8 hex digits, got '" + peerClusterId + "'");
      }
      hex.append(c);
    }
    if (hex.length() < 8) {
      throw new IllegalArgumentException(
          "cluster ID must start with 8 hex digits, got '" + peerClusterId + "'");
    }
    return WIREGUARD_INTERFACE_PREFIX + hex;
  }

  /**
   * Twin namespace in the provider for {@code namespace} of the home cluster.
   *
   * @param selectedName the chosen name; required for {@code SelectedName}, ignored otherwise
   */
  public static String twinNamespace(
      NamespaceMappingStrategy strategy,
      String namespace,
      String homeClusterName,
      String selectedName) {
    Objects.requireNonNull(strategy, "strategy");
    return switch (strategy) {
      case DefaultName -> defaultTwinNamespace(namespace, homeClusterName);
      case EnforceSameName -> requireLabel(namespace, "namespace");
      case SelectedName -> requireLabel(selectedName, "selected namespace name");
    };
  }

  /**
   * {@code <namespace>-<home-cluster-name>}; when that is longer than 63 characters, its first
   * characters followed by {@code -} and 10 hex digits of a SHA-256 over namespace and cluster
   * name, so the result is a valid, stable DNS-1123 label that still reads like its origin.
   */
  public static String defaultTwinNamespace(String namespace, String homeClusterName) {
    requireLabel(namespace, "namespace");
    requireLabel(homeClusterName, "home cluster name");
    // The hash input keeps the separator so that ("a-b", "c") and ("a", "b-c") hash apart.
    return shortenLabel(namespace + "-" + homeClusterName, namespace + "/" + homeClusterName);
  }

  /** Whether {@code name} is a DNS-1123 label (lowercase alphanumerics and '-', at most 63). */
  public static boolean isDns1123Label(String name) {
    return name != null
        && !name.isEmpty()
        && name.length() <= DNS1123_LABEL_MAX_LENGTH
        && DNS1123_LABEL.matcher(name).matches();
  }

  private static String requireLabel(String name, String what) {
    if (!isDns1123Label(name)) {
      throw new IllegalArgumentException(what + " must be a DNS-1123 label, got '" + name + "'");
    }
    return name;
  }

  /** {@code name} if it fits in a label, else a prefix of it, '-', and a hash of {@code key}. */
  private static String shortenLabel(String name, String key) {
    if (name.length() <= DNS1123_LABEL_MAX_LENGTH) {
      return name;
    }
    String prefix = name.substring(0, DNS1123_LABEL_MAX_LENGTH - HASH_LENGTH - 1);
    // A '-' before the separator would read as "--": drop trailing dashes.
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == '-') {
      end--;
    }
    return prefix.substring(0, end) + "-" + sha256Hex(key).substring(0, HASH_LENGTH);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
