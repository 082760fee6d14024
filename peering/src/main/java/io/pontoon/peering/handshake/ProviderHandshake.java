package io.pontoon.peering.handshake;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.DiscoveryType;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterPhase;
import io.pontoon.api.v1alpha1.ForeignClusterStatus;
import io.pontoon.api.v1alpha1.ForeignClusterSpec;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.TenantNamespaces;
import io.pontoon.peering.network.NetworkReadiness;
import io.pontoon.peering.network.PeerTunnels;
import io.pontoon.peering.tenant.CsrSigner;
import io.pontoon.peering.tenant.ResourceGrants;
import io.pontoon.peering.tenant.TenantProvisioner;
import io.pontoon.peering.token.TokenRefusal;
import io.pontoon.peering.token.TokenStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's handshake: token, tenant, RBAC, CSR, CIDR (NetworkConfig), WireGuard key and
 * Tunnel, grant, answer. Blocking (fabric8);
 * run it off the event loop. Every step converges, so a replay returns the same answer and
 * creates nothing new.
 */
public final class ProviderHandshake {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderHandshake.class);

  private final KubernetesClient client;
  private final ProviderSettings settings;
  private final TokenStore tokens;
  private final TenantProvisioner tenants;
  private final CsrSigner signer;
  private final CidrAssigner cidrs;
  private final PeerTunnels tunnels;
  private final Duration csrTimeout;
  /** Consumers whose unpeer is still being cleaned up here: a new handshake from them waits. */
  private final java.util.Set<String> removing = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ExecutorService cleanup = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tenant-cleanup");
    t.setDaemon(true);
    return t;
  });

  public ProviderHandshake(KubernetesClient client, ProviderSettings settings, TokenStore tokens,
      CidrAssigner cidrs, Duration csrTimeout) {
    this(client, settings, tokens, cidrs, csrTimeout, new PeerTunnels(client, PeerTunnels.port(settings.gatewayEndpoint())));
  }

  /** @param tunnels the agent's one {@link PeerTunnels}, so listen ports are chosen under one lock */
  public ProviderHandshake(KubernetesClient client, ProviderSettings settings, TokenStore tokens,
      CidrAssigner cidrs, Duration csrTimeout, PeerTunnels tunnels) {
    this.client = client;
    this.settings = settings;
    this.tokens = tokens;
    this.tenants = new TenantProvisioner(client);
    this.signer = new CsrSigner(client);
    this.cidrs = cidrs;
    this.tunnels = tunnels;
    this.csrTimeout = csrTimeout;
  }

  /** Checks only the token; a refusal is what the rate limiter counts. */
  public Optional<TokenRefusal> checkToken(Messages.HandshakeRequest req) {
    return tokens.redeem(req.token(), req.cluster().id());
  }

  public Messages.HandshakeResponse handle(Messages.HandshakeRequest req) {
    var me = settings.identity();
    var consumer = req.cluster();
    if (consumer.id().equals(me.id()) || consumer.name().equals(me.name())) {
      throw new PeeringException(409, Reasons.SELF_PEERING, "a cluster cannot peer with itself (this is "
          + me.name() + "); run 'pontoon peer' against the other cluster's kubeconfig");
    }
    Optional<TokenRefusal> refusal = checkToken(req);
    if (refusal.isPresent()) {
      throw new PeeringException(401, refusal.get().reason(), refusal.get().message());
    }
    CsrSigner.check(req.csr(), consumer.id());
    ForeignCluster fc = client.resources(ForeignCluster.class).withName(consumer.name()).get();
    if (fc != null && fc.getSpec() != null && !consumer.id().equals(fc.getSpec().getClusterID())) {
      throw new PeeringException(409, Reasons.NAME_CONFLICT, "this cluster already knows a different cluster named '"
          + consumer.name() + "' (ID " + fc.getSpec().getClusterID() + "); cluster names must be unique among peers");
    }
    // An unpeer of this consumer still being carried out would remove what this handshake makes
    // (it finds the tenant by the consumer's ID): the consumer retries in a moment.
    if (removing.contains(consumer.id()) || fc != null && fc.getMetadata().getDeletionTimestamp() != null) {
      throw new PeeringException(503, Reasons.TENANT_TERMINATING, "the earlier peering with '" + consumer.name()
          + "' is still being removed on " + me.name() + "; the peering retries by itself");
    }
    String ns = tenants.ensureNamespace(consumer.id(), consumer.name());
    tenants.ensureRbac(ns, consumer.id());
    String assigned;
    try {
      assigned = cidrs.assign(consumer.id(), consumer.name(), req.network().podCIDR(), req.assignedPodCIDR());
    } catch (CidrAssigner.CidrExhaustedException e) {
      throw new PeeringException(503, PontoonNames.Reasons.CIDR_EXHAUSTED,
          "the provider has no free CIDR for the consumer's pods (" + e.getMessage()
              + "); widen the provider's remapping pools or unpeer unused clusters");
    }
    String wgPublic = tunnels.localPublicKey(ns);
    String gatewayEndpoint = settings.gatewayEndpoint();
    if (req.wireGuardPublicKey() != null) {
      // The provider waits for the consumer's gateway to connect: no endpoint on this side. Its
      // gateway for this peering listens on the Tunnel's own port, which is what the consumer gets.
      var tunnel = tunnels.ensure(ns, consumer.id(), consumer.name(), req.wireGuardPublicKey(), null);
      if (gatewayEndpoint != null) gatewayEndpoint = PeerTunnels.withPort(gatewayEndpoint, tunnel.getSpec().getListenPort());
    }
    Map<String, Quantity> requested = new LinkedHashMap<>();
    req.resources().forEach((k, v) -> requested.put(k, new Quantity(v)));
    Map<String, Quantity> granted = computeGrant(requested, consumer.id());
    ResourceSlice slice = tenants.ensureSlice(ns, consumer.id(), consumer.name(), me.id(), requested, granted);
    String certificate = signer.sign(consumer.id(), req.csr(), csrTimeout);
    recordIncoming(consumer, ns, slice.getStatus().getResources());
    LOG.info("event=handshake-accepted consumer={} consumerID={} tenantNamespace={} assignedPodCIDR={}",
        consumer.name(), consumer.id(), ns, assigned);
    Map<String, String> grantOut = new LinkedHashMap<>();
    slice.getStatus().getResources().forEach((k, v) -> grantOut.put(k, v.toString()));
    return new Messages.HandshakeResponse(
        new Messages.ClusterRef(me.id(), me.name()),
        new Messages.ApiServer(settings.apiServerUrl(), settings.apiServerCaPem()),
        certificate, settings.network(), assigned,
        new Messages.Gateway(gatewayEndpoint, wgPublic), ns, grantOut);
  }

  public Map<String, Quantity> computeGrant(Map<String, Quantity> requested, String consumerId) {
    List<Node> nodes = client.nodes().list().getItems();
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    return ResourceGrants.grant(nodes, pods, settings.sharingPercentage(), requested, consumerId);
  }

  /** Grants for many slices from one listing of nodes and pods (the periodic refresh). */
  public Map<ResourceSlice, Map<String, Quantity>> computeGrants(List<ResourceSlice> slices) {
    Map<ResourceSlice, Map<String, Quantity>> out = new java.util.IdentityHashMap<>();
    if (slices.isEmpty()) return out;
    List<Node> nodes = client.nodes().list().getItems();
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    for (ResourceSlice s : slices) {
      out.put(s, ResourceGrants.grant(nodes, pods, settings.sharingPercentage(), s.getSpec().getResources(),
          s.getSpec().getConsumerClusterID()));
    }
    return out;
  }

  /**
   * Unpeer requested by the consumer itself: its rights go at once (before the answer); the
   * objects, which may wait for other controllers' finalizers, are removed in the background.
   */
  public void remove(String consumerId, boolean keepNamespaces, Duration finalizerGrace) {
    tenants.revoke(consumerId);
    signer.deleteAll(consumerId);
    cidrs.release(consumerId);
    tunnels.delete(consumerId);
    removing.add(consumerId);
    cleanup.execute(() -> {
      try {
        tenants.removeObjects(consumerId, keepNamespaces, finalizerGrace);
        forgetIncoming(consumerId);
      } catch (RuntimeException e) {
        LOG.warn("event=tenant-cleanup-failed consumerID={} error=\"{}\"", consumerId, e.toString());
      } finally {
        removing.remove(consumerId);
      }
    });
  }

  private void forgetIncoming(String consumerId) {
    for (ForeignCluster fc : client.resources(ForeignCluster.class).list().getItems()) {
      if (fc.getSpec() == null || !consumerId.equals(fc.getSpec().getClusterID())) continue;
      if (!fc.getSpec().getOutgoingEnabled()) {
        client.resources(ForeignCluster.class).withName(fc.getMetadata().getName()).delete();
      } else {
        client.resources(ForeignCluster.class).withName(fc.getMetadata().getName()).edit(x -> {
          x.getSpec().setIncomingEnabled(false);
          return x;
        });
      }
    }
  }

  /** The consumer as a ForeignCluster here (discovery type Incoming unless known otherwise). */
  private void recordIncoming(Messages.ClusterRef consumer, String ns, Map<String, Quantity> granted) {
    var fcs = client.resources(ForeignCluster.class);
    ForeignCluster fc = fcs.withName(consumer.name()).get();
    try {
      if (fc == null) {
        fc = new ForeignCluster();
        fc.getMetadata().setName(consumer.name());
        ForeignClusterSpec spec = new ForeignClusterSpec();
        spec.setClusterID(consumer.id());
        spec.setClusterName(consumer.name());
        spec.setDiscoveryType(DiscoveryType.Incoming);
        spec.setIncomingEnabled(true);
        fc.setSpec(spec);
        fc = fcs.resource(fc).create();
      } else if (!fc.getSpec().getIncomingEnabled()) {
        fc = fcs.withName(consumer.name()).edit(x -> {
          x.getSpec().setIncomingEnabled(true);
          return x;
        });
      }
      // The consumer-side controller here adds its finalizer at the same time: retry on conflict.
      for (int attempt = 1; ; attempt++) {
        if (attempt > 1) fc = fcs.withName(consumer.name()).get();
        if (fc == null) return;
        try {
          writeIncomingStatus(fcs, fc, consumer, ns);
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= 5) throw e;
        }
      }
    } catch (KubernetesClientException e) {
      // The ForeignCluster is a record for people; the peering itself is complete without it.
      LOG.warn("event=incoming-record-failed consumer={} code={} error=\"{}\"", consumer.name(), e.getCode(), e.getMessage());
    }
  }

  /** Conditions and tenant namespace of the incoming record; writes only when something changed. */
  private void writeIncomingStatus(io.fabric8.kubernetes.client.dsl.MixedOperation<ForeignCluster,
      io.fabric8.kubernetes.api.model.KubernetesResourceList<ForeignCluster>,
      io.fabric8.kubernetes.client.dsl.Resource<ForeignCluster>> fcs, ForeignCluster fc, Messages.ClusterRef consumer,
      String ns) {
    ForeignClusterStatus st = fc.getStatus() == null ? new ForeignClusterStatus() : fc.getStatus();
    List<io.fabric8.kubernetes.api.model.Condition> conds = new ArrayList<>(st.getConditions() == null ? List.of() : st.getConditions());
    boolean changed = false;
    if (!fc.getSpec().getOutgoingEnabled()) {
      changed |= Conditions.set(conds, Conditions.of(PontoonNames.ConditionTypes.AUTHENTICATED, true,
          PontoonNames.Reasons.SUCCEEDED, "the cluster peered with this one (incoming) with a valid token", null));
      changed |= Conditions.set(conds, Conditions.of(PontoonNames.ConditionTypes.RESOURCES_GRANTED, true,
          PontoonNames.Reasons.SUCCEEDED, "granted in ResourceSlice " + ns + "/" + consumer.name(), null));
      NetworkReadiness net = NetworkReadiness.of(client, ns, consumer.name());
      changed |= Conditions.set(conds, Conditions.of(PontoonNames.ConditionTypes.NETWORK_READY, net.status(),
          net.reason(), net.message(), null));
      if (st.getPhase() != ForeignClusterPhase.Peered) {
        st.setPhase(ForeignClusterPhase.Peered);
        changed = true;
      }
    }
    TenantNamespaces tn = st.getTenantNamespace() == null ? new TenantNamespaces() : st.getTenantNamespace();
    if (!ns.equals(tn.getLocal())) {
      tn.setLocal(ns);
      st.setTenantNamespace(tn);
      changed = true;
    }
    if (changed) {
      st.setConditions(conds);
      fc.setStatus(st);
      fcs.resource(fc).updateStatus();
    }
  }
}
