package io.pontoon.cli.peering;

import io.pontoon.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The user commands against two sandbox clusters with their agents: token, peer, status, unpeer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerStatusUnpeerIT {
  @TempDir static Path tmp;
  private SandboxCluster c1;
  private SandboxCluster c2;
  private Agent a1;
  private Agent a2;
  private String k1;
  private String k2;


  @BeforeAll
  void start() throws Exception {
    c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    a1 = new Agent(AgentConfig.local("cluster-1"), c1.client()).withLauncher(VirtualKubeletLauncher.none());
    a2 = new Agent(AgentConfig.local("cluster-2"), c2.client()).withLauncher(VirtualKubeletLauncher.none());
    a1.start();
    a2.start();
    k1 = c1.writeAdminKubeconfig(tmp.resolve("c1.kubeconfig")).toString();
    k2 = c2.writeAdminKubeconfig(tmp.resolve("c2.kubeconfig")).toString();
  }

  @AfterAll
  void stop() {
    a1.close();
    a2.close();
    c1.close();
    c2.close();
  }

  static CliRun pontoon(String... args) {
    return CliRun.run(args);
  }

  @Test
  @Order(1)
  void usageErrorsAndActionableFailures() {
    CliRun both = pontoon("--kubeconfig", k1, "peer", "--url", "https://127.0.0.1:1", "--remote-kubeconfig", k2);
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("either --url, --fingerprint and --token, or --remote-kubeconfig");
    CliRun self = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k1);
    assertThat(self.code()).isEqualTo(1);
    assertThat(self.err()).contains("cannot peer with itself");
    CliRun wrongFp = pontoon("--kubeconfig", k1, "peer", "--url", a2.peeringUrl(), "--fingerprint",
        "sha256:" + "0".repeat(64), "--token", "0123456789abcdef." + "A".repeat(43));
    assertThat(wrongFp.code()).isEqualTo(1);
    assertThat(wrongFp.out()).contains("✖ verify the provider's certificate");
    assertThat(wrongFp.err()).contains("expected sha256:" + "0".repeat(64), "presented certificate " + a2.fingerprint());
    CliRun unreachable = pontoon("--kubeconfig", k1, "peer", "--url", "https://127.0.0.1:1", "--fingerprint",
        a2.fingerprint(), "--token", "0123456789abcdef." + "A".repeat(43));
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("cannot reach the peering service at https://127.0.0.1:1");
    CliRun badToken = pontoon("--kubeconfig", k1, "peer", "--url", a2.peeringUrl(), "--fingerprint", a2.fingerprint(),
        "--token", "0123456789abcdef." + "A".repeat(43), "--timeout", "30s");
    assertThat(badToken.code()).as(badToken.out() + badToken.err()).isEqualTo(1);
    assertThat(badToken.err()).contains("TokenInvalid", "create a new one with 'pontoon token'");
    pontoon("--kubeconfig", k1, "unpeer", "cluster-2", "--timeout", "30s");
    Path nobody = tmp.resolve("nobody.kubeconfig");
    try {
      java.nio.file.Files.writeString(nobody, c1.apiServer().kubeconfigFor("nobody", java.util.List.of()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CliRun denied = pontoon("--kubeconfig", nobody.toString(), "peer", "--remote-kubeconfig", k2);
    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.err()).contains("RBAC denied", "use a kubeconfig with cluster-admin rights");
  }

  @Test
  @Order(2)
  void tokenCommandPrintsAReadyPeerCommand() {
    CliRun token = pontoon("--kubeconfig", k2, "token", "--ttl", "1h", "--single-use");
    assertThat(token.code()).as(token.err()).isZero();
    assertThat(token.out()).containsPattern("pontoon peer --url " + a2.peeringUrl().replace(".", "\\.")
        + " --fingerprint " + a2.fingerprint() + " --token [0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");
    CliRun list = pontoon("--kubeconfig", k2, "token", "list", "-o", "json");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("\"singleUse\" : true").doesNotContain(token.out().split("--token ")[1].trim());
    String id = token.out().split("token ")[1].split(" ")[0];
    assertThat(pontoon("--kubeconfig", k2, "token", "revoke", id).out()).contains("✔ token " + id + " revoked");
    assertThat(pontoon("--kubeconfig", k2, "token", "revoke", "ffffffffffffffff").code()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void peerWithRemoteKubeconfigThenStatusThenUnpeer() throws Exception {
    CliRun peer = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k2, "--timeout", "60s");
    assertThat(peer.code()).as(peer.out() + peer.err()).isZero();
    assertThat(peer.out()).contains("✔ single-use token created on cluster-2", "✔ reached cluster-2",
        "✔ handshake: authenticated, credentials stored", "✔ resources granted", "✔ network CIDRs exchanged");

    CliRun again = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k2);
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already peered with cluster-2").doesNotContain("token created");

    // The virtual kubelet is not part of this test: a Ready node stands in for it.
    c1.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("pontoon-cluster-2")
        .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE).endMetadata().build()).create();
    c1.client().nodes().withName("pontoon-cluster-2").editStatus(n -> {
      n.setStatus(new NodeStatusBuilder().addNewCondition().withType("Ready").withStatus("True")
          .withReason("KubeletReady").endCondition().build());
      return n;
    });
    CliRun waited = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k2, "--wait", "--timeout", "30s");
    assertThat(waited.code()).as(waited.out() + waited.err()).isZero();
    assertThat(waited.out()).contains("✔ virtual node pontoon-cluster-2 Ready");

    CliRun table = pontoon("--kubeconfig", k1, "status");
    assertThat(table.code()).isZero();
    assertThat(table.out()).contains("cluster-2", "outgoing", "Peered").containsPattern("cpu=\\d+m");
    JsonNode json = new ObjectMapper().readTree(pontoon("--kubeconfig", k1, "status", "-o", "json").out());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).path("virtualNodeReady").asText()).isEqualTo("True");
    assertThat(json.get(0).path("conditions").findValuesAsText("type")).contains("Authenticated", "ResourcesGranted",
        "NetworkReady", "TunnelUp", "VirtualNodeReady", "APIServerReachable");
    assertThat(pontoon("--kubeconfig", k2, "status", "-o", "yaml").out()).contains("name: \"cluster-1\"", "incoming: true");

    CliRun unpeer = pontoon("--kubeconfig", k1, "unpeer", "cluster-2", "--timeout", "60s");
    assertThat(unpeer.code()).as(unpeer.out() + unpeer.err()).isZero();
    assertThat(unpeer.out()).contains("✔ unpeered cluster-2 on both sides");
    assertThat(c1.client().resources(ForeignCluster.class).list().getItems()).isEmpty();
    assertThat(c1.client().nodes().withName("pontoon-cluster-2").get()).isNull();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
        c2.client().resources(ForeignCluster.class).list().getItems().isEmpty()
            && c2.client().namespaces().withName("pontoon-tenant-cluster-1").get() == null);
    assertThat(pontoon("--kubeconfig", k1, "unpeer", "cluster-2").err()).contains("no peering with cluster-2");
  }

  @Test
  @Order(4)
  void bidirectionalPeersBothWays() {
    CliRun peer = pontoon("--kubeconfig", k1, "peer", "--remote-kubeconfig", k2, "--bidirectional", "--timeout", "60s");
    assertThat(peer.code()).as(peer.out() + peer.err()).isZero();
    assertThat(peer.out()).contains("and the other way: cluster-2 → cluster-1", "✔ reached cluster-1");
    assertThat(c1.client().resources(ForeignCluster.class).withName("cluster-2").get().getSpec().getIncomingEnabled()).isTrue();
    assertThat(c2.client().resources(ForeignCluster.class).withName("cluster-1").get().getSpec().getOutgoingEnabled()).isTrue();
    assertThat(pontoon("--kubeconfig", k1, "unpeer", "cluster-2", "--timeout", "60s").code()).isZero();
    assertThat(pontoon("--kubeconfig", k2, "unpeer", "cluster-1", "--timeout", "60s").code()).isZero();
  }
}
