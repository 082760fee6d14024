package io.pontoon.peering.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterPhase;
import io.pontoon.api.v1alpha1.NetworkConfig;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.Tunnel;
import io.pontoon.api.v1alpha1.TunnelState;
import io.pontoon.api.v1alpha1.TunnelStatus;
import io.pontoon.api.v1alpha1.TwinNamespace;
import io.pontoon.peering.foreigncluster.PeerCredentials;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** cluster-1 peers with cluster-2 through their agents; the issued credential is least-privilege; unpeer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeeringIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TwoClusters env;
  private KubernetesClient tenant;

  @BeforeAll
  void start() throws Exception {
    env = new TwoClusters();
  }

  @AfterAll
  void stop() {
    if (tenant != null) tenant.close();
    if (env != null) env.close();
  }

  @Test
  @Order(1)
  void identityAndCertificateArePublishedAndStable() throws Exception {
    Map<String, String> data = env.c2.client().configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .withName(PontoonNames.IDENTITY_CONFIGMAP).get().getData();
    assertThat(data).containsEntry(PontoonNames.IDENTITY_KEY_CLUSTER_NAME, "cluster-2")
        .containsEntry(PontoonNames.IDENTITY_KEY_CLUSTER_ID, env.a2.identity().id())
        .containsEntry(PontoonNames.IDENTITY_KEY_PEERING_URL, env.a2.peeringUrl())
        .containsEntry(PontoonNames.IDENTITY_KEY_FINGERPRINT, env.a2.fingerprint());
    assertThat(env.a2.fingerprint()).matches(PontoonNames.FINGERPRINT_PATTERN);
    var http = java.net.http.HttpClient.newHttpClient();
    for (String path : new String[] {"/healthz", "/readyz", "/metrics"}) {
      var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + env.a2.metricsPort() + path))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      if (path.equals("/metrics")) assertThat(r.body()).contains("pontoon_agent_foreigncluster_queue_depth");
    }
    // A restarted agent keeps its ID and certificate.
    try (Agent again = new Agent(AgentConfig.local("cluster-2"), env.c2.client()).withLauncher(new RecordingLauncher())) {
      again.start();
      assertThat(again.identity()).isEqualTo(env.a2.identity());
      assertThat(again.fingerprint()).isEqualTo(env.a2.fingerprint());
    }
    env.c2.client().configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName(PontoonNames.IDENTITY_CONFIGMAP)
        .edit(cm -> {
          cm.getData().put(PontoonNames.IDENTITY_KEY_PEERING_URL, env.a2.peeringUrl());
          return cm;
        });
  }

  @Test
  @Order(2)
  void tokenPeeringAuthenticatesAndGrants() {
    env.requestPeering(true);
    await().atMost(WAIT).until(() -> TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED)
        && TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.RESOURCES_GRANTED)
        && TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.NETWORK_READY));
    ForeignCluster fc = env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get();
    assertThat(fc.getMetadata().getFinalizers()).contains(PontoonNames.FINALIZER_PEERING);
    assertThat(fc.getStatus().getTenantNamespace().getLocal()).isEqualTo("pontoon-tenant-cluster-2");
    assertThat(fc.getStatus().getTenantNamespace().getRemote()).isEqualTo("pontoon-tenant-cluster-1");
    assertThat(fc.getStatus().getGrantedResources()).containsKeys("cpu", "memory", "pods");
    // The token is gone from the consumer once used; the key stayed in the consumer cluster.
    assertThat(env.c1.client().secrets().inNamespace("pontoon-tenant-cluster-2")
        .withName(PeeringRequests.TOKEN_SECRET).get()).isNull();
    assertThat(env.c1.client().secrets().inNamespace("pontoon-tenant-cluster-2")
        .withName(PontoonNames.WIREGUARD_KEY_SECRET).get()).isNotNull();

    // The provider records the incoming peering and the grant: half of free allocatable (2 nodes x 8 CPU).
    await().atMost(WAIT).until(() -> env.c2.client().resources(ForeignCluster.class).withName("cluster-1").get() != null);
    ForeignCluster incoming = env.c2.client().resources(ForeignCluster.class).withName("cluster-1").get();
    assertThat(incoming.getSpec().getIncomingEnabled()).isTrue();
    assertThat(incoming.getSpec().getClusterID()).isEqualTo(env.a1.identity().id());
    ResourceSlice slice = env.c2.client().resources(ResourceSlice.class).inNamespace("pontoon-tenant-cluster-1")
        .withName("cluster-1").get();
    assertThat(slice.getStatus().getResources().get("cpu").getNumericalAmount()).isEqualByComparingTo("8");

    // The credentials Secret is a complete kubeconfig that works against the provider.
    tenant = PeerCredentials.client(kubeconfig());
    ResourceSlice seen = tenant.resources(ResourceSlice.class).inNamespace("pontoon-tenant-cluster-1")
        .withName("cluster-1").get();
    assertThat(seen.getSpec().getConsumerClusterID()).isEqualTo(env.a1.identity().id());
    assertThat(env.l1.running).containsKey("cluster-2");
    assertThat(env.l1.running.get("cluster-2").credentialsSecret())
        .isEqualTo("pontoon-tenant-cluster-2/" + PontoonNames.PEER_CREDENTIALS_SECRET);
    assertThat(TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.API_SERVER_REACHABLE)).isTrue();
  }

  @Test
  @Order(3)
  void issuedCredentialIsLeastPrivilege() {
    String user = PontoonNames.tenantUser(env.a1.identity().id());
    String ns = "pontoon-tenant-cluster-1";
    KubernetesClient admin = env.c2.client();
    assertThat(can(admin, user, ns, "create", "pontoon.io", "twinnamespaces")).isTrue();
    assertThat(can(admin, user, ns, "delete", "pontoon.io", "twinnamespaces")).isTrue();
    assertThat(can(admin, user, ns, "get", "pontoon.io", "resourceslices")).isTrue();
    assertThat(can(admin, user, ns, "update", "pontoon.io", "resourceslices")).isFalse();
    assertThat(can(admin, user, ns, "get", "", "secrets")).isFalse();
    assertThat(can(admin, user, ns, "create", "", "pods")).isFalse();
    assertThat(can(admin, user, "default", "list", "", "pods")).isFalse();
    assertThat(can(admin, user, "kube-system", "get", "", "secrets")).isFalse();
    assertThat(can(admin, user, null, "create", "", "namespaces")).isFalse();
    assertThat(can(admin, user, ns, "create", "rbac.authorization.k8s.io", "rolebindings")).isFalse();
    assertThat(can(admin, user, ns, "escalate", "rbac.authorization.k8s.io", "roles")).isFalse();
    assertThat(can(admin, user, "pontoon-tenant-other", "create", "pontoon.io", "twinnamespaces")).isFalse();
    assertThat(can(admin, user, ns, "create", "pontoon.io", "shadowpods")).isFalse();

    // Real calls with the issued credential.
    TwinNamespace request = new TwinNamespace();
    request.getMetadata().setName("default-cluster-1");
    request.getMetadata().setNamespace(ns);
    request.getSpec().setOriginClusterID(env.a1.identity().id());
    request.getSpec().setOriginClusterName("cluster-1");
    request.getSpec().setHomeNamespace("default");
    tenant.resources(TwinNamespace.class).inNamespace(ns).resource(request).create();
    assertThat(tenant.resources(TwinNamespace.class).inNamespace(ns).list().getItems()).hasSize(1);
    tenant.resources(TwinNamespace.class).inNamespace(ns).withName("default-cluster-1").delete();
    expectForbidden(() -> tenant.secrets().inNamespace(ns).list());
    expectForbidden(() -> tenant.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE).list());
    expectForbidden(() -> tenant.pods().inNamespace("default").list());
    expectForbidden(() -> tenant.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName("evil").endMetadata().build()).create());
    expectForbidden(() -> tenant.pods().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("x")
        .endContainer().endSpec().build()).create());
    expectForbidden(() -> tenant.rbac().roleBindings().inNamespace(ns).resource(
        new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata().withName("up").endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
            .addNewSubject().withKind("User").withName(user).withApiGroup("rbac.authorization.k8s.io").endSubject()
            .build()).create());
    expectForbidden(() -> tenant.rbac().roles().inNamespace(ns).withName("pontoon-tenant").edit(r -> {
      r.getRules().get(0).setResources(java.util.List.of("*"));
      return r;
    }));
  }

  @Test
  @Order(4)
  void virtualNodeReadyFollowsTheNode() {
    env.c1.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("pontoon-cluster-2")
        .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE).endMetadata().build()).create();
    env.c1.client().nodes().withName("pontoon-cluster-2").editStatus(n -> {
      n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().addNewCondition().withType("Ready")
          .withStatus("True").withReason("KubeletReady").withMessage("ok").endCondition().build());
      return n;
    });
    await().atMost(WAIT).until(() -> TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.VIRTUAL_NODE_READY));
    await().atMost(WAIT).until(() -> env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get()
        .getStatus().getPhase() == ForeignClusterPhase.Peered);
    env.c1.client().nodes().withName("pontoon-cluster-2").editStatus(n -> {
      n.getStatus().getConditions().get(0).setStatus("False");
      n.getStatus().getConditions().get(0).setReason("APIServerUnreachable");
      return n;
    });
    await().atMost(WAIT).until(() -> Conditions.isFalse(TwoClusters.conditions(env.c1.client(), "cluster-2"),
        ConditionTypes.VIRTUAL_NODE_READY));
    assertThat(env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get().getStatus().getPhase())
        .isEqualTo(ForeignClusterPhase.Degraded);
  }

  @Test
  @Order(5)
  void repeatingThePeerRequestIsIdempotent() {
    env.requestPeering(false);
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() ->
        TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED));
    assertThat(env.c2.client().namespaces().withLabel(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TENANT_NAMESPACE)
        .list().getItems()).hasSize(1);
  }

  @Test
  @Order(6)
  void theGrantFollowsTheProvidersLoad() {
    String ns = "pontoon-tenant-cluster-1";
    java.math.BigDecimal before = env.c2.client().resources(ResourceSlice.class).inNamespace(ns).withName("cluster-1").get()
        .getStatus().getResources().get("cpu").getNumericalAmount();
    env.c2.client().pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata().withName("load").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("x")
        .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("4")).endResources()
        .endContainer().endSpec().build()).create();
    await().atMost(WAIT).until(() -> env.c2.client().resources(ResourceSlice.class).inNamespace(ns).withName("cluster-1")
        .get().getStatus().getResources().get("cpu").getNumericalAmount().compareTo(before.subtract(java.math.BigDecimal.valueOf(2))) == 0);
    await().atMost(WAIT).until(() -> {
      var granted = env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get().getStatus().getGrantedResources();
      return granted.get("cpu").getNumericalAmount().compareTo(before.subtract(java.math.BigDecimal.valueOf(2))) == 0;
    });
    env.c2.client().pods().inNamespace("default").withName("load").withGracePeriod(0).delete();
  }

  @Test
  @Order(7)
  void bothSidesHoldMirroredNetworkConfigsAndTunnels() {
    String id1 = env.a1.identity().id();
    String id2 = env.a2.identity().id();
    NetworkConfig onConsumer = networkConfig(env.c1.client(), "pontoon-tenant-cluster-2", "cluster-2");
    NetworkConfig onProvider = networkConfig(env.c2.client(), "pontoon-tenant-cluster-1", "cluster-1");
    assertThat(onConsumer.getSpec().getRemoteClusterID()).isEqualTo(id2);
    assertThat(onProvider.getSpec().getRemoteClusterID()).isEqualTo(id1);
    // Both clusters use 10.244.0.0/16: each shows the other's pods under a free block, and the two
    // blocks differ, so no address means two things in either gateway.
    String providerPodsOnConsumer = onConsumer.getSpec().getRemote().getRemappedPodCIDR();
    String consumerPodsOnProvider = onProvider.getSpec().getRemote().getRemappedPodCIDR();
    assertThat(providerPodsOnConsumer).isEqualTo("10.0.0.0/16");
    assertThat(consumerPodsOnProvider).isEqualTo("10.1.0.0/16");
    assertThat(onConsumer.getSpec().getRemote().getPodCIDR()).isEqualTo("10.244.0.0/16");
    assertThat(onConsumer.getSpec().getLocal().getPodCIDR()).isEqualTo("10.244.0.0/16");
    assertThat(onConsumer.getSpec().getLocal().getRemappedPodCIDR()).isEqualTo(consumerPodsOnProvider);
    assertThat(onProvider.getSpec().getRemote().getPodCIDR()).isEqualTo("10.244.0.0/16");
    assertThat(onProvider.getSpec().getLocal().getRemappedPodCIDR()).isEqualTo(providerPodsOnConsumer);
    // What the virtual kubelet reads to translate reported pod IPs: spec.remote of the provider.
    assertThat(onConsumer.getMetadata().getLabels()).containsEntry(PontoonNames.LABEL_REMOTE_CLUSTER_ID, id2);

    Tunnel toProvider = env.c1.client().resources(Tunnel.class).inNamespace("pontoon-tenant-cluster-2")
        .withName("cluster-2").get();
    Tunnel toConsumer = env.c2.client().resources(Tunnel.class).inNamespace("pontoon-tenant-cluster-1")
        .withName("cluster-1").get();
    assertThat(toProvider.getSpec().getRemoteClusterID()).isEqualTo(id2);
    assertThat(toConsumer.getSpec().getRemoteClusterID()).isEqualTo(id1);
    assertThat(toProvider.getSpec().getRemotePublicKey())
        .isEqualTo(publicKey(env.c2.client(), "pontoon-tenant-cluster-1"));
    assertThat(toConsumer.getSpec().getRemotePublicKey())
        .isEqualTo(publicKey(env.c1.client(), "pontoon-tenant-cluster-2"));
    assertThat(toProvider.getSpec().getRemotePublicKey()).isNotEqualTo(toConsumer.getSpec().getRemotePublicKey());
    assertThat(toProvider.getSpec().getLocalKeySecretName()).isEqualTo(PontoonNames.WIREGUARD_KEY_SECRET);
    assertThat(toProvider.getSpec().getEndpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(toProvider.getSpec().getEndpoint().getPort()).isEqualTo(PontoonNames.DEFAULT_WIREGUARD_PORT);
    assertThat(toConsumer.getSpec().getEndpoint()).as("the provider waits for the consumer").isNull();
    assertThat(toProvider.getSpec().getMtu()).isEqualTo(PontoonNames.DEFAULT_MTU);
    assertThat(toConsumer.getSpec().getListenPort()).isEqualTo(PontoonNames.DEFAULT_WIREGUARD_PORT);

    Condition network = condition(ConditionTypes.NETWORK_READY);
    assertThat(network.getStatus()).isEqualTo("True");
    assertThat(network.getMessage()).contains(providerPodsOnConsumer, consumerPodsOnProvider);
    assertThat(TwoClusters.isTrue(env.c2.client(), "cluster-1", ConditionTypes.NETWORK_READY))
        .as("the provider's record of the incoming peering: %s", TwoClusters.conditions(env.c2.client(), "cluster-1")).isTrue();
    await().atMost(WAIT).until(() -> "GatewayNotRunning".equals(condition(ConditionTypes.TUNNEL_UP).getReason()));
    assertThat(condition(ConditionTypes.TUNNEL_UP).getStatus()).isEqualTo("Unknown");
    assertThat(condition(ConditionTypes.TUNNEL_UP).getMessage()).contains("pontoon gateway --peer " + id2);

    // TunnelUp follows what a gateway writes into the Tunnel's status.
    toProvider.setStatus(new TunnelStatus());
    toProvider.getStatus().setState(TunnelState.Up);
    toProvider.getStatus().setInterfaceName(PontoonNames.wireGuardInterface(id2));
    env.c1.client().resource(toProvider).updateStatus();
    await().atMost(WAIT).until(() -> "True".equals(condition(ConditionTypes.TUNNEL_UP).getStatus()));
    Tunnel cleared = env.c1.client().resources(Tunnel.class).inNamespace("pontoon-tenant-cluster-2").withName("cluster-2").get();
    cleared.setStatus(new TunnelStatus());
    env.c1.client().resource(cleared).updateStatus();
    await().atMost(WAIT).until(() -> "GatewayNotRunning".equals(condition(ConditionTypes.TUNNEL_UP).getReason()));

    // A replay of the handshake (the token is multi-use) changes neither side's objects.
    String before = onConsumer.getMetadata().getResourceVersion() + onProvider.getMetadata().getResourceVersion();
    env.c1.client().secrets().inNamespace("pontoon-tenant-cluster-2").withName(PontoonNames.PEER_CREDENTIALS_SECRET)
        .edit(s -> {
          s.getData().remove(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY);
          return s;
        });
    env.requestPeering(false);
    await().atMost(WAIT).until(() -> TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED)
        && env.c1.client().secrets().inNamespace("pontoon-tenant-cluster-2").withName(PeeringRequests.TOKEN_SECRET).get() == null);
    assertThat(networkConfig(env.c1.client(), "pontoon-tenant-cluster-2", "cluster-2").getMetadata().getResourceVersion()
        + networkConfig(env.c2.client(), "pontoon-tenant-cluster-1", "cluster-1").getMetadata().getResourceVersion())
        .isEqualTo(before);
    assertThat(env.c2.client().resources(Tunnel.class).inAnyNamespace().list().getItems()).hasSize(1);
  }

  @Test
  @Order(9)
  void unpeerRemovesEverythingOnBothSides() {
    // What the offloading side would have made on the provider: a twin namespace with a stuck
    // ShadowPod, and the TwinNamespace request with its finalizer.
    String consumerId = env.a1.identity().id();
    twinWithStuckShadowPod("default", "00000000-0000-0000-0000-000000000001");
    TwinNamespace request = new TwinNamespace();
    request.getMetadata().setName("default-cluster-1");
    request.getMetadata().setNamespace("pontoon-tenant-cluster-1");
    request.getMetadata().setFinalizers(java.util.List.of(PontoonNames.FINALIZER_TWIN_NAMESPACE));
    request.getSpec().setOriginClusterID(consumerId);
    request.getSpec().setOriginClusterName("cluster-1");
    request.getSpec().setHomeNamespace("default");
    env.c2.client().resources(TwinNamespace.class).inNamespace("pontoon-tenant-cluster-1").resource(request).create();

    env.c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
    await().atMost(WAIT).until(() -> env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null);
    await().atMost(WAIT).until(() -> env.c2.client().namespaces().withName("pontoon-tenant-cluster-1").get() == null);
    await().atMost(WAIT).until(() -> env.c1.client().namespaces().withName("pontoon-tenant-cluster-2").get() == null);
    assertThat(env.c1.client().nodes().withName("pontoon-cluster-2").get()).isNull();
    await().atMost(WAIT).until(() -> env.c2.client().namespaces().withName("default-cluster-1").get() == null);
    await().atMost(WAIT).until(() -> env.c2.client().resources(ForeignCluster.class).withName("cluster-1").get() == null);
    assertThat(env.c2.client().certificates().v1().certificateSigningRequests()
        .withLabel(PontoonNames.LABEL_REMOTE_CLUSTER_ID, env.a1.identity().id()).list().getItems()).isEmpty();
    assertThat(env.l1.stopped).contains("cluster-2");
    String user = PontoonNames.tenantUser(env.a1.identity().id());
    assertThat(env.c2.client().rbac().roleBindings().inAnyNamespace().list().getItems().stream()
        .flatMap(rb -> rb.getSubjects() == null ? java.util.stream.Stream.empty() : rb.getSubjects().stream())
        .anyMatch(s -> user.equals(s.getName()))).isFalse();
    // The old certificate still authenticates but grants nothing.
    expectForbidden(() -> tenant.resources(ResourceSlice.class).inNamespace("pontoon-tenant-cluster-1").list());
    var events = env.c1.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> PeeringRequests.EVENT_UNPEERED.equals(e.getReason())).toList();
    assertThat(events).anySatisfy(e -> assertThat(e.getMessage()).contains("on both sides"));
    for (KubernetesClient c : java.util.List.of(env.c1.client(), env.c2.client())) {
      assertThat(c.resources(NetworkConfig.class).inAnyNamespace().list().getItems()).isEmpty();
      assertThat(c.resources(Tunnel.class).inAnyNamespace().list().getItems()).isEmpty();
    }
  }

  @Test
  @Order(10)
  void aRepeerGetsBlocksAgain() {
    env.requestPeering(true);
    await().atMost(WAIT).until(() -> TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.NETWORK_READY));
    // The freed blocks are handed out again: the lowest free ones, as the first time.
    assertThat(networkConfig(env.c1.client(), "pontoon-tenant-cluster-2", "cluster-2").getSpec().getRemote()
        .getRemappedPodCIDR()).isEqualTo("10.0.0.0/16");
    assertThat(networkConfig(env.c2.client(), "pontoon-tenant-cluster-1", "cluster-1").getSpec().getRemote()
        .getRemappedPodCIDR()).isEqualTo("10.1.0.0/16");
    assertThat(env.c2.client().resources(Tunnel.class).inNamespace("pontoon-tenant-cluster-1").withName("cluster-1")
        .get()).isNotNull();
  }

  @Test
  @Order(11)
  void aPeerRequestWhileTheOldTenantIsStillBeingRemovedWaitsAndThenSucceeds() {
    // Something in the provider's tenant namespace holds its deletion (a finalizer nobody removes yet).
    env.c2.client().configMaps().inNamespace("pontoon-tenant-cluster-1").resource(new io.fabric8.kubernetes.api.model
        .ConfigMapBuilder().withNewMetadata().withName("hold").withFinalizers("test.pontoon.io/hold").endMetadata()
        .build()).create();
    env.c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
    await().atMost(WAIT).until(() -> env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null);
    await().atMost(WAIT).until(() -> {
      var ns = env.c2.client().namespaces().withName("pontoon-tenant-cluster-1").get();
      return ns != null && ns.getMetadata().getDeletionTimestamp() != null;
    });

    env.requestPeering(true);
    await().atMost(WAIT).untilAsserted(() -> {
      Condition auth = condition(ConditionTypes.AUTHENTICATED);
      assertThat(auth.getStatus()).isEqualTo("False");
      assertThat(auth.getReason()).isEqualTo("TenantTerminating");
      assertThat(auth.getMessage()).contains("still being removed", "retries by itself");
    });

    env.c2.client().configMaps().inNamespace("pontoon-tenant-cluster-1").withName("hold")
        .edit(cm -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm).editMetadata().withFinalizers()
            .endMetadata().build());
    await().atMost(WAIT).until(() -> TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED));
    assertThat(env.c2.client().namespaces().withName("pontoon-tenant-cluster-1").get().getMetadata()
        .getDeletionTimestamp()).as("a new tenant namespace").isNull();
  }

  @Test
  @Order(12)
  void peeringAgainRightAfterAnUnpeerEndsPeeredOnBothSides() {
    // `pontoon unpeer X && pontoon peer X`: the provider is still removing the first peering (here a
    // ShadowPod whose finalizer nobody removes holds it for the finalizer grace) when the second
    // handshake arrives; that removal must not take the new tenant with it.
    twinWithStuckShadowPod("slow", "00000000-0000-0000-0000-000000000002");

    env.c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
    await().atMost(WAIT).until(() -> env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null);
    env.requestPeering(true);
    await().atMost(WAIT).until(() -> TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED));
    await().atMost(WAIT).until(() -> env.c2.client().namespaces().withName("slow-cluster-1").get() == null);
    // Peered on both sides, and it stays so once the old removal is over.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var tenant = env.c2.client().namespaces().withName("pontoon-tenant-cluster-1").get();
      assertThat(tenant).as("the provider's tenant namespace").isNotNull();
      assertThat(tenant.getMetadata().getDeletionTimestamp()).isNull();
      var incoming = env.c2.client().resources(ForeignCluster.class).withName("cluster-1").get();
      assertThat(incoming).as("the provider's record of the consumer").isNotNull();
      assertThat(incoming.getMetadata().getDeletionTimestamp()).isNull();
      assertThat(TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED)).isTrue();
    });
  }

  /**
   * What the offloading side would have made on the provider: twin namespace
   * {@code <homeNamespace>-cluster-1} with a ShadowPod whose finalizer nobody removes, which holds
   * an unpeer's cleanup for the finalizer grace.
   */
  private void twinWithStuckShadowPod(String homeNamespace, String homePodUid) {
    String consumerId = env.a1.identity().id();
    String twin = homeNamespace + "-cluster-1";
    env.c2.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(twin).addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TWIN_NAMESPACE)
        .addToLabels(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, consumerId).endMetadata().build()).create();
    io.pontoon.api.v1alpha1.ShadowPod sp = new io.pontoon.api.v1alpha1.ShadowPod();
    sp.getMetadata().setName("web-1");
    sp.getMetadata().setNamespace(twin);
    sp.getMetadata().setFinalizers(java.util.List.of(PontoonNames.FINALIZER_SHADOW_POD));
    sp.getSpec().setOriginClusterID(consumerId);
    sp.getSpec().setHomePodUID(homePodUid);
    sp.getSpec().setHomePodName("web-1");
    sp.getSpec().setHomePodNamespace(homeNamespace);
    sp.getSpec().setPod(new io.fabric8.kubernetes.api.model.PodSpecBuilder().addNewContainer().withName("c")
        .withImage("x").endContainer().build());
    env.c2.client().resources(io.pontoon.api.v1alpha1.ShadowPod.class).inNamespace(twin).resource(sp).create();
  }

  private Condition condition(String type) {
    return TwoClusters.conditions(env.c1.client(), "cluster-2").stream().filter(c -> type.equals(c.getType()))
        .findFirst().orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static NetworkConfig networkConfig(KubernetesClient c, String ns, String name) {
    NetworkConfig nc = c.resources(NetworkConfig.class).inNamespace(ns).withName(name).get();
    assertThat(nc).as("NetworkConfig " + ns + "/" + name).isNotNull();
    return nc;
  }

  private static String publicKey(KubernetesClient c, String ns) {
    Secret s = c.secrets().inNamespace(ns).withName(PontoonNames.WIREGUARD_KEY_SECRET).get();
    return new String(Base64.getDecoder().decode(s.getData().get(PontoonNames.WIREGUARD_PUBLIC_KEY)), StandardCharsets.US_ASCII);
  }

  private String kubeconfig() {
    Secret s = env.c1.client().secrets().inNamespace("pontoon-tenant-cluster-2")
        .withName(PontoonNames.PEER_CREDENTIALS_SECRET).get();
    return new String(Base64.getDecoder().decode(s.getData().get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY)),
        StandardCharsets.UTF_8);
  }

  static boolean can(KubernetesClient admin, String user, String ns, String verb, String group, String resource) {
    return admin.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(user).withNewResourceAttributes().withNamespace(ns).withVerb(verb).withGroup(group)
        .withResource(resource).endResourceAttributes().endSpec().build()).getStatus().getAllowed();
  }

  static void expectForbidden(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).isEqualTo(403));
  }
}
