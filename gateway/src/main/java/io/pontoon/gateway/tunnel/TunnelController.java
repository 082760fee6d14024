package io.pontoon.gateway.tunnel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.ClusterNetwork;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelState;
import io.pontoon.api.v1alpha1.TunnelStatus;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.wireguard.InterfaceState;
import io.pontoon.gateway.wireguard.PeerState;
import io.pontoon.gateway.wireguard.WireGuardKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel controller of one peering ({@code pontoon gateway --peer ID}): informers on Tunnel
 * and NetworkConfig → one work-queue key → a reconcile that converges the dataplane to the
 * peer's Tunnel, NetworkConfig and key Secret, probes the peer gateway, and writes the Tunnel's
 * status. The key is requeued every probe interval. A deleted Tunnel removes the dataplane;
 * stopping the controller leaves it running (a restarted gateway adopts it).
 */
public final class TunnelController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TunnelController.class);

  /**
   * @param listenPort overrides Tunnel.spec.listenPort when not null
   * @param probeInterval time between health probes (2 s)
   * @param maxMissedProbes misses in a row before an Up tunnel turns Down (5)
   */
  public record Options(String peerClusterId, Integer listenPort, Duration probeInterval, int maxMissedProbes) {
    public Options {
      Objects.requireNonNull(peerClusterId, "peerClusterId");
      PontoonNames.wireGuardInterface(peerClusterId);
      if (listenPort != null && (listenPort < 1 || listenPort > 65535)) {
        throw new IllegalArgumentException("--listen-port must be 1..65535, got " + listenPort);
      }
    }

    public static Options defaults(String peerClusterId) {
      return new Options(peerClusterId, null, Duration.ofSeconds(2), 5);
    }

    public Options withListenPort(Integer port) {
      return new Options(peerClusterId, port, probeInterval, maxMissedProbes);
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final TunnelDataplane dataplane;
  private final GatewayMetrics metrics;
  private final TunnelHealth health;
  private final ControllerLoop loop;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final String interfaceName;
  private final AtomicReference<Instant> lastReconciled = new AtomicReference<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tunnel-probe-ticker");
    t.setDaemon(true);
    return t;
  });
  private TunnelConfig applied;
  private Instant lastProbe;

  public TunnelController(KubernetesClient client, Options options, TunnelDataplane dataplane,
      MeterRegistry registry) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
    this.dataplane = Objects.requireNonNull(dataplane, "dataplane");
    this.interfaceName = PontoonNames.wireGuardInterface(options.peerClusterId());
    this.metrics = new GatewayMetrics(registry, options.peerClusterId(), interfaceName);
    this.health = new TunnelHealth(options.maxMissedProbes());
    this.loop = new ControllerLoop("tunnel-" + interfaceName, this::reconcile);
  }

  public void start() {
    // Both lists at once: a restarted gateway's start is its peering's outage.
    SharedIndexInformer<Tunnel> tunnels = client.resources(Tunnel.class).inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<NetworkConfig> configs = client.resources(NetworkConfig.class).inAnyNamespace()
        .runnableInformer(0);
    tunnels.addEventHandler(handler());
    configs.addEventHandler(handler());
    informers.add(tunnels);
    informers.add(configs);
    try {
      CompletableFuture.allOf(tunnels.start().toCompletableFuture(), configs.start().toCompletableFuture()).join();
    } catch (CompletionException e) {
      // what inform() would have thrown: the list that failed (no CRD, no permission, no server)
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    // Workers start once both caches are full: a reconcile that saw the Tunnel but not yet its
    // NetworkConfig would report a missing NetworkConfig (and a restarted gateway a Down tunnel).
    // One worker: the dataplane of a peering is converged by one thread at a time.
    loop.start(1);
    // One fixed-rate tick drives the probe; events only add the (de-duplicated) key.
    ticker.scheduleAtFixedRate(() -> loop.enqueue(options.peerClusterId()), 0,
        options.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("gateway=started peer={} interface={} netns={}", options.peerClusterId(), interfaceName,
        dataplane.commands().netns().orElse("-"));
  }

  /** When the latest reconcile finished without error, for {@code /healthz}. */
  public Optional<Instant> lastReconciled() {
    return Optional.ofNullable(lastReconciled.get());
  }

  public Options options() {
    return options;
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        loop.enqueue(options.peerClusterId());
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        // Status writes (ours, every probe) do not change the generation: ignore them.
        if (!Objects.equals(oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration())
            || newObj.getMetadata().getDeletionTimestamp() != null) {
          loop.enqueue(options.peerClusterId());
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        loop.enqueue(options.peerClusterId());
      }
    };
  }

  Reconciler.Result reconcile(String peer) {
    Optional<Tunnel> tunnel = informers.get(0).getStore().list().stream()
        .map(Tunnel.class::cast)
        .filter(t -> t.getSpec() != null && peer.equals(t.getSpec().getRemoteClusterID()))
        .filter(t -> t.getMetadata().getDeletionTimestamp() == null)
        .findFirst();
    if (tunnel.isEmpty()) {
      if (applied != null || dataplane.wireGuard().linkExists(interfaceName)) {
        LOG.info("gateway=tunnel-gone peer={} action=remove-dataplane", peer);
        dataplane.remove(peer);
      }
      applied = null;
      metrics.observe(GatewayMetrics.Observation.NONE);
      lastReconciled.set(Instant.now());
      return Reconciler.Result.done();
    }
    Tunnel t = tunnel.get();
    TunnelConfig config;
    try {
      config = desired(t);
    } catch (IllegalArgumentException | IllegalStateException e) {
      writeStatus(t, s -> {
        s.setState(TunnelState.Down);
        s.setInterfaceName(interfaceName);
        condition(t, s, false, PontoonNames.Reasons.PENDING, e.getMessage());
      });
      lastReconciled.set(Instant.now());
      return Reconciler.Result.done();
    }
    if (!config.equals(applied) || !dataplane.wireGuard().exists(interfaceName)
        || dataplane.nft().list(TunnelDataplane.tableName(interfaceName)).isEmpty()) {
      try {
        dataplane.apply(config);
      } catch (RuntimeException e) {
        // the loop retries with backoff; the status says why meanwhile
        LOG.warn("gateway=apply-failed peer={} interface={} error=\"{}\"", peer, interfaceName, e.getMessage());
        applied = null;
        writeStatus(t, s -> {
          s.setState(TunnelState.Down);
          s.setInterfaceName(interfaceName);
          condition(t, s, false, PontoonNames.Reasons.TUNNEL_DOWN, "applying the dataplane failed: " + e.getMessage());
        });
        throw e;
      }
      applied = config;
      LOG.info("gateway=applied {}", config);
    }
    Instant now = Instant.now();
    // Events converge at once, but the probe runs once per interval (a tick may lag a little).
    if (lastProbe != null && Duration.between(lastProbe, now).compareTo(options.probeInterval().multipliedBy(9).dividedBy(10)) < 0) {
      lastReconciled.set(now);
      return Reconciler.Result.done();
    }
    lastProbe = now;
    Optional<Long> rtt = dataplane.probe(config);
    Optional<PeerState> peerState = dataplane.state(peer)
        .flatMap(s -> s.peer(config.remotePublicKey()));
    TunnelHealth.Verdict v = health.record(rtt.isPresent(),
        peerState.flatMap(PeerState::latestHandshake), now);
    metrics.observe(new GatewayMetrics.Observation(v.state() == TunnelState.Up,
        peerState.map(PeerState::rxBytes).orElse(0L), peerState.map(PeerState::txBytes).orElse(0L),
        rtt.map(us -> us / 1e6).orElse(Double.NaN),
        peerState.flatMap(PeerState::latestHandshake).map(Instant::getEpochSecond).orElse(0L),
        v.missed()));
    writeStatus(t, s -> {
      s.setState(v.state());
      s.setInterfaceName(interfaceName);
      s.setMissedProbes(v.missed());
      rtt.ifPresent(s::setRttMicros);
      peerState.ifPresent(p -> {
        s.setRxBytes(p.rxBytes());
        s.setTxBytes(p.txBytes());
        p.latestHandshake().ifPresent(h -> s.setLatestHandshake(h.truncatedTo(ChronoUnit.SECONDS).toString()));
      });
      condition(t, s, v.state() == TunnelState.Up, v.reason(), v.message());
    });
    lastReconciled.set(now);
    return Reconciler.Result.done();
  }

  /** The dataplane configuration the objects ask for; IllegalState/Argument name what is missing. */
  private TunnelConfig desired(Tunnel t) {
    String ns = t.getMetadata().getNamespace();
    NetworkConfig nc = informers.get(1).getStore().list().stream()
        .map(NetworkConfig.class::cast)
        .filter(n -> n.getSpec() != null && options.peerClusterId().equals(n.getSpec().getRemoteClusterID()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no NetworkConfig for peer "
            + options.peerClusterId() + " yet; the peering handshake writes it"));
    ClusterNetwork local = nc.getSpec().getLocal();
    ClusterNetwork remote = nc.getSpec().getRemote();
    if (local == null || remote == null || local.getPodCIDR() == null || local.getRemappedPodCIDR() == null
        || remote.getRemappedPodCIDR() == null) {
      throw new IllegalStateException("NetworkConfig " + nc.getMetadata().getNamespace() + "/"
          + nc.getMetadata().getName() + " lacks spec.local.podCIDR, spec.local.remappedPodCIDR or "
          + "spec.remote.remappedPodCIDR; the peering handshake fills them in");
    }
    String secretName = t.getSpec().getLocalKeySecretName();
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    if (secret == null || secret.getData() == null
        || secret.getData().get(PontoonNames.WIREGUARD_PRIVATE_KEY) == null) {
      throw new IllegalStateException("Secret " + ns + "/" + secretName + " with key "
          + PontoonNames.WIREGUARD_PRIVATE_KEY + " (named in Tunnel.spec.localKeySecretName) is missing");
    }
    String privateKey = new String(Base64.getDecoder().decode(
        secret.getData().get(PontoonNames.WIREGUARD_PRIVATE_KEY)), StandardCharsets.US_ASCII).strip();
    String storedPublic = secret.getData().get(PontoonNames.WIREGUARD_PUBLIC_KEY);
    if (storedPublic != null) {
      String pub = new String(Base64.getDecoder().decode(storedPublic), StandardCharsets.US_ASCII).strip();
      if (!pub.equals(WireGuardKeys.publicKey(privateKey))) {
        throw new IllegalStateException("Secret " + ns + "/" + secretName
            + ": publicKey does not belong to privateKey; regenerate the pair");
      }
    }
    String endpoint = t.getSpec().getEndpoint() == null ? null
        : t.getSpec().getEndpoint().getHost() + ":" + t.getSpec().getEndpoint().getPort();
    int port = options.listenPort() != null ? options.listenPort() : t.getSpec().getListenPort();
    return new TunnelConfig(options.peerClusterId(), privateKey, port, t.getSpec().getMtu(),
        t.getSpec().getRemotePublicKey(), endpoint, t.getSpec().getPersistentKeepaliveSeconds(),
        Cidr.parse(local.getPodCIDR()), Cidr.parse(local.getRemappedPodCIDR()),
        Cidr.parse(remote.getRemappedPodCIDR()));
  }

  private static void condition(Tunnel t, TunnelStatus s, boolean ok, String reason, String message) {
    Conditions.set(s.getConditions(), Conditions.of(PontoonNames.ConditionTypes.READY, ok, reason,
        message, t.getMetadata().getGeneration()));
  }

  /** Applies {@code change} to the latest Tunnel's status and writes it when it changed. */
  private void writeStatus(Tunnel t, java.util.function.Consumer<TunnelStatus> change) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Tunnel current = client.resources(Tunnel.class).inNamespace(t.getMetadata().getNamespace())
          .withName(t.getMetadata().getName()).get();
      if (current == null) {
        return;
      }
      TunnelStatus before = current.getStatus();
      TunnelStatus next = copy(before);
      change.accept(next);
      if (next.equals(before)) {
        return;
      }
      current.setStatus(next);
      try {
        client.resources(Tunnel.class).inNamespace(t.getMetadata().getNamespace()).resource(current).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private static TunnelStatus copy(TunnelStatus s) {
    TunnelStatus c = new TunnelStatus();
    if (s != null) {
      c.setState(s.getState());
      c.setLatestHandshake(s.getLatestHandshake());
      c.setRxBytes(s.getRxBytes());
      c.setTxBytes(s.getTxBytes());
      c.setRttMicros(s.getRttMicros());
      c.setMissedProbes(s.getMissedProbes());
      c.setInterfaceName(s.getInterfaceName());
      if (s.getConditions() != null) {
        s.getConditions().forEach(x -> c.getConditions().add(
            new io.fabric8.kubernetes.api.model.ConditionBuilder(x).build()));
      }
    }
    return c;
  }

  /** Stops watching and probing; the dataplane stays up. */
  @Override
  public void close() {
    ticker.shutdownNow();
    loop.close();
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }

  /** Removes this peering's dataplane (interface, process, socket, table, route). */
  public void teardown() {
    dataplane.remove(options.peerClusterId());
    applied = null;
  }

  /** The interface's current state, for tests and tools. */
  public Optional<InterfaceState> interfaceState() {
    return dataplane.state(options.peerClusterId());
  }
}
