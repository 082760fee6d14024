package io.pontoon.cli.peering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.DiscoveryType;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.ZoneRecords;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.discovery.DiscoveredClusters;
import io.pontoon.peering.discovery.DiscoveryComponent;
import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.junit.HostRequirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's unicast discovery against a real dnsmasq: cluster-1's agent browses a domain
 * announcing cluster-1 itself, cluster-2 and a third cluster; it records cluster-2 and the third
 * as discovered ForeignClusters (never itself), forgets the third once it is no longer published,
 * and {@code pontoon peer --discovered cluster-2 --token T} peers with the URL and fingerprint
 * from the announcement.
 */
class DiscoveredPeeringIT {
  private static final String DOMAIN = "clusters.pontoon.test";
  private static final String THIRD_ID = "0b6c2f6e-1c1a-4a8e-9b3e-3f9b2a1c0d7e";
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run pontoon(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = PontoonCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void discoversIgnoresItselfExpiresAndPeersWithADiscoveredCluster() throws Exception {
    HostRequirements.check().tool("dnsmasq", "dnsmasq-base").orSkip();
    int dnsPort = freePort();
    List<Process> dnsmasq = new ArrayList<>();
    try (SandboxCluster c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
         SandboxCluster c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(1).withTimings(ClusterSpec.Timings.fast()))) {
      Agent a2 = new Agent(AgentConfig.local("cluster-2"), c2.client()).withLauncher(VirtualKubeletLauncher.none());
      Agent a1 = new Agent(AgentConfig.local("cluster-1"), c1.client()).withLauncher(VirtualKubeletLauncher.none())
          .withComponent(new DiscoveryComponent(DiscoveryComponent.Settings.of(List.of(DOMAIN),
              List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), dnsPort)), false, List.of())
              .withIntervals(Duration.ofMillis(500), Duration.ofMillis(500))));
      try {
        a2.start();
        a1.start();
        String k1 = c1.writeAdminKubeconfig(tmp.resolve("c1.kubeconfig")).toString();
        Announcement self = announcement(a1);
        Announcement second = announcement(a2);
        Announcement third = Announcement.of(THIRD_ID, "cluster-3", "127.0.0.1", 1, "sha256:" + "ab".repeat(32));
        dnsmasq.add(dnsmasq(dnsPort, List.of(self, second, third)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          ForeignCluster fc = c1.client().resources(ForeignCluster.class).withName("cluster-2").get();
          assertThat(fc).isNotNull();
          assertThat(fc.getSpec().getDiscoveryType()).isEqualTo(DiscoveryType.DNS);
          assertThat(fc.getSpec().getPeeringURL()).isEqualTo(a2.peeringUrl());
          assertThat(fc.getSpec().getFingerprint()).isEqualTo(a2.fingerprint());
          // the object is created first and its status written after
          assertThat(fc.getStatus()).as("status of ForeignCluster cluster-2").isNotNull();
          assertThat(fc.getStatus().getLastSeen()).isNotBlank();
          assertThat(c1.client().resources(ForeignCluster.class).withName("cluster-3").get()).isNotNull();
        });
        assertThat(c1.client().resources(ForeignCluster.class).withName("cluster-1").get()).as("own announcement").isNull();

        // cluster-3 no longer published: forgotten (it was never peered).
        stop(dnsmasq.remove(0));
        dnsmasq.add(dnsmasq(dnsPort, List.of(self, second)));
        await().atMost(Duration.ofSeconds(30))
            .until(() -> c1.client().resources(ForeignCluster.class).withName("cluster-3").get() == null);

        Run none = pontoon("--kubeconfig", k1, "peer", "--discovered", "cluster-9", "--token", validLookingToken());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.out() + none.err()).contains("no cluster named cluster-9 was discovered here");
        Run noToken = pontoon("--kubeconfig", k1, "peer", "--discovered", "cluster-2");
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("--discovered needs --token");

        String token = new TokenStore(c2.client()).create(Duration.ofMinutes(5), true).secret();
        Run peer = pontoon("--kubeconfig", k1, "peer", "--discovered", "cluster-2", "--token", token);
        assertThat(peer.code()).as(peer.out() + peer.err()).isZero();
        assertThat(peer.out()).contains("found cluster-2 by discovery (DNS) at " + a2.peeringUrl(),
            "✔ handshake: authenticated, credentials stored");
        ForeignCluster fc = c1.client().resources(ForeignCluster.class).withName("cluster-2").get();
        assertThat(fc.getSpec().getOutgoingEnabled()).isTrue();
        assertThat(Conditions.isTrue(fc.getStatus().getConditions(), PontoonNames.ConditionTypes.AUTHENTICATED)).isTrue();
        assertThat(Conditions.isTrue(fc.getStatus().getConditions(), DiscoveredClusters.DISCOVERED)).isTrue();
      } finally {
        a1.close();
        a2.close();
      }
    } finally {
      dnsmasq.forEach(DiscoveredPeeringIT::stop);
    }
  }

  private static String validLookingToken() {
    return "0123456789abcdef." + "A".repeat(43);
  }

  private static Announcement announcement(Agent a) {
    var u = java.net.URI.create(a.peeringUrl());
    return Announcement.of(a.identity().id(), a.identity().name(), u.getHost(), u.getPort(), a.fingerprint());
  }

  /** A real dnsmasq serving PTR, SRV, TXT and A records of the announcements (TTL 1 s). */
  private Process dnsmasq(int port, List<Announcement> announcements) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-", "--pid-file",
        "--user=root", "--conf-file=/dev/null", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
        "--no-resolv", "--no-hosts", "--local=/" + DOMAIN + "/", "--local-ttl=1", "--cache-size=0"));
    for (Announcement a : announcements) {
      ZoneRecords r = ZoneRecords.of(DOMAIN, a, Duration.ofSeconds(1), List.of());
      cmd.add("--ptr-record=" + r.serviceName() + "," + r.instanceName());
      cmd.add("--srv-host=" + r.instanceName() + "," + r.target() + "," + a.port() + ",0,0");
      cmd.add("--txt-record=" + r.instanceName() + "," + String.join(",", a.txt()));
      r.addresses().forEach(addr -> cmd.add("--host-record=" + r.target() + "," + addr.getHostAddress()));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("dnsmasq-" + System.nanoTime() + ".log").toFile()).start();
    // Listening once the port is taken for UDP.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      assertThat(p.isAlive()).as("dnsmasq exited").isTrue();
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return false;
      } catch (IOException e) {
        return true;
      }
    });
    return p;
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, 0));
           ServerSocket t = new ServerSocket(u.getLocalPort(), 1, lo)) {
        return u.getLocalPort();
      } catch (IOException e) {
        // taken for TCP; try another
      }
    }
    throw new IOException("no free loopback port");
  }
}
