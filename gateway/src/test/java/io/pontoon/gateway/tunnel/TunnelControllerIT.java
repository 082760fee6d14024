package io.pontoon.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ClusterNetwork;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.api.v1alpha1.NetworkConfigSpec;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelEndpoint;
import io.pontoon.api.v1alpha1.TunnelSpec;
import io.pontoon.api.v1alpha1.TunnelState;
import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.testing.Pods;
import io.pontoon.gateway.testing.TwoClusters;
import io.pontoon.gateway.wireguard.WireGuard;
import io.pontoon.gateway.wireguard.WireGuardKeys;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.HostRequirements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two sandbox API servers, one per "cluster", each with the Tunnel, NetworkConfig and key
 * Secret the handshake would write; a tunnel controller per cluster runs in-process against its
 * API server and the cluster's gateway namespace.
 */
class TunnelControllerIT {
  TwoClusters net;
  SandboxApiServer api1;
  SandboxApiServer api2;
  KubernetesClient k1;
  KubernetesClient k2;
  TunnelController c1;
  TunnelController c2;
  GatewayHttpServer http;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeEach
  void setUp() {
    HostRequirements.check().root().tool("ip", "iproute2").tool("wg", "wireguard-tools")
        .tool("wireguard-go", "wireguard-go").tool("nft", "nftables").tool("ping", "iputils-ping").orSkip();
    net = new TwoClusters();
    api1 = SandboxApiServer.start(SandboxApiServer.Options.defaults("one"));
    api2 = SandboxApiServer.start(SandboxApiServer.Options.defaults("two"));
    k1 = new KubernetesClientBuilder().withConfig(api1.adminConfig()).build();
    k2 = new KubernetesClientBuilder().withConfig(api2.adminConfig()).build();
    Crds.install(k1, Duration.ofSeconds(30));
    Crds.install(k2, Duration.ofSeconds(30));
    // cluster 1 peers with "two"; cluster 2 with "one"
    write(k1, "two", net.clusterId2, net.keys1, net.keys2.publicKey(), net.underlay2, net.port2, net.port1,
        TwoClusters.TWO_SEES_ONE, TwoClusters.ONE_SEES_TWO);
    write(k2, "one", net.clusterId1, net.keys2, net.keys1.publicKey(), null, 0, net.port2,
        TwoClusters.ONE_SEES_TWO, TwoClusters.TWO_SEES_ONE);
  }

  @AfterEach
  void tearDown() {
    if (http != null) {
      http.close();
    }
    for (TunnelController c : new TunnelController[] {c1, c2}) {
      if (c != null) {
        c.close();
        c.teardown();
      }
    }
    if (k1 != null) {
      k1.close();
      k2.close();
    }
    if (api1 != null) {
      api1.close();
      api2.close();
    }
    if (net != null) {
      net.close();
    }
  }

  static void write(KubernetesClient k, String peerName, String peerId, WireGuardKeys.KeyPair mine,
      String theirPublic, String host, int port, int listenPort, Cidr assignedToMe, Cidr assignedToPeer) {
    String ns = PontoonNames.tenantNamespace(peerName);
    k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    k.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
        .withName(PontoonNames.WIREGUARD_KEY_SECRET).endMetadata()
        .withStringData(Map.of(PontoonNames.WIREGUARD_PRIVATE_KEY, mine.privateKey(),
            PontoonNames.WIREGUARD_PUBLIC_KEY, mine.publicKey())).build()).create();
    NetworkConfig nc = new NetworkConfig();
    nc.getMetadata().setName(peerName);
    nc.getMetadata().setNamespace(ns);
    NetworkConfigSpec spec = new NetworkConfigSpec();
    spec.setRemoteClusterID(peerId);
    ClusterNetwork local = new ClusterNetwork();
    local.setPodCIDR(TwoClusters.POD_CIDR.toString());
    local.setRemappedPodCIDR(assignedToMe.toString());
    ClusterNetwork remote = new ClusterNetwork();
    remote.setPodCIDR(TwoClusters.POD_CIDR.toString());
    remote.setRemappedPodCIDR(assignedToPeer.toString());
    spec.setLocal(local);
    spec.setRemote(remote);
    nc.setSpec(spec);
    k.resource(nc).create();
    Tunnel t = new Tunnel();
    t.getMetadata().setName(peerName);
    t.getMetadata().setNamespace(ns);
    TunnelSpec ts = new TunnelSpec();
    ts.setRemoteClusterID(peerId);
    ts.setLocalKeySecretName(PontoonNames.WIREGUARD_KEY_SECRET);
    ts.setRemotePublicKey(theirPublic);
    ts.setListenPort(listenPort);
    if (host != null) {
      TunnelEndpoint e = new TunnelEndpoint();
      e.setHost(host);
      e.setPort(port);
      ts.setEndpoint(e);
    }
    t.setSpec(ts);
    k.resource(t).create();
  }

  static Tunnel tunnel(KubernetesClient k, String peerName) {
    return k.resources(Tunnel.class).inNamespace(PontoonNames.tenantNamespace(peerName)).withName(peerName).get();
  }

  void startControllers() {
    c1 = new TunnelController(k1, TunnelController.Options.defaults(net.clusterId2),
        new TunnelDataplane(HostCommands.inNetns(net.gw1)), registry);
    c2 = new TunnelController(k2, TunnelController.Options.defaults(net.clusterId1),
        new TunnelDataplane(HostCommands.inNetns(net.gw2)), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    c2.start();
    c1.start();
  }

  @Test
  void tunnelStatusGoesUpAndTrafficFlows() throws Exception {
    startControllers();
    http = new GatewayHttpServer("127.0.0.1", 0, registry, c1::lastReconciled, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (Tunnel t : new Tunnel[] {tunnel(k1, "two"), tunnel(k2, "one")}) {
        assertThat(t.getStatus()).isNotNull();
        assertThat(t.getStatus().getState()).isEqualTo(TunnelState.Up);
        assertThat(t.getStatus().getLatestHandshake()).isNotNull();
        assertThat(t.getStatus().getRttMicros()).isPositive();
        assertThat(t.getStatus().getRxBytes()).isPositive();
        assertThat(Conditions.isTrue(t.getStatus().getConditions(), PontoonNames.ConditionTypes.READY)).isTrue();
      }
    });
    assertThat(tunnel(k1, "two").getStatus().getInterfaceName())
        .isEqualTo(PontoonNames.wireGuardInterface(net.clusterId2));
    assertThat(Pods.ping(net.pod1, "10.71.0.5")).isTrue();

    HttpClient hc = HttpClient.newHttpClient();
    String metrics = hc.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("pontoon_tunnel_up{").contains("pontoon_tunnel_rtt_seconds{")
        .contains("pontoon_tunnel_rx_bytes{");
    assertThat(hc.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

    // deleting the Tunnel (unpeer) removes the dataplane of that side
    String dev = PontoonNames.wireGuardInterface(net.clusterId2);
    k1.resource(tunnel(k1, "two")).delete();
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(WireGuard.socket(net.gw1, dev)).doesNotExist();
      assertThat(WireGuard.userspaceProcessesAnywhere(dev)).isEmpty();
      assertThat(HostCommands.inNetns(net.gw1).run("nft", "list", "ruleset").stdout()).doesNotContain("pontoon");
    });
  }

  @Test
  void aRestartedControllerAdoptsTheDataplaneUnchanged() {
    startControllers();
    await().atMost(Duration.ofSeconds(30)).until(() -> tunnel(k1, "two").getStatus() != null
        && tunnel(k1, "two").getStatus().getState() == TunnelState.Up);
    String dev = PontoonNames.wireGuardInterface(net.clusterId2);
    TunnelDataplane dp = new TunnelDataplane(HostCommands.inNetns(net.gw1));
    String rules = dp.nft().list(TunnelDataplane.tableName(dev)).orElseThrow();
    var pids = new WireGuard(HostCommands.inNetns(net.gw1)).userspaceProcesses(dev).stream().map(ProcessHandle::pid).toList();

    c1.close(); // as after a crash: nothing is torn down
    c1 = new TunnelController(k1, TunnelController.Options.defaults(net.clusterId2), dp,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    c1.start();
    await().atMost(Duration.ofSeconds(15)).until(() -> c1.lastReconciled().isPresent());

    assertThat(dp.nft().list(TunnelDataplane.tableName(dev)).orElseThrow()).isEqualTo(rules);
    assertThat(new WireGuard(HostCommands.inNetns(net.gw1)).userspaceProcesses(dev).stream().map(ProcessHandle::pid).toList()).isEqualTo(pids);
    assertThat(Pods.ping(net.pod1, "10.71.0.5")).isTrue();
    assertThat(tunnel(k1, "two").getStatus().getState()).isEqualTo(TunnelState.Up);
  }

  @Test
  void aWrongPeerKeyGivesDownWithAReason() {
    Tunnel t = tunnel(k1, "two");
    t.getSpec().setRemotePublicKey(WireGuardKeys.generate().publicKey());
    k1.resource(t).update();
    startControllers();
    await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
      Tunnel now = tunnel(k1, "two");
      assertThat(now.getStatus()).isNotNull();
      assertThat(now.getStatus().getState()).isEqualTo(TunnelState.Down);
      assertThat(now.getStatus().getMissedProbes()).isGreaterThanOrEqualTo(5);
      assertThat(Conditions.find(now.getStatus().getConditions(), PontoonNames.ConditionTypes.READY).orElseThrow()
          .getReason()).isEqualTo(PontoonNames.Reasons.HANDSHAKE_MISSING);
    });
  }
}
