package io.pontoon.peering.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.Conditions;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.List;

/** Two sandbox clusters on the same pod and service CIDRs, each with an in-process agent: the fixture of the peering ITs. */
public final class TwoClusters implements AutoCloseable {
  public final SandboxCluster c1;
  public final SandboxCluster c2;
  public final Agent a1;
  public final Agent a2;
  public final RecordingLauncher l1 = new RecordingLauncher();
  public final RecordingLauncher l2 = new RecordingLauncher();

  public TwoClusters() throws Exception {
    c1 = SandboxCluster.start(ClusterSpec.defaults("cluster-1").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    c2 = SandboxCluster.start(ClusterSpec.defaults("cluster-2").withNodes(2).withTimings(ClusterSpec.Timings.fast()));
    a1 = new Agent(AgentConfig.local("cluster-1").withCidrs("10.244.0.0/16", "10.96.0.0/12"), c1.client()).withLauncher(l1);
    a2 = new Agent(AgentConfig.local("cluster-2").withCidrs("10.244.0.0/16", "10.96.0.0/12"), c2.client()).withLauncher(l2);
    a1.start();
    a2.start();
  }

  /** cluster-1 asks its agent to peer with cluster-2 using a fresh token. */
  public void requestPeering(boolean singleUse) {
    String token = new TokenStore(c2.client()).create(Duration.ofHours(1), singleUse).secret();
    PeeringRequests.request(c1.client(), a2.identity().id(), "cluster-2", a2.peeringUrl(), a2.fingerprint(), token);
  }

  public static List<Condition> conditions(KubernetesClient c, String fc) {
    ForeignCluster f = c.resources(ForeignCluster.class).withName(fc).get();
    return f == null || f.getStatus() == null || f.getStatus().getConditions() == null ? List.of() : f.getStatus().getConditions();
  }

  public static boolean isTrue(KubernetesClient c, String fc, String type) {
    return Conditions.isTrue(conditions(c, fc), type);
  }

  @Override
  public void close() {
    a1.close();
    a2.close();
    c1.close();
    c2.close();
  }
}
