package io.pontoon.peering.network;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelEndpoint;
import io.pontoon.api.v1alpha1.TunnelSpec;
import io.pontoon.gateway.wireguard.KeySecrets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code Tunnel} of one peering, as the handshake learns it: named after the peer, in the
 * peer's tenant namespace, next to the key Secret {@code pontoon-wireguard-key} it names. One per
 * peer whichever side peered first; the side that waits (the provider) leaves the endpoint
 * empty, and never removes one the other direction recorded. Each Tunnel of the cluster gets its
 * own {@code spec.listenPort} ({@link ListenPorts}); one instance per agent, shared by the
 * provider handshake and the consumer side, so the choice and the write happen under one lock.
 * Blocking.
 */
public final class PeerTunnels {
  private final KubernetesClient client;
  private final int basePort;

  /** Ports from the default WireGuard port. */
  public PeerTunnels(KubernetesClient client) {
    this(client, PontoonNames.DEFAULT_WIREGUARD_PORT);
  }

  /** @param basePort the first listen port handed out (the port of {@code --gateway-endpoint}) */
  public PeerTunnels(KubernetesClient client, int basePort) {
    if (basePort < 1 || basePort > 65535) throw new IllegalArgumentException("base port must be 1..65535, got " + basePort);
    this.client = client;
    this.basePort = basePort;
  }

  public int basePort() {
    return basePort;
  }

  /** This cluster's WireGuard public key for the peering in {@code namespace} (made once). */
  public String localPublicKey(String namespace) {
    return KeySecrets.ensure(client, namespace);
  }

  /**
   * Creates or updates the peer's Tunnel; its listen port is the one it has, else the lowest
   * free one (so a replay changes nothing).
   *
   * @param endpoint HOST:PORT of the peer's gateway, or null on the side that waits
   */
  public synchronized Tunnel ensure(String namespace, String peerId, String peerName, String remotePublicKey,
      String endpoint) {
    List<ListenPorts.Taken> taken = client.resources(Tunnel.class).inAnyNamespace().list().getItems().stream()
        .filter(x -> x.getSpec() != null && x.getSpec().getRemoteClusterID() != null)
        .map(x -> new ListenPorts.Taken(x.getSpec().getRemoteClusterID(), x.getSpec().getListenPort(),
            x.getMetadata().getCreationTimestamp(), x.getMetadata().getNamespace() + "/" + x.getMetadata().getName()))
        .toList();
    return write(namespace, peerId, peerName, remotePublicKey, endpoint, ListenPorts.choose(basePort, peerId, taken));
  }

  private Tunnel write(String namespace, String peerId, String peerName, String remotePublicKey, String endpoint,
      int listenPort) {
    Tunnel current = client.resources(Tunnel.class).inNamespace(namespace).withName(peerName).get();
    Tunnel t = current != null ? current : new Tunnel();
    if (current == null) t.setMetadata(new ObjectMetaBuilder().withName(peerName).withNamespace(namespace).build());
    Map<String, String> labels = new HashMap<>(t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels());
    labels.put(PontoonNames.LABEL_REMOTE_CLUSTER_ID, peerId);
    labels.put(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE);
    t.getMetadata().setLabels(labels);
    TunnelSpec before = current == null ? null : copy(current.getSpec());
    TunnelSpec spec = t.getSpec() == null ? new TunnelSpec() : t.getSpec();
    spec.setRemoteClusterID(peerId);
    spec.setLocalKeySecretName(PontoonNames.WIREGUARD_KEY_SECRET);
    spec.setRemotePublicKey(remotePublicKey);
    if (endpoint != null) spec.setEndpoint(endpoint(endpoint));
    spec.setListenPort(listenPort);
    if (spec.getMtu() == 0) spec.setMtu(PontoonNames.DEFAULT_MTU);
    t.setSpec(spec);
    if (current == null) return client.resource(t).create();
    if (Objects.equals(before, spec) && labels.equals(current.getMetadata().getLabels())) return current;
    return client.resource(t).update();
  }

  /** The peer's Tunnel in {@code namespace}, or null. */
  public Tunnel get(String namespace, String peerName) {
    return client.resources(Tunnel.class).inNamespace(namespace).withName(peerName).get();
  }

  /** Deletes every Tunnel to the peer (normally one); the gateway removes the dataplane. */
  public void delete(String peerId) {
    client.resources(Tunnel.class).inAnyNamespace().withLabel(PontoonNames.LABEL_REMOTE_CLUSTER_ID, peerId).delete();
  }

  /** HOST:PORT (IPv6 in brackets) → endpoint; a malformed value is the peer's error. */
  public static TunnelEndpoint endpoint(String hostPort) {
    int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("gateway endpoint must be HOST:PORT, got '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gateway endpoint must end in a port number, got '" + hostPort + "'");
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException("gateway endpoint port out of range: " + hostPort);
    String host = hostPort.substring(0, colon);
    if (!host.matches("^[^\\s:]+$|^\\[[0-9a-fA-F:.]+\\]$")) {
      throw new IllegalArgumentException("gateway endpoint host is not a host name or address: '" + host + "'");
    }
    TunnelEndpoint e = new TunnelEndpoint();
    e.setHost(host);
    e.setPort(port);
    return e;
  }

  /** {@code hostPort} with its port replaced: what a provider answers for one peering's gateway. */
  public static String withPort(String hostPort, int port) {
    return endpoint(hostPort).getHost() + ":" + port;
  }

  /** The port of HOST:PORT, or the default WireGuard port. */
  public static int port(String hostPort) {
    try {
      return hostPort == null ? PontoonNames.DEFAULT_WIREGUARD_PORT : endpoint(hostPort).getPort();
    } catch (IllegalArgumentException e) {
      return PontoonNames.DEFAULT_WIREGUARD_PORT;
    }
  }

  private static TunnelSpec copy(TunnelSpec s) {
    return s == null ? null : io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        io.fabric8.kubernetes.client.utils.Serialization.asJson(s), TunnelSpec.class);
  }
}
