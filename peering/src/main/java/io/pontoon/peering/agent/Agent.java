package io.pontoon.peering.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Crds;
import io.pontoon.peering.foreigncluster.ForeignClusterController;
import io.pontoon.peering.foreigncluster.LocalProcessLauncher;
import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import io.pontoon.peering.gateway.GatewayController;
import io.pontoon.peering.gateway.GatewayLauncher;
import io.pontoon.peering.gateway.LocalGatewayLauncher;
import io.pontoon.peering.handshake.CidrAssigner;
import io.pontoon.peering.network.PeerTunnels;
import io.pontoon.peering.network.IpamCidrAssigner;
import io.pontoon.peering.handshake.Messages;
import io.pontoon.peering.handshake.ProviderHandshake;
import io.pontoon.peering.handshake.ProviderSettings;
import io.pontoon.peering.identity.IdentityStore;
import io.pontoon.peering.identity.PeeringTls;
import io.pontoon.peering.service.ClientCertVerifier;
import io.pontoon.peering.service.FailureRateLimiter;
import io.pontoon.peering.service.PeeringService;
import io.pontoon.peering.tenant.GrantRefresher;
import io.pontoon.peering.token.TokenStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pontoon agent}: one per cluster. On start it installs the CRDs and
 * {@code pontoon-system}, finds or makes the identity and the peering certificate, serves the
 * peering service, publishes URL and fingerprint, runs the ForeignCluster controller (consumer
 * side), refreshes grants (provider side), and starts the plugged-in {@link AgentComponent}s.
 *
 * <p>Extension points, set before {@link #start()}: {@link #withComponent}, {@link #withCidrAssigner},
 * {@link #withLauncher}, {@link #withGatewayLauncher}.
 */
public final class Agent implements AutoCloseable {
  public static final String VERSION = "v1alpha1";
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final KubernetesClient client;
  private final List<AgentComponent> components = new ArrayList<>();
  private final List<AgentComponent> started = new ArrayList<>();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private CidrAssigner cidrs;
  private VirtualKubeletLauncher launcher;
  private GatewayLauncher gatewayLauncher;
  private GatewayController gatewayController;
  private Vertx vertx;
  private PeeringService service;
  private MetricsServer metricsServer;
  private ForeignClusterController fcController;
  private GrantRefresher grants;
  private ClusterIdentity identity;
  private String peeringUrl;
  private String fingerprint;
  private int metricsPort = -1;
  private volatile boolean ready;

  public Agent(AgentConfig config, KubernetesClient client) {
    this.config = config;
    this.client = client;
  }

  public Agent withComponent(AgentComponent component) {
    components.add(Objects.requireNonNull(component));
    return this;
  }

  /** The IPAM the handshake asks for remapped CIDRs (default: the gateway's IPAM on the agent's CIDRs). */
  public Agent withCidrAssigner(CidrAssigner assigner) {
    this.cidrs = Objects.requireNonNull(assigner);
    return this;
  }

  /** How virtual kubelets run (default: local child processes of {@code pontoon virtual-kubelet}). */
  public Agent withLauncher(VirtualKubeletLauncher l) {
    this.launcher = Objects.requireNonNull(l);
    return this;
  }

  /**
   * How gateways run (default: with {@code gatewayNetns} a {@link LocalGatewayLauncher} in that
   * namespace, else none).
   */
  public Agent withGatewayLauncher(GatewayLauncher l) {
    this.gatewayLauncher = Objects.requireNonNull(l);
    return this;
  }

  public void start() throws Exception {
    long t0 = System.nanoTime();
    IdentityStore store = new IdentityStore(client);
    Crds.install(client, Duration.ofSeconds(60));
    store.ensureSystemNamespace();
    identity = store.ensureIdentity(config.clusterName());
    PeeringTls tls = store.ensurePeeringTls(identity.name(), List.of(config.advertiseHost(), "localhost", "127.0.0.1"));
    fingerprint = tls.fingerprint();
    vertx = Vertx.vertx();

    String apiServerUrl = config.apiServerUrl() != null ? config.apiServerUrl()
        : stripSlash(client.getConfiguration().getMasterUrl());
    String caPem = ClusterCa.pem(client);
    Messages.Network network = new Messages.Network(config.podCidr(), config.serviceCidr());
    if (cidrs == null) cidrs = IpamCidrAssigner.of(client, config.podCidr(), config.serviceCidr());
    String gateway = config.gatewayEndpoint() != null ? config.gatewayEndpoint()
        : config.advertiseHost() + ":" + io.pontoon.api.PontoonNames.DEFAULT_WIREGUARD_PORT;
    // One PeerTunnels for both directions: every Tunnel here gets its own listen port.
    PeerTunnels tunnels = new PeerTunnels(client, PeerTunnels.port(gateway));
    ProviderHandshake provider = new ProviderHandshake(client, new ProviderSettings(identity, network, apiServerUrl,
        caPem, gateway, config.sharingPercentage()), new TokenStore(client), cidrs, config.csrTimeout(), tunnels);
    AtomicReference<ClientCertVerifier> verifier = new AtomicReference<>();
    service = new PeeringService(vertx, tls,
        PeeringService.backend(new Messages.Identity(identity.id(), identity.name(), fingerprint, VERSION, network), provider,
            config.finalizerGrace()),
        () -> verifier.updateAndGet(v -> v != null ? v : new ClientCertVerifier(ClusterCa.certificates(client))),
        new FailureRateLimiter(10, Duration.ofMinutes(1), 10_000, Clock.systemUTC()), metrics);
    int port = service.start(config.bindHost(), config.peeringPort());
    int advertisedPort = config.advertisePort() > 0 ? config.advertisePort() : port;
    peeringUrl = "https://" + config.advertiseHost() + ":" + advertisedPort;
    store.publish(peeringUrl, fingerprint);

    if (launcher == null) {
      launcher = new LocalProcessLauncher(LocalProcessLauncher.virtualKubeletCommand(config.homeKubeconfig()),
          config.vkLogDir(), Duration.ofSeconds(1));
    }
    boolean gateways = gatewayLauncher != null || config.gatewayNetns() != null;
    if (gatewayLauncher == null) {
      gatewayLauncher = config.gatewayNetns() == null ? GatewayLauncher.none()
          : LocalGatewayLauncher.of(config.gatewayNetns(), config.homeKubeconfig());
    }
    fcController = new ForeignClusterController(client, identity, network, launcher, cidrs,
        new ForeignClusterController.Settings(config.refresh(), config.unpeerTimeout(), config.finalizerGrace(), 2),
        tunnels, gateways);
    fcController.start();
    gatewayController = new GatewayController(client, gatewayLauncher);
    gatewayController.start();
    Gauge.builder("pontoon_agent_foreigncluster_queue_depth", fcController, ForeignClusterController::queueDepth)
        .register(metrics);
    grants = new GrantRefresher(client, provider);
    grants.start(config.refresh());

    AgentContext ctx = new AgentContext(client, identity, vertx, metrics, config, peeringUrl, fingerprint);
    for (AgentComponent c : components) {
      c.start(ctx);
      started.add(c);
      LOG.info("event=component-started component={}", c.name());
    }
    if (config.metricsPort() >= 0) {
      metricsServer = new MetricsServer(vertx, metrics, this::ready);
      metricsPort = metricsServer.start(config.bindHost(), config.metricsPort());
    }
    ready = true;
    LOG.info("event=agent-started cluster={} clusterID={} peeringURL={} fingerprint={} metricsPort={} ms={}",
        identity.name(), identity.id(), peeringUrl, fingerprint, metricsPort, (System.nanoTime() - t0) / 1_000_000);
  }

  public boolean ready() {
    return ready && started.stream().allMatch(AgentComponent::ready);
  }

  public ClusterIdentity identity() {
    return identity;
  }

  public String peeringUrl() {
    return peeringUrl;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public VirtualKubeletLauncher launcher() {
    return launcher;
  }

  public GatewayLauncher gatewayLauncher() {
    return gatewayLauncher;
  }

  private static String stripSlash(String s) {
    return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() {
    ready = false;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (RuntimeException e) {
        LOG.warn("event=component-close-failed component={} error=\"{}\"", started.get(i).name(), e.toString());
      }
    }
    if (grants != null) grants.close();
    if (fcController != null) fcController.close();
    if (gatewayController != null) gatewayController.close();
    if (gatewayLauncher != null) gatewayLauncher.close();
    if (launcher != null) launcher.close();
    if (metricsServer != null) metricsServer.close();
    if (service != null) service.close();
    if (vertx != null) vertx.close();
    LOG.info("event=agent-stopped cluster={}", config.clusterName());
  }
}
