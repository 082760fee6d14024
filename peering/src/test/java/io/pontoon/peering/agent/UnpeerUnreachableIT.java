package io.pontoon.peering.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Unpeer while the provider's agent is gone: finished locally within the timeout, said so, no finalizer left. */
class UnpeerUnreachableIT {
  @Test
  void finishesLocallyAndSaysSo() throws Exception {
    try (TwoClusters env = new TwoClusters()) {
      env.requestPeering(true);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          TwoClusters.isTrue(env.c1.client(), "cluster-2", ConditionTypes.AUTHENTICATED));
      env.a2.close();
      long t0 = System.nanoTime();
      env.c1.client().resources(ForeignCluster.class).withName("cluster-2").delete();
      await().atMost(Duration.ofSeconds(30)).until(() ->
          env.c1.client().resources(ForeignCluster.class).withName("cluster-2").get() == null);
      System.out.printf("unpeer with the provider unreachable took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          env.c1.client().namespaces().withName("pontoon-tenant-cluster-2").get() == null);
      assertThat(env.c1.client().v1().events().inNamespace("default").list().getItems())
          .filteredOn(e -> PeeringRequests.EVENT_UNPEERED.equals(e.getReason()))
          .anySatisfy(e -> assertThat(e.getMessage()).contains("could not be told", "finished locally"));
      // The provider was never told: its tenant is still there, to be removed on its side.
      assertThat(env.c2.client().namespaces().withName(PontoonNames.tenantNamespace("cluster-1")).get()).isNotNull();
    }
  }
}
