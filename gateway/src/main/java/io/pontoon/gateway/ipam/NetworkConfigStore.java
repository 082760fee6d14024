package io.pontoon.gateway.ipam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ClusterNetwork;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.api.v1alpha1.NetworkConfigSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps IPAM's allocations in {@code NetworkConfig} objects: one per peer, named after the peer,
 * in its tenant namespace {@code pontoon-tenant-<peer-name>}, labelled with the peer's cluster
 * ID. {@code spec.remote.remappedPodCIDR} is the allocation; {@code spec.local.remappedPodCIDR}
 * (the block the peer assigned to this cluster) is kept untouched by IPAM writes.
 *
 * <p>Blocking (fabric8 calls): call from worker threads, never an event loop.
 */
public final class NetworkConfigStore implements AllocationStore {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkConfigStore.class);

  private final KubernetesClient client;
  private final Cidr localPodCidr;
  private final Cidr localServiceCidr;

  public NetworkConfigStore(KubernetesClient client, Cidr localPodCidr, Cidr localServiceCidr) {
    this.client = Objects.requireNonNull(client, "client");
    this.localPodCidr = Objects.requireNonNull(localPodCidr, "localPodCidr");
    this.localServiceCidr = localServiceCidr;
  }

  @Override
  public List<Allocation> load() {
    List<NetworkConfig> items =
        new ArrayList<>(client.resources(NetworkConfig.class).inAnyNamespace().list().getItems());
    items.sort(Comparator
        .comparing((NetworkConfig n) -> String.valueOf(n.getMetadata().getCreationTimestamp()))
        .thenComparing(n -> n.getMetadata().getName()));
    List<Allocation> out = new ArrayList<>();
    for (NetworkConfig nc : items) {
      NetworkConfigSpec spec = nc.getSpec();
      if (spec == null || spec.getRemote() == null || spec.getRemote().getRemappedPodCIDR() == null
          || spec.getRemote().getPodCIDR() == null || spec.getRemoteClusterID() == null) {
        continue;
      }
      try {
        out.add(new Allocation(spec.getRemoteClusterID(), nc.getMetadata().getName(),
            Cidr.parse(spec.getRemote().getPodCIDR()),
            Cidr.parse(spec.getRemote().getRemappedPodCIDR())));
      } catch (IllegalArgumentException e) {
        LOG.warn("ipam=load networkConfig={}/{} skipped=\"{}\"",
            nc.getMetadata().getNamespace(), nc.getMetadata().getName(), e.getMessage());
      }
    }
    return out;
  }

  @Override
  public void save(Allocation a) {
    String ns = PontoonNames.tenantNamespace(a.peerName());
    ensureNamespace(ns);
    // A peer renamed since the last save leaves an object elsewhere: remove it first.
    find(a.peerClusterId()).stream()
        .filter(nc -> !nc.getMetadata().getNamespace().equals(ns)
            || !nc.getMetadata().getName().equals(a.peerName()))
        .forEach(nc -> client.resource(nc).delete());
    NetworkConfig current =
        client.resources(NetworkConfig.class).inNamespace(ns).withName(a.peerName()).get();
    NetworkConfig desired = current != null ? current : new NetworkConfig();
    if (current == null) {
      desired.setMetadata(new ObjectMetaBuilder().withName(a.peerName()).withNamespace(ns).build());
    }
    desired.getMetadata().setLabels(merge(desired.getMetadata().getLabels(), Map.of(
        PontoonNames.LABEL_REMOTE_CLUSTER_ID, a.peerClusterId(),
        PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)));
    NetworkConfigSpec spec = desired.getSpec() == null ? new NetworkConfigSpec() : desired.getSpec();
    spec.setRemoteClusterID(a.peerClusterId());
    ClusterNetwork local = spec.getLocal() == null ? new ClusterNetwork() : spec.getLocal();
    local.setPodCIDR(localPodCidr.toString());
    local.setServiceCIDR(localServiceCidr == null ? null : localServiceCidr.toString());
    spec.setLocal(local);
    ClusterNetwork remote = spec.getRemote() == null ? new ClusterNetwork() : spec.getRemote();
    remote.setPodCIDR(a.peerPodCidr().toString());
    remote.setRemappedPodCIDR(a.remapped().toString());
    spec.setRemote(remote);
    desired.setSpec(spec);
    if (current == null) {
      client.resource(desired).create();
    } else {
      client.resource(desired).update();
    }
  }

  /**
   * Records the block the peer assigned to this cluster ({@code spec.local.remappedPodCIDR}, the
   * gateway's SNAT target), as the handshake learns it.
   */
  public void saveAssignedByPeer(String peerClusterId, Cidr assignedToUs) {
    if (assignedToUs.prefix() != localPodCidr.prefix()) {
      throw new IllegalArgumentException("the peer assigned " + assignedToUs
          + ", which is not the size of this cluster's pod CIDR " + localPodCidr);
    }
    NetworkConfig nc = find(peerClusterId).stream().findFirst().orElseThrow(() ->
        new IllegalStateException("no NetworkConfig for peer " + peerClusterId
            + "; call Ipam.assign for it first"));
    if (assignedToUs.toString().equals(nc.getSpec().getLocal().getRemappedPodCIDR())) {
      return; // a replayed handshake writes nothing
    }
    nc.getSpec().getLocal().setRemappedPodCIDR(assignedToUs.toString());
    client.resource(nc).update();
  }

  @Override
  public void delete(String peerClusterId) {
    for (NetworkConfig nc : find(peerClusterId)) {
      try {
        client.resource(nc).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  /** The peer's NetworkConfigs (normally one). */
  public List<NetworkConfig> find(String peerClusterId) {
    return client.resources(NetworkConfig.class).inAnyNamespace().list().getItems().stream()
        .filter(nc -> nc.getSpec() != null && peerClusterId.equals(nc.getSpec().getRemoteClusterID()))
        .toList();
  }

  private void ensureNamespace(String ns) {
    if (client.namespaces().withName(ns).get() != null) {
      return;
    }
    try {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
          .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TENANT_NAMESPACE)
          .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
          .endMetadata().build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new java.util.HashMap<>(a == null ? Map.of() : a);
    m.putAll(b);
    return m;
  }
}
