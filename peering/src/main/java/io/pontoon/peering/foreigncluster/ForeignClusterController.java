package io.pontoon.peering.foreigncluster;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterPhase;
import io.pontoon.api.v1alpha1.ForeignClusterStatus;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.TenantNamespaces;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.peering.handshake.CidrAssigner;
import io.pontoon.peering.handshake.ClientKeys;
import io.pontoon.peering.handshake.ConsumerCsr;
import io.pontoon.peering.handshake.HandshakeClient;
import io.pontoon.peering.handshake.HandshakeSchema;
import io.pontoon.peering.handshake.Messages;
import io.pontoon.peering.handshake.PeeringException;
import io.pontoon.peering.handshake.Reasons;
import io.pontoon.peering.network.NetworkReadiness;
import io.pontoon.peering.network.PeerTunnels;
import io.pontoon.peering.network.TunnelReadiness;
import io.pontoon.peering.tenant.TenantProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of a peering, one ForeignCluster at a time: the handshake (key and CSR made
 * and kept here), the credentials Secret, the virtual kubelet, the conditions, and unpeer on
 * deletion (finalizer {@code pontoon.io/peering}, always removed, even when the provider is
 * gone).
 *
 * <p>Conditions: Authenticated (handshake), ResourcesGranted (the provider's ResourceSlice),
 * NetworkReady (the peer's NetworkConfig with both blocks, and its Tunnel), TunnelUp (that
 * Tunnel's status, written by the gateway),
 * VirtualNodeReady (node {@code pontoon-<provider>}'s Ready), APIServerReachable (a read with
 * the issued credential). The phase summarises them.
 */
public final class ForeignClusterController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ForeignClusterController.class);
  private static final Duration TRANSIENT_RETRY = Duration.ofSeconds(1);
  static final String KEY_CLIENT_KEY = "client.key";
  static final String KEY_CSR = "client.csr";
  /** Network facts from the handshake, for the gateway: kept next to the kubeconfig. */
  public static final String KEY_PEER_POD_CIDR = "peerPodCIDR";
  public static final String KEY_PEER_SERVICE_CIDR = "peerServiceCIDR";
  public static final String KEY_ASSIGNED_POD_CIDR = "assignedPodCIDR";
  public static final String KEY_GATEWAY_ENDPOINT = "gatewayEndpoint";
  public static final String KEY_GATEWAY_PUBLIC_KEY = "gatewayPublicKey";
  public static final String KEY_REMOTE_TENANT_NAMESPACE = "remoteTenantNamespace";
  /** TunnelUp Unknown: the Tunnel exists but no gateway has reported on it. */
  public static final String REASON_GATEWAY_NOT_RUNNING = TunnelReadiness.REASON_GATEWAY_NOT_RUNNING;

  /** How the controller behaves; tests shorten the intervals. */
  public record Settings(Duration refresh, Duration unpeerTimeout, Duration finalizerGrace, int workers) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), 2);
    }
  }

  private final KubernetesClient client;
  private final ClusterIdentity me;
  private final Messages.Network myNetwork;
  private final VirtualKubeletLauncher launcher;
  private final CidrAssigner cidrs;
  private final Settings settings;
  private final HandshakeClient handshakes;
  private final HandshakeClient unpeerClient;
  private final TenantProvisioner tenants;
  private final PeerTunnels tunnels;
  private final boolean gatewaysLaunched;
  private final Map<String, CachedClient> peerClients = new ConcurrentHashMap<>();
  private final ClientKeys clientKeys = new ClientKeys();
  private final ControllerLoop loop;
  private SharedIndexInformer<ForeignCluster> fcInformer;
  private SharedIndexInformer<Node> nodeInformer;
  private SharedIndexInformer<Tunnel> tunnelInformer;

  private record CachedClient(String kubeconfig, KubernetesClient client) {}

  public ForeignClusterController(KubernetesClient client, ClusterIdentity me, Messages.Network myNetwork,
      VirtualKubeletLauncher launcher, CidrAssigner cidrs, Settings settings) {
    this(client, me, myNetwork, launcher, cidrs, settings, new PeerTunnels(client), false);
  }

  /**
   * @param tunnels the agent's one {@link PeerTunnels}, shared with the provider handshake
   * @param gatewaysLaunched whether the agent starts gateways itself (only changes TunnelUp's hint)
   */
  public ForeignClusterController(KubernetesClient client, ClusterIdentity me, Messages.Network myNetwork,
      VirtualKubeletLauncher launcher, CidrAssigner cidrs, Settings settings, PeerTunnels tunnels,
      boolean gatewaysLaunched) {
    this.gatewaysLaunched = gatewaysLaunched;
    this.client = client;
    this.me = me;
    this.myNetwork = myNetwork;
    this.launcher = launcher;
    this.cidrs = cidrs;
    this.settings = settings;
    this.handshakes = new HandshakeClient(Duration.ofSeconds(60));
    this.unpeerClient = new HandshakeClient(settings.unpeerTimeout());
    this.tenants = new TenantProvisioner(client);
    this.tunnels = tunnels;
    this.loop = new ControllerLoop("foreigncluster", this::reconcile);
  }

  public void start() {
    loop.start(settings.workers());
    fcInformer = client.resources(ForeignCluster.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ForeignCluster fc) {
        enqueue(fc.getMetadata().getName());
      }

      @Override
      public void onUpdate(ForeignCluster before, ForeignCluster after) {
        // Status writes are this controller's own: only spec and metadata changes need a look.
        var b = before.getMetadata();
        var a = after.getMetadata();
        if (!Objects.equals(b.getGeneration(), a.getGeneration())
            || !Objects.equals(b.getDeletionTimestamp(), a.getDeletionTimestamp())
            || !Objects.equals(b.getFinalizers(), a.getFinalizers())
            || !Objects.equals(b.getAnnotations(), a.getAnnotations())) {
          enqueue(a.getName());
        }
      }

      @Override
      public void onDelete(ForeignCluster fc, boolean unknown) {
        enqueue(fc.getMetadata().getName());
      }
    }, 0);
    nodeInformer = client.nodes().withLabel(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE)
        .inform(handler(n -> n.getMetadata().getName().startsWith(PontoonNames.VIRTUAL_NODE_PREFIX)
            ? n.getMetadata().getName().substring(PontoonNames.VIRTUAL_NODE_PREFIX.length()) : null), 0);
    informTunnels();
  }

  /**
   * TunnelUp follows the gateway's status writes at once; a Tunnel is named after its peer. Only
   * updates that can change the condition count (the gateway rewrites bytes and RTT every probe).
   */
  private void informTunnels() {
    tunnelInformer = client.resources(Tunnel.class).inAnyNamespace()
        .withLabel(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Tunnel t) {
            enqueue(t.getMetadata().getName());
          }

          @Override
          public void onUpdate(Tunnel before, Tunnel after) {
            if (TunnelReadiness.changed(before, after)) enqueue(after.getMetadata().getName());
          }

          @Override
          public void onDelete(Tunnel t, boolean unknown) {
            enqueue(t.getMetadata().getName());
          }
        }, 0);
  }

  public int queueDepth() {
    return loop.depth();
  }

  private <T> ResourceEventHandler<T> handler(java.util.function.Function<T, String> key) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        enqueue(key.apply(obj));
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        enqueue(key.apply(newObj));
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        enqueue(key.apply(obj));
      }
    };
  }

  private void enqueue(String name) {
    if (name != null) loop.enqueue(name);
  }

  Reconciler.Result reconcile(String name) throws Exception {
    ForeignCluster fc = client.resources(ForeignCluster.class).withName(name).get();
    if (fc == null) {
      launcher.stop(name);
      closePeerClient(name);
      return Reconciler.Result.done();
    }
    if (fc.getMetadata().getDeletionTimestamp() != null) return unpeer(fc);
    if (fc.getSpec() == null || !(fc.getSpec().getOutgoingEnabled() || fc.getSpec().getIncomingEnabled())) {
      return Reconciler.Result.done();
    }
    if (!fc.getMetadata().getFinalizers().contains(PontoonNames.FINALIZER_PEERING)) {
      fc = client.resources(ForeignCluster.class).withName(name).edit(x -> {
        List<String> f = new ArrayList<>(x.getMetadata().getFinalizers());
        if (!f.contains(PontoonNames.FINALIZER_PEERING)) f.add(PontoonNames.FINALIZER_PEERING);
        x.getMetadata().setFinalizers(f);
        return x;
      });
    }
    if (!fc.getSpec().getOutgoingEnabled()) return incomingTunnel(fc);
    String ns = PontoonNames.tenantNamespace(name);
    Secret creds = client.secrets().inNamespace(ns).withName(PontoonNames.PEER_CREDENTIALS_SECRET).get();
    if (creds == null || creds.getData() == null || !creds.getData().containsKey(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY)) {
      return handshake(fc, ns, creds);
    }
    return monitor(fc, ns, creds);
  }

  // ---- handshake ---------------------------------------------------------------------------

  private Reconciler.Result handshake(ForeignCluster fc, String ns, Secret creds) {
    String name = fc.getMetadata().getName();
    if (fc.getSpec().getPeeringURL() == null || fc.getSpec().getFingerprint() == null) {
      return fail(fc, ConditionTypes.AUTHENTICATED, PontoonNames.Reasons.HANDSHAKE_MISSING,
          "spec.peeringURL and spec.fingerprint are needed to peer; run 'pontoon peer'", null);
    }
    if (client.namespaces().withName(ns).get() == null) {
      return fail(fc, ConditionTypes.AUTHENTICATED, PontoonNames.Reasons.HANDSHAKE_MISSING,
          "no token: run 'pontoon peer --url ... --fingerprint ... --token ...'", null);
    }
    Secret tokenSecret = client.secrets().inNamespace(ns).withName(PeeringRequests.TOKEN_SECRET).get();
    if (tokenSecret == null || tokenSecret.getData() == null || tokenSecret.getData().get(PeeringRequests.TOKEN_KEY) == null) {
      return fail(fc, ConditionTypes.AUTHENTICATED, PontoonNames.Reasons.HANDSHAKE_MISSING,
          "no token: run 'pontoon peer --url ... --fingerprint ... --token ...'", null);
    }
    String token = decode(tokenSecret.getData().get(PeeringRequests.TOKEN_KEY)).trim();
    setPhase(fc, ForeignClusterPhase.Peering, ConditionTypes.AUTHENTICATED, PontoonNames.ConditionStatus.UNKNOWN,
        PontoonNames.Reasons.IN_PROGRESS, "handshake with " + fc.getSpec().getPeeringURL() + " in progress");
    // The key is made here once and kept in the consumer cluster, so a retry sends the same CSR.
    String keyPem;
    String csrPem;
    if (creds != null && creds.getData() != null && creds.getData().get(KEY_CLIENT_KEY) != null
        && creds.getData().get(KEY_CSR) != null) {
      keyPem = decode(creds.getData().get(KEY_CLIENT_KEY));
      csrPem = decode(creds.getData().get(KEY_CSR));
    } else {
      ConsumerCsr csr = ConsumerCsr.of(me.id(), clientKeys.take());
      keyPem = csr.privateKeyPem();
      csrPem = csr.csrPem();
      writeCredentials(ns, fc, Map.of(KEY_CLIENT_KEY, keyPem, KEY_CSR, csrPem));
    }
    // The provider's pod CIDR first, so the request can carry the block we show its pods under.
    Messages.Identity provider;
    try {
      provider = handshakes.identity(fc.getSpec().getPeeringURL(), fc.getSpec().getFingerprint());
    } catch (PeeringException e) {
      return handshakeFailed(fc, e);
    }
    if (!Objects.equals(provider.id(), fc.getSpec().getClusterID())) return idMismatch(fc, provider.id());
    if (provider.network() == null || provider.network().podCIDR() == null
        || !provider.network().podCIDR().matches(PontoonNames.IPV4_CIDR_PATTERN)) {
      return fail(fc, ConditionTypes.AUTHENTICATED, HandshakeSchema.INVALID_RESPONSE, "the provider at "
          + fc.getSpec().getPeeringURL() + " does not publish its pod CIDR in /v1/identity; upgrade its agent", null);
    }
    String peerId = fc.getSpec().getClusterID();
    String mine;
    try {
      mine = cidrs.assign(peerId, name, provider.network().podCIDR(), null);
    } catch (CidrAssigner.CidrExhaustedException e) {
      return fail(fc, ConditionTypes.AUTHENTICATED, PontoonNames.Reasons.CIDR_EXHAUSTED,
          "this cluster has no free CIDR for " + name + "'s pods (" + e.getMessage()
              + "); widen this cluster's remapping pools or unpeer unused clusters", null);
    }
    String wgPublic = tunnels.localPublicKey(ns);
    Messages.HandshakeRequest req = new Messages.HandshakeRequest(token, new Messages.ClusterRef(me.id(), me.name()),
        csrPem, myNetwork, wgPublic, mine, Map.of());
    Messages.HandshakeResponse resp;
    try {
      resp = handshakes.handshake(fc.getSpec().getPeeringURL(), fc.getSpec().getFingerprint(), req);
    } catch (PeeringException e) {
      return handshakeFailed(fc, e);
    }
    if (resp.cluster() == null || !Objects.equals(resp.cluster().id(), fc.getSpec().getClusterID())) {
      return idMismatch(fc, resp.cluster() == null ? "?" : resp.cluster().id());
    }
    try {
      HandshakeSchema.checkResponse(resp);
      if (!resp.network().podCIDR().equals(provider.network().podCIDR())) {
        // Its CIDR changed between the two calls: the next attempt assigns for the new one.
        return fail(fc, ConditionTypes.AUTHENTICATED, PontoonNames.Reasons.IN_PROGRESS, "the provider's pod CIDR changed from "
            + provider.network().podCIDR() + " to " + resp.network().podCIDR() + " during the handshake; retrying",
            settings.refresh());
      }
      cidrs.assignedByPeer(peerId, resp.assignedPodCIDR());
      tunnels.ensure(ns, peerId, name, resp.gateway().publicKey(), resp.gateway().endpoint());
    } catch (PeeringException e) {
      return handshakeFailed(fc, e);
    } catch (IllegalArgumentException e) {
      return fail(fc, ConditionTypes.AUTHENTICATED, HandshakeSchema.INVALID_RESPONSE,
          "the provider's handshake answer is not usable: " + e.getMessage(), null);
    }
    String kubeconfig = PeerCredentials.kubeconfig(name, resp.apiServer().url(), resp.apiServer().caData(),
        resp.certificate(), keyPem, PontoonNames.tenantUser(me.id()));
    Map<String, String> data = new LinkedHashMap<>();
    data.put(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY, kubeconfig);
    data.put(KEY_CLIENT_KEY, keyPem);
    data.put(KEY_PEER_POD_CIDR, resp.network().podCIDR());
    data.put(KEY_PEER_SERVICE_CIDR, resp.network().serviceCIDR());
    data.put(KEY_ASSIGNED_POD_CIDR, resp.assignedPodCIDR());
    data.put(KEY_REMOTE_TENANT_NAMESPACE, resp.tenantNamespace());
    if (resp.gateway() != null && resp.gateway().endpoint() != null) data.put(KEY_GATEWAY_ENDPOINT, resp.gateway().endpoint());
    if (resp.gateway() != null && resp.gateway().publicKey() != null) data.put(KEY_GATEWAY_PUBLIC_KEY, resp.gateway().publicKey());
    writeCredentials(ns, fc, data);
    client.secrets().inNamespace(ns).withName(PeeringRequests.TOKEN_SECRET).delete();
    String[] network = networkReady(ns, name);
    Map<String, Quantity> granted = new LinkedHashMap<>();
    if (resp.grantedResources() != null) resp.grantedResources().forEach((k, v) -> granted.put(k, new Quantity(v)));
    updateStatus(fc, st -> {
      st.setApiServerURL(resp.apiServer().url());
      TenantNamespaces tn = st.getTenantNamespace() == null ? new TenantNamespaces() : st.getTenantNamespace();
      tn.setLocal(ns);
      tn.setRemote(resp.tenantNamespace());
      st.setTenantNamespace(tn);
      st.setGrantedResources(granted);
      st.setVirtualNodeName(PontoonNames.virtualNodeName(name));
      set(st, ConditionTypes.AUTHENTICATED, PontoonNames.ConditionStatus.TRUE, PontoonNames.Reasons.SUCCEEDED,
          "authenticated as " + PontoonNames.tenantUser(me.id()) + " on " + resp.apiServer().url());
      set(st, ConditionTypes.RESOURCES_GRANTED, PontoonNames.ConditionStatus.TRUE, PontoonNames.Reasons.SUCCEEDED,
          "granted " + granted);
      set(st, ConditionTypes.NETWORK_READY, network[0], network[1], network[2]);
      st.setPhase(phase(st));
    });
    LOG.info("event=peered provider={} providerID={} apiServer={}", name, resp.cluster().id(), resp.apiServer().url());
    return Reconciler.Result.after(Duration.ZERO.plusMillis(1));
  }

  private Reconciler.Result handshakeFailed(ForeignCluster fc, PeeringException e) {
    LOG.info("event=handshake-failed provider={} reason={} message=\"{}\"", fc.getMetadata().getName(), e.reason(),
        e.getMessage());
    boolean retry = e.status() == 0 && !HandshakeSchema.INVALID_RESPONSE.equals(e.reason())
        || e.status() >= 500 && !PontoonNames.Reasons.CIDR_EXHAUSTED.equals(e.reason()) || e.status() == 429;
    // An earlier tenant being deleted on the provider takes a second or two: retry soon, not at the next refresh.
    Duration after = Reasons.TENANT_TERMINATING.equals(e.reason()) && settings.refresh().compareTo(TRANSIENT_RETRY) > 0
        ? TRANSIENT_RETRY : settings.refresh();
    return fail(fc, ConditionTypes.AUTHENTICATED, e.reason(), e.getMessage(), retry ? after : null);
  }

  private Reconciler.Result idMismatch(ForeignCluster fc, String seen) {
    return fail(fc, ConditionTypes.AUTHENTICATED, "ClusterIDMismatch", "the provider at "
        + fc.getSpec().getPeeringURL() + " is cluster " + seen + ", not " + fc.getSpec().getClusterID() + " as recorded", null);
  }

  private void writeCredentials(String ns, ForeignCluster fc, Map<String, String> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Secret s = new SecretBuilder().withNewMetadata().withName(PontoonNames.PEER_CREDENTIALS_SECRET).withNamespace(ns)
        .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, fc.getSpec().getClusterID())
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
        .withData(encoded).build();
    client.secrets().resource(s).createOr(x -> x.update());
  }

  // ---- monitoring --------------------------------------------------------------------------

  private Reconciler.Result monitor(ForeignCluster fc, String ns, Secret creds) {
    String name = fc.getMetadata().getName();
    String kubeconfig = decode(creds.getData().get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY));
    String remoteNs = creds.getData().get(KEY_REMOTE_TENANT_NAMESPACE) == null
        ? PontoonNames.tenantNamespace(me.name()) : decode(creds.getData().get(KEY_REMOTE_TENANT_NAMESPACE));
    String nodeName = PontoonNames.virtualNodeName(name);
    // Already peered: a token from a repeated 'pontoon peer' is not needed (idempotent success).
    client.secrets().inNamespace(ns).withName(PeeringRequests.TOKEN_SECRET).delete();
    launcher.ensureRunning(new VirtualKubeletLauncher.Peer(fc.getSpec().getClusterID(), name,
        ns + "/" + PontoonNames.PEER_CREDENTIALS_SECRET, nodeName));
    // API server and grant, with the issued credential.
    String apiStatus;
    String apiReason;
    String apiMessage;
    Map<String, Quantity> granted = null;
    try {
      ResourceSlice slice = peerClient(name, kubeconfig).resources(ResourceSlice.class).inNamespace(remoteNs)
          .withName(me.name()).get();
      apiStatus = PontoonNames.ConditionStatus.TRUE;
      apiReason = PontoonNames.Reasons.SUCCEEDED;
      apiMessage = "the provider's API server answers with the issued credential";
      if (slice != null && slice.getStatus() != null) granted = slice.getStatus().getResources();
    } catch (KubernetesClientException e) {
      apiStatus = PontoonNames.ConditionStatus.FALSE;
      if (e.getCode() == 401 || e.getCode() == 403) {
        apiReason = "Unauthorized";
        apiMessage = "the provider refuses the issued credential (HTTP " + e.getCode()
            + "); it may have unpeered this cluster: run 'pontoon unpeer " + name + "' and peer again";
      } else {
        apiReason = PontoonNames.Reasons.API_SERVER_UNREACHABLE;
        apiMessage = "cannot reach the provider's API server: " + shortMessage(e);
      }
    }
    Node node = client.nodes().withName(nodeName).get();
    String[] vn = nodeReady(node, nodeName);
    String[] network = networkReady(ns, name);
    String[] tunnel = tunnelUp(ns, name);
    Map<String, Quantity> grantedNow = granted;
    String apiS = apiStatus;
    String apiR = apiReason;
    String apiM = apiMessage;
    updateStatus(fc, st -> {
      set(st, ConditionTypes.API_SERVER_REACHABLE, apiS, apiR, apiM);
      if (grantedNow != null) {
        st.setGrantedResources(grantedNow);
        set(st, ConditionTypes.RESOURCES_GRANTED, PontoonNames.ConditionStatus.TRUE, PontoonNames.Reasons.SUCCEEDED,
            "granted " + grantedNow);
      }
      set(st, ConditionTypes.VIRTUAL_NODE_READY, vn[0], vn[1], vn[2]);
      set(st, ConditionTypes.NETWORK_READY, network[0], network[1], network[2]);
      set(st, ConditionTypes.TUNNEL_UP, tunnel[0], tunnel[1], tunnel[2]);
      st.setVirtualNodeName(nodeName);
      st.setPhase(phase(st));
    });
    return Reconciler.Result.after(settings.refresh());
  }

  private static String[] nodeReady(Node node, String nodeName) {
    if (node == null) {
      return new String[] {PontoonNames.ConditionStatus.FALSE, PontoonNames.Reasons.PENDING,
          "node " + nodeName + " is not registered yet (the virtual kubelet is starting)"};
    }
    NodeCondition ready = node.getStatus() == null || node.getStatus().getConditions() == null ? null
        : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    if (ready == null) {
      return new String[] {PontoonNames.ConditionStatus.UNKNOWN, PontoonNames.Reasons.PENDING,
          "node " + nodeName + " reports no Ready condition yet"};
    }
    String reason = ready.getReason() == null || !ready.getReason().matches("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
        ? ("True".equals(ready.getStatus()) ? "NodeReady" : "NodeNotReady") : ready.getReason();
    return new String[] {ready.getStatus(), reason,
        "node " + nodeName + (ready.getMessage() == null ? "" : ": " + ready.getMessage())};
  }

  private String[] networkReady(String ns, String name) {
    NetworkReadiness r = NetworkReadiness.of(client, ns, name);
    return new String[] {r.status(), r.reason(), r.message()};
  }

  /** Follows the Tunnel's status, which only the gateway ({@code pontoon gateway}) writes. */
  private String[] tunnelUp(String ns, String name) {
    try {
      TunnelReadiness r = TunnelReadiness.of(tunnels.get(ns, name), ns, name, gatewaysLaunched);
      return new String[] {r.status(), r.reason(), r.message()};
    } catch (KubernetesClientException e) {
      return new String[] {PontoonNames.ConditionStatus.UNKNOWN, PontoonNames.Reasons.PENDING, "tunnels cannot be read"};
    }
  }

  /**
   * A peering only the other side started (this cluster is its provider) has no monitor loop; its
   * record still shows whether the tunnel is up. The provider handshake owns the other conditions.
   */
  private Reconciler.Result incomingTunnel(ForeignCluster fc) {
    String name = fc.getMetadata().getName();
    String[] tunnel = tunnelUp(PontoonNames.tenantNamespace(name), name);
    updateStatus(fc, st -> set(st, ConditionTypes.TUNNEL_UP, tunnel[0], tunnel[1], tunnel[2]));
    return Reconciler.Result.done();
  }

  /**
   * Failed when authentication failed; Peered when authenticated, granted and the node is Ready
   * and nothing is False; Degraded when authenticated but something is False; Peering otherwise.
   */
  static ForeignClusterPhase phase(ForeignClusterStatus st) {
    List<Condition> c = st.getConditions();
    if (Conditions.isFalse(c, ConditionTypes.AUTHENTICATED)) return ForeignClusterPhase.Failed;
    if (!Conditions.isTrue(c, ConditionTypes.AUTHENTICATED)) return ForeignClusterPhase.Peering;
    boolean anyFalse = c.stream().anyMatch(x -> PontoonNames.ConditionStatus.FALSE.equals(x.getStatus())
        && !(ConditionTypes.VIRTUAL_NODE_READY.equals(x.getType()) && PontoonNames.Reasons.PENDING.equals(x.getReason())));
    if (anyFalse) return ForeignClusterPhase.Degraded;
    if (Conditions.isTrue(c, ConditionTypes.RESOURCES_GRANTED) && Conditions.isTrue(c, ConditionTypes.VIRTUAL_NODE_READY)) {
      return ForeignClusterPhase.Peered;
    }
    return ForeignClusterPhase.Peering;
  }

  // ---- unpeer ------------------------------------------------------------------------------

  private Reconciler.Result unpeer(ForeignCluster fc) {
    String name = fc.getMetadata().getName();
    if (!fc.getMetadata().getFinalizers().contains(PontoonNames.FINALIZER_PEERING)) return Reconciler.Result.done();
    boolean keep = "true".equals(fc.getMetadata().getAnnotations() == null ? null
        : fc.getMetadata().getAnnotations().get(PeeringRequests.ANNOTATION_KEEP_NAMESPACES));
    try {
      updateStatus(fc, st -> st.setPhase(ForeignClusterPhase.Unpeering));
    } catch (RuntimeException e) {
      // the status is informative; unpeering goes on
    }
    String ns = PontoonNames.tenantNamespace(name);
    String outcome;
    Secret creds = client.secrets().inNamespace(ns).withName(PontoonNames.PEER_CREDENTIALS_SECRET).get();
    String kubeconfig = creds == null || creds.getData() == null ? null
        : creds.getData().get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY);
    if (kubeconfig == null || fc.getSpec() == null || fc.getSpec().getPeeringURL() == null) {
      outcome = "unpeered " + name + " locally (this cluster held no credentials for it)";
    } else {
      String kc = decode(kubeconfig);
      try {
        unpeerClient.unpeer(fc.getSpec().getPeeringURL(), fc.getSpec().getFingerprint(), me.id(),
            PeerCredentials.certificate(kc), PeerCredentials.key(kc), keep);
        outcome = "unpeered " + name + " on both sides" + (keep ? " (twin namespaces kept)" : "");
      } catch (PeeringException | IllegalArgumentException e) {
        outcome = "the provider " + name + " could not be told (" + e.getMessage()
            + "); finished locally: its tenant for this cluster stays until it is removed there";
        LOG.warn("event=unpeer-remote-failed provider={} error=\"{}\"", name, e.getMessage());
      }
    }
    launcher.stop(name);
    closePeerClient(name);
    client.nodes().withName(PontoonNames.virtualNodeName(name)).delete();
    releasePodsOf(PontoonNames.virtualNodeName(name));
    if (fc.getSpec() != null && fc.getSpec().getClusterID() != null) {
      cidrs.release(fc.getSpec().getClusterID());
      tunnels.delete(fc.getSpec().getClusterID());
      // Also the incoming direction: that peer's own tenant here, if it peered with us.
      tenants.remove(fc.getSpec().getClusterID(), keep, settings.finalizerGrace());
    }
    client.namespaces().withName(ns).delete();
    recordEvent(fc, outcome);
    client.resources(ForeignCluster.class).withName(name).edit(x -> {
      x.getMetadata().setFinalizers(new ArrayList<>(x.getMetadata().getFinalizers().stream()
          .filter(f -> !PontoonNames.FINALIZER_PEERING.equals(f)).toList()));
      return x;
    });
    LOG.info("event=unpeered provider={} outcome=\"{}\"", name, outcome);
    return Reconciler.Result.done();
  }

  /**
   * Home pods still bound to the removed virtual node have no kubelet left to confirm their end,
   * so a deletion would leave them Terminating for good (Kubernetes' pod GC force-deletes pods of
   * vanished nodes only after its quarantine, and the sandbox not at all): delete them with grace
   * 0, as that GC does; their controllers recreate them where they can run now. Failures are
   * logged; the unpeer goes on.
   */
  private void releasePodsOf(String nodeName) {
    try {
      var pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName);
      int n = pods.list().getItems().size();
      if (n == 0) return;
      pods.withGracePeriod(0).delete();
      LOG.info("event=virtual-node-pods-released node={} pods={}", nodeName, n);
    } catch (KubernetesClientException e) {
      LOG.warn("event=virtual-node-pods-not-released node={} error=\"{}\"", nodeName, e.getMessage());
    }
  }

  private void recordEvent(ForeignCluster fc, String message) {
    try {
      String ts = Conditions.timestamp(Instant.now());
      client.v1().events().inNamespace("default").resource(new EventBuilder().withNewMetadata()
              .withGenerateName(fc.getMetadata().getName() + ".").withNamespace("default").endMetadata()
              .withNewInvolvedObject().withApiVersion(PontoonNames.API_VERSION).withKind("ForeignCluster")
              .withName(fc.getMetadata().getName()).withUid(fc.getMetadata().getUid()).endInvolvedObject()
              .withReason(PeeringRequests.EVENT_UNPEERED).withMessage(message).withType("Normal")
              .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
              .withNewSource().withComponent("pontoon-agent").endSource().build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.debug("event=record-event-failed error=\"{}\"", e.getMessage());
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private Reconciler.Result fail(ForeignCluster fc, String type, String reason, String message, Duration retry) {
    updateStatus(fc, st -> {
      set(st, type, PontoonNames.ConditionStatus.FALSE, safeReason(reason), message);
      st.setPhase(phase(st));
    });
    return retry == null ? Reconciler.Result.after(settings.refresh().multipliedBy(6)) : Reconciler.Result.after(retry);
  }

  private void setPhase(ForeignCluster fc, ForeignClusterPhase phase, String type, String status, String reason, String msg) {
    updateStatus(fc, st -> {
      set(st, type, status, reason, msg);
      st.setPhase(phase);
    });
  }

  private static String safeReason(String r) {
    return r != null && r.matches("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$") ? r : "Failed";
  }

  private void set(ForeignClusterStatus st, String type, String status, String reason, String message) {
    List<Condition> conds = new ArrayList<>(st.getConditions() == null ? List.of() : st.getConditions());
    Conditions.set(conds, Conditions.of(type, status, reason, message, null));
    st.setConditions(conds);
  }

  private void updateStatus(ForeignCluster fc, java.util.function.Consumer<ForeignClusterStatus> change) {
    for (int i = 0; i < 5; i++) {
      ForeignCluster cur = client.resources(ForeignCluster.class).withName(fc.getMetadata().getName()).get();
      if (cur == null) return;
      ForeignClusterStatus st = cur.getStatus() == null ? new ForeignClusterStatus() : cur.getStatus();
      ForeignClusterStatus before = copy(st);
      change.accept(st);
      if (Objects.equals(before, st)) return;
      cur.setStatus(st);
      try {
        client.resources(ForeignCluster.class).resource(cur).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
  }

  private static ForeignClusterStatus copy(ForeignClusterStatus st) {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        io.fabric8.kubernetes.client.utils.Serialization.asJson(st), ForeignClusterStatus.class);
  }

  private KubernetesClient peerClient(String name, String kubeconfig) {
    CachedClient c = peerClients.get(name);
    if (c != null && c.kubeconfig().equals(kubeconfig)) return c.client();
    if (c != null) c.client().close();
    KubernetesClient k = PeerCredentials.client(kubeconfig);
    peerClients.put(name, new CachedClient(kubeconfig, k));
    return k;
  }

  private void closePeerClient(String name) {
    CachedClient c = peerClients.remove(name);
    if (c != null) c.client().close();
  }

  private static String shortMessage(Exception e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    loop.close();
    if (fcInformer != null) fcInformer.close();
    if (nodeInformer != null) nodeInformer.close();
    if (tunnelInformer != null) tunnelInformer.close();
    peerClients.keySet().forEach(this::closePeerClient);
    clientKeys.close();
  }
}
