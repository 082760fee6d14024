package io.pontoon.peering.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.DiscoveryType;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterPhase;
import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.Source;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
class DiscoveredClustersTest {
  static final String FP1 = "sha256:" + "11".repeat(32);
  static final String FP2 = "sha256:" + "22".repeat(32);
  static final ClusterIdentity SELF = new ClusterIdentity("00000000-0000-4000-8000-000000000001", "home");

  KubernetesClient client;
  TestClock clock = new TestClock();
  DiscoveredClusters clusters;

  @BeforeEach
  void setUp(SandboxApiServer server) {
    client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(client, Duration.ofSeconds(30));
    client.resources(ForeignCluster.class).delete();
    clusters = new DiscoveredClusters(client, SELF, clock);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  static Announcement announcement(String id, String name, int port, String fp) {
    return Announcement.of(id, name, "10.1.0.1", port, fp);
  }

  ForeignCluster fc(String name) {
    return client.resources(ForeignCluster.class).withName(name).get();
  }

  @Test
  void aLanAnnouncementBecomesADiscoveredForeignClusterThatExpires() {
    String id = UUID.randomUUID().toString();
    Source lan = Source.mdns("eth0", Duration.ofSeconds(120));
    clusters.onAppeared(announcement(id, "lan-one", 8443, FP1), lan);
    ForeignCluster fc = fc("lan-one");
    assertThat(fc.getSpec().getClusterID()).isEqualTo(id);
    assertThat(fc.getSpec().getClusterName()).isEqualTo("lan-one");
    assertThat(fc.getSpec().getPeeringURL()).isEqualTo("https://10.1.0.1:8443");
    assertThat(fc.getSpec().getFingerprint()).isEqualTo(FP1);
    assertThat(fc.getSpec().getDiscoveryType()).isEqualTo(DiscoveryType.LAN);
    assertThat(fc.getSpec().getOutgoingEnabled()).isFalse();
    assertThat(fc.getStatus().getPhase()).isEqualTo(ForeignClusterPhase.Discovered);
    assertThat(fc.getStatus().getLastSeen()).isEqualTo(Conditions.timestamp(clock.now));
    assertThat(fc.getStatus().getExpiresAt()).isEqualTo(Conditions.timestamp(clock.now.plusSeconds(120)));
    assertThat(fc.getStatus().getDiscoverySource()).isEqualTo("mdns:eth0");

    clusters.onUpdated(announcement(id, "lan-one", 9443, FP2), lan);
    assertThat(fc("lan-one").getSpec().getPeeringURL()).isEqualTo("https://10.1.0.1:9443");
    assertThat(fc("lan-one").getSpec().getFingerprint()).isEqualTo(FP2);

    // still announced: expire() keeps it and moves its expiry on
    clock.advance(Duration.ofSeconds(200));
    clusters.expire();
    assertThat(fc("lan-one").getStatus().getExpiresAt()).isEqualTo(Conditions.timestamp(clock.now.plusSeconds(120)));

    clusters.onGone(announcement(id, "lan-one", 9443, FP2), lan);
    assertThat(fc("lan-one")).isNull();
    assertThat(client.secrets().inAnyNamespace().list().getItems())
        .noneMatch(s -> s.getMetadata().getName().equals(PontoonNames.PEER_CREDENTIALS_SECRET));
    assertThat(client.nodes().list().getItems()).noneMatch(n -> n.getMetadata().getName().startsWith("pontoon-"));
  }

  @Test
  void aClusterNoLongerAnnouncedAfterARestartDisappearsAtItsExpiry() {
    String id = UUID.randomUUID().toString();
    clusters.onAppeared(announcement(id, "dns-one", 443, FP1), Source.dns("example.test", Duration.ofSeconds(60)));
    assertThat(fc("dns-one").getSpec().getDiscoveryType()).isEqualTo(DiscoveryType.DNS);
    // a new agent process: nothing is live in memory
    DiscoveredClusters restarted = new DiscoveredClusters(client, SELF, clock);
    clock.advance(Duration.ofSeconds(30));
    restarted.expire();
    assertThat(fc("dns-one")).isNotNull();
    clock.advance(Duration.ofSeconds(31));
    restarted.expire();
    assertThat(fc("dns-one")).isNull();
  }

  @Test
  void aPeeredClusterIsOnlyMarkedAndNeverRepinned() {
    String id = UUID.randomUUID().toString();
    Source lan = Source.mdns("eth0", Duration.ofSeconds(10));
    clusters.onAppeared(announcement(id, "peered", 8443, FP1), lan);
    client.resources(ForeignCluster.class).withName("peered").edit(f -> {
      f.getSpec().setOutgoingEnabled(true);
      return f;
    });
    // a spoofed announcement with another fingerprint does not re-pin a peered cluster
    clusters.onUpdated(announcement(id, "peered", 6666, FP2), lan);
    assertThat(fc("peered").getSpec().getFingerprint()).isEqualTo(FP1);
    assertThat(fc("peered").getSpec().getPeeringURL()).isEqualTo("https://10.1.0.1:8443");

    clusters.onGone(announcement(id, "peered", 8443, FP1), lan);
    ForeignCluster fc = fc("peered");
    assertThat(fc).isNotNull();
    Condition c = Conditions.find(fc.getStatus().getConditions(), DiscoveredClusters.DISCOVERED).orElseThrow();
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo(PontoonNames.Reasons.DISCOVERY_EXPIRED);
    clock.advance(Duration.ofMinutes(5));
    clusters.expire();
    assertThat(fc("peered")).isNotNull();
  }

  @Test
  void ownAnnouncementAndNameCollisionsAreIgnored() {
    clusters.onAppeared(announcement(SELF.id(), SELF.name(), 8443, FP1), Source.mdns("eth0", Duration.ofSeconds(10)));
    assertThat(fc(SELF.name())).isNull();

    String id = UUID.randomUUID().toString();
    clusters.onAppeared(announcement(id, "taken", 8443, FP1), Source.dns("a.test", Duration.ofSeconds(60)));
    String impostor = UUID.randomUUID().toString();
    clusters.onAppeared(announcement(impostor, "taken", 9999, FP2), Source.dns("b.test", Duration.ofSeconds(60)));
    assertThat(fc("taken").getSpec().getClusterID()).isEqualTo(id);
    assertThat(fc("taken").getSpec().getFingerprint()).isEqualTo(FP1);
    clusters.onGone(announcement(impostor, "taken", 9999, FP2), Source.dns("b.test", Duration.ofSeconds(60)));
    assertThat(fc("taken")).isNotNull();
  }

  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2031-05-01T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
