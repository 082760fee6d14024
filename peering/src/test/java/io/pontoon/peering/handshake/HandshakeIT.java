package io.pontoon.peering.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.peering.identity.Pem;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provider's side of the handshake over real HTTPS: tokens, identities, replays, unpeer rights. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandshakeIT {
  private ProviderFixture provider;

  @BeforeAll
  void start(SandboxApiServer server) throws Exception {
    provider = new ProviderFixture(server, "provider");
  }

  @AfterAll
  void stop() {
    provider.close();
  }

  @Test
  @Order(1)
  void wrongExpiredRevokedAndUsedTokensAreRefusedWithDistinctMessages() {
    ProviderFixture.Consumer a = ProviderFixture.Consumer.fresh("consumer-a");
    ProviderFixture.Consumer b = ProviderFixture.Consumer.fresh("consumer-b");
    String used = provider.token();
    assertThat(provider.handshake(a.request(used)).certificate()).contains("BEGIN CERTIFICATE");

    String wrong = "0123456789abcdef." + "A".repeat(43);
    String expired = new TokenStore(provider.client, Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC))
        .create(Duration.ofHours(1), false).secret();
    var revokedToken = provider.tokens.create(Duration.ofHours(1), false);
    provider.tokens.revoke(revokedToken.info().id());
    String tamperedSecret = used.substring(0, 17) + (used.charAt(17) == 'A' ? 'B' : 'A') + used.substring(18);

    List<PeeringException> refusals = new ArrayList<>();
    for (String t : List.of(wrong, expired, revokedToken.secret(), used, tamperedSecret)) {
      refusals.add(catchThrowableOfType(PeeringException.class, () -> provider.handshake(b.request(t))));
    }
    assertThat(refusals).extracting(PeeringException::reason).containsExactly(
        PontoonNames.Reasons.TOKEN_INVALID, PontoonNames.Reasons.TOKEN_EXPIRED, PontoonNames.Reasons.TOKEN_REVOKED,
        PontoonNames.Reasons.TOKEN_ALREADY_USED, PontoonNames.Reasons.TOKEN_INVALID);
    assertThat(refusals).allSatisfy(e -> assertThat(e.status()).isEqualTo(401));
    assertThat(refusals.subList(0, 4).stream().map(Throwable::getMessage).distinct()).hasSize(4);
    assertThat(refusals.get(1).getMessage()).contains("expired");
    // Nothing of consumer-b exists on the provider.
    assertThat(provider.client.namespaces().withName("pontoon-tenant-consumer-b").get()).isNull();
    assertThat(provider.client.resources(ForeignCluster.class).withName("consumer-b").get()).isNull();
  }

  @Test
  @Order(2)
  void peeringWithItselfIsRefused() {
    var me = provider.agent.identity();
    var req = new Messages.HandshakeRequest(provider.token(), new Messages.ClusterRef(me.id(), me.name()),
        ConsumerCsr.generate(me.id()).csrPem(), new Messages.Network("10.244.0.0/16", "10.96.0.0/12"), null, null, java.util.Map.of());
    PeeringException e = catchThrowableOfType(PeeringException.class, () -> provider.handshake(req));
    assertThat(e.reason()).isEqualTo(Reasons.SELF_PEERING);
    assertThat(e.getMessage()).contains("cannot peer with itself");
  }

  @Test
  @Order(3)
  void aReplayedHandshakeCreatesNothingNew() {
    ProviderFixture.Consumer c = ProviderFixture.Consumer.fresh("consumer-replay");
    var req = c.request(provider.token());
    var first = provider.handshake(req);
    Set<String> before = inventory(provider.client);
    var second = provider.handshake(req);
    assertThat(inventory(provider.client)).isEqualTo(before);
    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(second.assignedPodCIDR()).isEqualTo(first.assignedPodCIDR());
    assertThat(second.gateway().publicKey()).isEqualTo(first.gateway().publicKey()).matches(PontoonNames.WIREGUARD_KEY_PATTERN);
    // The certificate names the tenant user and nothing else.
    var cert = Pem.certificate(first.certificate());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + PontoonNames.tenantUser(c.id()));
  }

  @Test
  @Order(4)
  void aCsrForAnotherIdentityOrWithGroupsIsRefused() throws Exception {
    ProviderFixture.Consumer c = ProviderFixture.Consumer.fresh("consumer-csr");
    String other = ProviderFixture.Consumer.fresh("x").id();
    for (String subject : List.of("CN=" + PontoonNames.tenantUser(other),
        "CN=" + PontoonNames.tenantUser(c.id()) + ",O=system:masters", "CN=admin")) {
      var req = new Messages.HandshakeRequest(provider.token(), new Messages.ClusterRef(c.id(), c.name()), csr(subject),
          new Messages.Network("10.244.0.0/16", "10.96.0.0/12"), null, null, java.util.Map.of());
      PeeringException e = catchThrowableOfType(PeeringException.class, () -> provider.handshake(req));
      assertThat(e.reason()).as(subject).isEqualTo(Reasons.INVALID_REQUEST);
      assertThat(e.getMessage()).contains("CN=" + PontoonNames.tenantUser(c.id()));
    }
    assertThat(provider.client.namespaces().withName("pontoon-tenant-consumer-csr").get()).isNull();
  }

  @Test
  @Order(5)
  void onlyTheTenantItselfMayUnpeer() {
    ProviderFixture.Consumer a = ProviderFixture.Consumer.fresh("consumer-del-a");
    ProviderFixture.Consumer b = ProviderFixture.Consumer.fresh("consumer-del-b");
    var ra = provider.handshake(a.request(provider.token()));
    provider.handshake(b.request(provider.token()));
    HandshakeClient hc = new HandshakeClient(Duration.ofSeconds(30));
    var certA = Pem.certificate(ra.certificate());
    var keyA = Pem.privateKey(a.csr().privateKeyPem());
    // a's certificate cannot end b's peering.
    PeeringException e = catchThrowableOfType(PeeringException.class,
        () -> hc.unpeer(provider.agent.peeringUrl(), provider.agent.fingerprint(), b.id(), certA, keyA, false));
    assertThat(e.status()).isEqualTo(403);
    assertThat(provider.client.namespaces().withName("pontoon-tenant-consumer-del-b").get()).isNotNull();
    // A self-made certificate with the right name is not one this cluster issued.
    hc.unpeer(provider.agent.peeringUrl(), provider.agent.fingerprint(), a.id(), certA, keyA, false);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> provider.client.namespaces().withName("pontoon-tenant-consumer-del-a").get() == null);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> provider.client.resources(ForeignCluster.class).withName("consumer-del-a").get() == null);
    assertThat(provider.client.rbac().roleBindings().inAnyNamespace().list().getItems().stream()
        .anyMatch(rb -> rb.getSubjects().stream().anyMatch(s -> s.getName().equals(PontoonNames.tenantUser(a.id()))))).isFalse();
  }

  @Test
  @Order(6)
  void aSelfSignedCertificateWithTheTenantsNameCannotUnpeer() throws Exception {
    ProviderFixture.Consumer a = ProviderFixture.Consumer.fresh("consumer-forge");
    provider.handshake(a.request(provider.token()));
    var forged = io.pontoon.peering.identity.PeeringTls.generate("forger", List.of());
    // Re-issue a self-signed certificate whose subject is the tenant user.
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    var name = new X500Name("CN=" + PontoonNames.tenantUser(a.id()));
    var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
        java.util.Date.from(Instant.now().minusSeconds(60)), java.util.Date.from(Instant.now().plusSeconds(3600)), name, kp.getPublic());
    var cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    PeeringException e = catchThrowableOfType(PeeringException.class, () -> new HandshakeClient(Duration.ofSeconds(30))
        .unpeer(provider.agent.peeringUrl(), provider.agent.fingerprint(), a.id(), cert, kp.getPrivate(), false));
    assertThat(e.status()).isEqualTo(403);
    assertThat(forged).isNotNull();
    assertThat(provider.client.namespaces().withName("pontoon-tenant-consumer-forge").get()).isNotNull();
  }

  @Test
  @Order(7)
  void keepNamespacesKeepsTwinNamespacesButNotTheRights() {
    ProviderFixture.Consumer a = ProviderFixture.Consumer.fresh("consumer-keep");
    var r = provider.handshake(a.request(provider.token()));
    provider.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("app-consumer-keep").addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TWIN_NAMESPACE)
        .addToLabels(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, a.id()).endMetadata().build()).create();
    provider.client.rbac().roleBindings().inNamespace("app-consumer-keep").resource(
        io.pontoon.peering.tenant.TenantProvisioner.binding("app-consumer-keep", a.id())).create();
    new HandshakeClient(Duration.ofSeconds(30)).unpeer(provider.agent.peeringUrl(), provider.agent.fingerprint(), a.id(),
        Pem.certificate(r.certificate()), Pem.privateKey(a.csr().privateKeyPem()), true);
    assertThat(provider.client.namespaces().withName("app-consumer-keep").get()).isNotNull();
    assertThat(provider.client.rbac().roleBindings().inNamespace("app-consumer-keep").list().getItems()).isEmpty();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> provider.client.namespaces().withName("pontoon-tenant-consumer-keep").get() == null);
  }

  @Test
  @Order(8)
  void aProviderOutOfCidrsSaysSo(SandboxApiServer server) throws Exception {
    // The gateway's IPAM whose only pool is the cluster's own pod CIDR: nothing is ever free.
    var own = io.pontoon.gateway.ipam.Cidr.parse("10.244.0.0/16");
    var config = io.pontoon.gateway.ipam.IpamConfig.of(own, io.pontoon.gateway.ipam.Cidr.parse("10.96.0.0/12"))
        .withPools(List.of(own));
    // A second agent on the same API server, with an IPAM that has nothing left.
    try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(server.adminConfig()).build();
        var agent = new io.pontoon.peering.agent.Agent(io.pontoon.peering.agent.AgentConfig.local("provider"), client)
            .withLauncher(io.pontoon.peering.foreigncluster.VirtualKubeletLauncher.none()).withCidrAssigner(new io.pontoon.peering.network.IpamCidrAssigner(client, config))) {
      agent.start();
      ProviderFixture.Consumer c = ProviderFixture.Consumer.fresh("consumer-nocidr");
      PeeringException e = catchThrowableOfType(PeeringException.class, () -> new HandshakeClient(Duration.ofSeconds(30))
          .handshake(agent.peeringUrl(), agent.fingerprint(), c.request(provider.token())));
      assertThat(e.reason()).isEqualTo(PontoonNames.Reasons.CIDR_EXHAUSTED);
      assertThat(e.getMessage()).contains("no free /16 block for peer consumer-nocidr", "widen");
    }
  }

  @Test
  @Order(9)
  void failedTokenAttemptsAreRateLimitedPerSource() {
    ProviderFixture.Consumer c = ProviderFixture.Consumer.fresh("consumer-brute");
    PeeringException last = null;
    for (int i = 0; i < 12; i++) {
      String guess = String.format("%016x", i) + "." + "B".repeat(43);
      last = catchThrowableOfType(PeeringException.class, () -> provider.handshake(c.request(guess)));
      if (last.status() == 429) break;
    }
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.reason()).isEqualTo(Reasons.RATE_LIMITED);
    // Even the right token waits now: guessing cannot continue in the window.
    PeeringException blocked = catchThrowableOfType(PeeringException.class, () -> provider.handshake(c.request(provider.token())));
    assertThat(blocked.status()).isEqualTo(429);
  }

  private static String csr(String subject) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    return Pem.encode(new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
  }

  /** Every object kind the handshake writes, by kind/namespace/name. */
  static Set<String> inventory(KubernetesClient c) {
    Set<String> out = new TreeSet<>();
    Stream.of(c.namespaces().list().getItems(), c.rbac().roles().inAnyNamespace().list().getItems(),
            c.rbac().roleBindings().inAnyNamespace().list().getItems(), c.secrets().inAnyNamespace().list().getItems(),
            c.certificates().v1().certificateSigningRequests().list().getItems(),
            c.resources(ResourceSlice.class).inAnyNamespace().list().getItems(),
            c.resources(ForeignCluster.class).list().getItems())
        .flatMap(List::stream)
        .map(o -> ((HasMetadata) o).getKind() + "/" + ((HasMetadata) o).getMetadata().getNamespace() + "/"
            + ((HasMetadata) o).getMetadata().getName() + "@" + ((HasMetadata) o).getMetadata().getUid())
        .forEach(out::add);
    return out;
  }
}
