package io.pontoon.peering.network;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.ipam.Ipam;
import io.pontoon.gateway.ipam.IpamConfig;
import io.pontoon.gateway.ipam.IpamException;
import io.pontoon.gateway.ipam.NetworkConfigStore;
import io.pontoon.peering.handshake.CidrAssigner;
import io.pontoon.peering.handshake.HandshakeSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The handshake's {@link CidrAssigner} bound to the gateway's {@link Ipam}: allocations and the
 * blocks peers assigned to this cluster live in one {@code NetworkConfig} per peer
 * ({@link NetworkConfigStore}).
 *
 * <p>Blocks that peers assigned to this cluster are where this cluster's own pods appear to them;
 * they are never handed to a peer, so no address means two things in one gateway. They are read
 * from the NetworkConfigs on every assignment (the IPAM is rebuilt from the store then), which
 * keeps the truth in the cluster and costs one list per handshake. Blocking; synchronized so two
 * handshakes never allocate from stale state.
 */
public final class IpamCidrAssigner implements CidrAssigner {
  private final KubernetesClient client;
  private final IpamConfig config;
  private final NetworkConfigStore store;

  public IpamCidrAssigner(KubernetesClient client, IpamConfig config) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.store = new NetworkConfigStore(client, config.podCidr(), config.serviceCidr());
  }

  /** From the agent's {@code --pod-cidr} and {@code --service-cidr} (service may be null). */
  public static IpamCidrAssigner of(KubernetesClient client, String podCidr, String serviceCidr) {
    return new IpamCidrAssigner(client, IpamConfig.of(Cidr.parse(podCidr),
        serviceCidr == null ? null : Cidr.parse(serviceCidr)));
  }

  @Override
  public String assign(String peerId, String peerName, String peerPodCidr) {
    return assign(peerId, peerName, peerPodCidr, null);
  }

  @Override
  public synchronized String assign(String peerId, String peerName, String peerPodCidr, String assignedToUs) {
    Cidr toUs = assignedToUs == null ? null : parseAssigned(assignedToUs);
    List<Cidr> avoid = new ArrayList<>(config.reserved());
    avoid.addAll(assignedByPeers());
    if (toUs != null) avoid.add(toUs);
    Cidr block;
    try {
      block = new Ipam(config.withReserved(avoid), store).assign(peerId, peerName, Cidr.parse(peerPodCidr));
    } catch (IpamException e) {
      if (PontoonNames.Reasons.CIDR_EXHAUSTED.equals(e.reason())) throw new CidrExhaustedException(e.getMessage());
      throw e;
    }
    if (toUs != null) store.saveAssignedByPeer(peerId, toUs);
    return block.toString();
  }

  @Override
  public synchronized void assignedByPeer(String peerId, String assignedToUs) {
    store.saveAssignedByPeer(peerId, parseAssigned(assignedToUs));
  }

  @Override
  public synchronized void release(String peerId) {
    new Ipam(config, store).release(peerId);
  }

  /** A peer's word: must be a clean CIDR of our pod CIDR's size. */
  private Cidr parseAssigned(String cidr) {
    Cidr c;
    try {
      c = Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      throw HandshakeSchema.invalid("assignedPodCIDR: " + e.getMessage());
    }
    if (c.prefix() != config.podCidr().prefix()) {
      throw HandshakeSchema.invalid("assignedPodCIDR: " + c + " is not the size of the pod CIDR "
          + config.podCidr() + " it stands for");
    }
    return c;
  }

  private List<Cidr> assignedByPeers() {
    List<Cidr> out = new ArrayList<>();
    for (NetworkConfig nc : client.resources(NetworkConfig.class).inAnyNamespace().list().getItems()) {
      if (nc.getSpec() == null || nc.getSpec().getLocal() == null) continue;
      String r = nc.getSpec().getLocal().getRemappedPodCIDR();
      if (r == null) continue;
      try {
        out.add(Cidr.parse(r));
      } catch (IllegalArgumentException e) {
        // a malformed block is nothing to avoid
      }
    }
    return out;
  }
}
