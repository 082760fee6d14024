package io.pontoon.peering.foreigncluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.DiscoveryType;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterSpec;
import io.pontoon.api.v1alpha1.ForeignClusterStatus;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A user's peer request against a record that the agent and discovery keep writing. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeeringRequestsIT {
  private KubernetesClient client;

  @BeforeAll
  void start(SandboxApiServer server) throws Exception {
    client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    Crds.install(client, Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
  }

  @Test
  void aRequestOnADiscoveredRecordSurvivesConcurrentStatusWrites() throws Exception {
    String id = UUID.randomUUID().toString();
    ForeignCluster discovered = new ForeignCluster();
    discovered.getMetadata().setName("busy");
    ForeignClusterSpec spec = new ForeignClusterSpec();
    spec.setClusterID(id);
    spec.setClusterName("busy");
    spec.setDiscoveryType(DiscoveryType.DNS);
    discovered.setSpec(spec);
    var fcs = client.resources(ForeignCluster.class);
    fcs.resource(discovered).create();

    // A writer like discovery's refresh: a status write as fast as the server takes them.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    Thread writer = new Thread(() -> {
      while (!stop.get()) {
        ForeignCluster cur = fcs.withName("busy").get();
        ForeignClusterStatus st = cur.getStatus() == null ? new ForeignClusterStatus() : cur.getStatus();
        List<io.fabric8.kubernetes.api.model.Condition> conds = new ArrayList<>(
            st.getConditions() == null ? List.of() : st.getConditions());
        Conditions.set(conds, Conditions.of("Discovered", PontoonNames.ConditionStatus.TRUE, "Seen",
            "seen " + writes.get(), null));
        st.setConditions(conds);
        cur.setStatus(st);
        try {
          fcs.resource(cur).updateStatus();
          writes.incrementAndGet();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() != 409) throw e;
        }
      }
    }, "status-writer");
    writer.start();
    try {
      for (int i = 0; i < 20; i++) {
        PeeringRequests.request(client, id, "busy", "https://192.0.2.1:" + (8000 + i), "sha256:" + "ab".repeat(32),
            "token-" + i);
        ForeignCluster after = fcs.withName("busy").get();
        assertThat(after.getSpec().getOutgoingEnabled()).isTrue();
        assertThat(after.getSpec().getPeeringURL()).isEqualTo("https://192.0.2.1:" + (8000 + i));
        assertThat(after.getSpec().getDiscoveryType()).as("the discovered record is kept, not replaced")
            .isEqualTo(DiscoveryType.DNS);
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(writes.get()).as("the status writer really raced the requests").isGreaterThan(20);
  }
}
