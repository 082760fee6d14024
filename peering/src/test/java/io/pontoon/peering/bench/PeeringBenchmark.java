package io.pontoon.peering.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.agent.TwoClusters;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import io.pontoon.peering.foreigncluster.VirtualKubeletLauncher;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time from a peer request (what {@code pontoon peer} writes) to Authenticated, to
 * VirtualNodeReady (a stand-in launcher registers a Ready node at once, so this is the peering's
 * own share), and unpeer until the ForeignCluster is gone; 20 rounds, two sandbox clusters.
 */
@Tag("bench")
class PeeringBenchmark {
  private static final int ROUNDS = 20;

  /** Registers the virtual node as a virtual kubelet would, immediately. */
  private record NodeRegisteringLauncher(KubernetesClient home) implements VirtualKubeletLauncher {
    @Override
    public void ensureRunning(Peer peer) {
      if (home.nodes().withName(peer.nodeName()).get() != null) return;
      home.nodes().resource(new NodeBuilder().withNewMetadata().withName(peer.nodeName())
          .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE).endMetadata().build()).create();
      home.nodes().withName(peer.nodeName()).editStatus(n -> {
        n.setStatus(new NodeStatusBuilder().addNewCondition().withType("Ready").withStatus("True")
            .withReason("KubeletReady").endCondition().build());
        return n;
      });
    }

    @Override
    public void stop(String clusterName) {}

    @Override
    public boolean running(String clusterName) {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void peerToReadyAndUnpeer() throws Exception {
    try (SandboxCluster c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
        SandboxCluster c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
        Agent a1 = new Agent(AgentConfig.local("cluster-1").withRefresh(Duration.ofMillis(200)), c1.client())
            .withLauncher(new NodeRegisteringLauncher(c1.client()));
        Agent a2 = new Agent(AgentConfig.local("cluster-2"), c2.client()).withLauncher(VirtualKubeletLauncher.none())) {
      a1.start();
      a2.start();
      List<Long> auth = new ArrayList<>();
      List<Long> ready = new ArrayList<>();
      List<Long> unpeer = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        String token = new TokenStore(c2.client()).create(Duration.ofMinutes(5), true).secret();
        long t0 = System.nanoTime();
        PeeringRequests.request(c1.client(), a2.identity().id(), "cluster-2", a2.peeringUrl(), a2.fingerprint(), token);
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
            .until(() -> TwoClusters.isTrue(c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED));
        auth.add((System.nanoTime() - t0) / 1_000_000);
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
            .until(() -> TwoClusters.isTrue(c1.client(), "cluster-2", ConditionTypes.VIRTUAL_NODE_READY));
        ready.add((System.nanoTime() - t0) / 1_000_000);
        long t1 = System.nanoTime();
        c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
            .until(() -> c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null
                && c1.client().namespaces().withName("pontoon-tenant-cluster-2").get() == null
                && c2.client().namespaces().withName("pontoon-tenant-cluster-1").get() == null);
        unpeer.add((System.nanoTime() - t1) / 1_000_000);
      }
      System.out.println();
      System.out.printf("%-40s %8s %8s %8s %8s%n", "PeeringBenchmark (" + ROUNDS + " rounds, ms)", "first", "median", "p90", "max");
      row("peer request -> Authenticated", auth);
      row("peer request -> VirtualNodeReady", ready);
      row("unpeer -> both tenants gone", unpeer);
    }
  }

  private static void row(String name, List<Long> ms) {
    List<Long> s = new ArrayList<>(ms);
    long first = s.get(0);
    Collections.sort(s);
    System.out.printf("%-40s %8d %8d %8d %8d%n", name, first, s.get(s.size() / 2), s.get((int) Math.ceil(s.size() * 0.9) - 1),
        s.get(s.size() - 1));
  }
}
