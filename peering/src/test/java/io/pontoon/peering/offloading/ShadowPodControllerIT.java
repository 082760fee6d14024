package io.pontoon.peering.offloading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.Conditions;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.ResourceSliceStatus;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provider's ShadowPod controller on a sandbox cluster whose kubelets really run the pods. */
class ShadowPodControllerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  static SandboxCluster cluster;
  static KubernetesClient client;
  static ShadowPodController controller;

  @BeforeAll
  static void start() {
    cluster = SandboxCluster.start(ClusterSpec.defaults("provider").withNodes(2).withTimings(ClusterSpec.Timings.fast()));
    client = cluster.client();
    Crds.install(client, Duration.ofSeconds(30));
    controller = new ShadowPodController(client, 4);
    controller.start();
  }

  @AfterAll
  static void stop() {
    if (controller != null) controller.close();
    if (cluster != null) cluster.close();
  }

  private static String origin() {
    return UUID.randomUUID().toString();
  }

  private static ShadowPod get(String ns, String name) {
    return client.resources(ShadowPod.class).inNamespace(ns).withName(name).get();
  }

  private static Pod pod(String ns, String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  @Test
  void shadowPodBecomesARunningPodWhoseStatusIsCopiedBack() {
    Fixtures.namespace(client, "twin-run");
    String origin = origin();
    ShadowPod sp = client.resources(ShadowPod.class).inNamespace("twin-run")
        .resource(Fixtures.shadowPod("twin-run", "web", origin, "home", Fixtures.server("100m"))).create();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      Pod p = pod("twin-run", "web");
      assertThat(p).isNotNull();
      assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getUid()).isEqualTo(sp.getMetadata().getUid());
        assertThat(o.getKind()).isEqualTo("ShadowPod");
        assertThat(o.getController()).isTrue();
      });
      assertThat(p.getMetadata().getLabels()).containsEntry("app", "web")
          .containsEntry(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin)
          .containsEntry(PontoonNames.LABEL_HOME_POD_UID, sp.getSpec().getHomePodUID());
      assertThat(p.getMetadata().getAnnotations()).containsEntry("note", "from-home")
          .containsEntry(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME, "home");
      ShadowPod now = get("twin-run", "web");
      assertThat(now.getMetadata().getFinalizers()).contains(PontoonNames.FINALIZER_SHADOW_POD);
      assertThat(now.getStatus().getPod().getPhase()).isEqualTo("Running");
      assertThat(now.getStatus().getPod().getPodIP()).isNotBlank().isEqualTo(pod("twin-run", "web").getStatus().getPodIP());
      assertThat(Conditions.isTrue(now.getStatus().getConditions(), ConditionTypes.ADMITTED)).isTrue();
      assertThat(Conditions.isTrue(now.getStatus().getConditions(), ConditionTypes.POD_CREATED)).isTrue();
    });
  }

  @Test
  void deletedPodIsCreatedAgain() {
    Fixtures.namespace(client, "twin-recreate");
    client.resources(ShadowPod.class).inNamespace("twin-recreate")
        .resource(Fixtures.shadowPod("twin-recreate", "api", origin(), "home", Fixtures.server("100m"))).create();
    await().atMost(DEADLINE).ignoreExceptions().until(() -> pod("twin-recreate", "api") != null);
    String firstUid = pod("twin-recreate", "api").getMetadata().getUid();

    client.pods().inNamespace("twin-recreate").withName("api").withGracePeriod(0).delete();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      Pod p = pod("twin-recreate", "api");
      assertThat(p).isNotNull();
      assertThat(p.getMetadata().getUid()).isNotEqualTo(firstUid);
      assertThat(get("twin-recreate", "api").getStatus().getPod().getPhase()).isEqualTo("Running");
    });
  }

  @Test
  void terminalPodIsNotCreatedAgain() {
    Fixtures.namespace(client, "twin-job");
    client.resources(ShadowPod.class).inNamespace("twin-job")
        .resource(Fixtures.shadowPod("twin-job", "once", origin(), "home", Fixtures.command("Never", 1, "true"))).create();
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() ->
        assertThat(get("twin-job", "once").getStatus().getPod().getPhase()).isEqualTo("Succeeded"));

    client.pods().inNamespace("twin-job").withName("once").withGracePeriod(0).delete();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> assertThat(
        Conditions.find(get("twin-job", "once").getStatus().getConditions(), ConditionTypes.POD_CREATED))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo(ShadowPodController.REASON_POD_TERMINATED);
        }));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
        .until(() -> pod("twin-job", "once") == null);
    assertThat(get("twin-job", "once").getStatus().getPod().getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void overQuotaShadowPodIsRefusedUntilTheGrantGrows() {
    String origin = origin();
    String tenant = PontoonNames.tenantNamespace("quota-home");
    Fixtures.namespace(client, tenant);
    Fixtures.namespace(client, "twin-quota");
    ResourceSlice slice = new ResourceSlice();
    slice.getMetadata().setName("quota-home");
    slice.getMetadata().setNamespace(tenant);
    slice.getSpec().setConsumerClusterID(origin);
    slice.getSpec().setProviderClusterID(UUID.randomUUID().toString());
    slice.getSpec().setResources(Map.of("cpu", new Quantity("1"), "pods", new Quantity("10")));
    slice = client.resources(ResourceSlice.class).inNamespace(tenant).resource(slice).create();
    slice.setStatus(new ResourceSliceStatus());
    slice.getStatus().setResources(Map.of("cpu", new Quantity("1"), "pods", new Quantity("10")));
    client.resources(ResourceSlice.class).inNamespace(tenant).resource(slice).updateStatus();

    client.resources(ShadowPod.class).inNamespace("twin-quota")
        .resource(Fixtures.shadowPod("twin-quota", "first", origin, "quota-home", Fixtures.server("600m"))).create();
    await().atMost(DEADLINE).ignoreExceptions().until(() -> pod("twin-quota", "first") != null);
    client.resources(ShadowPod.class).inNamespace("twin-quota")
        .resource(Fixtures.shadowPod("twin-quota", "second", origin, "quota-home", Fixtures.server("600m"))).create();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      ShadowPod second = get("twin-quota", "second");
      assertThat(Conditions.find(second.getStatus().getConditions(), ConditionTypes.ADMITTED)).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo(PontoonNames.Reasons.QUOTA_EXCEEDED);
        assertThat(c.getMessage()).contains("cpu requested 0.6").contains("0.6 in use").contains("granted 1");
      });
    });
    assertThat(pod("twin-quota", "second")).isNull();

    ResourceSlice current = client.resources(ResourceSlice.class).inNamespace(tenant).withName("quota-home").get();
    current.getStatus().setResources(Map.of("cpu", new Quantity("2"), "pods", new Quantity("10")));
    client.resources(ResourceSlice.class).inNamespace(tenant).resource(current).updateStatus();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(pod("twin-quota", "second")).isNotNull();
      assertThat(Conditions.isTrue(get("twin-quota", "second").getStatus().getConditions(), ConditionTypes.ADMITTED)).isTrue();
    });
  }

  @Test
  void deletingTheShadowPodDeletesThePodGracefullyThenReleasesTheFinalizer() {
    Fixtures.namespace(client, "twin-delete");
    client.resources(ShadowPod.class).inNamespace("twin-delete").resource(Fixtures.shadowPod("twin-delete", "slow",
        origin(), "home", Fixtures.command("Always", 3, "sh", "-c", "trap '' TERM; sleep 3600"))).create();
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() ->
        assertThat(get("twin-delete", "slow").getStatus().getPod().getPhase()).isEqualTo("Running"));

    client.resources(ShadowPod.class).inNamespace("twin-delete").withName("slow").delete();

    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      Pod p = pod("twin-delete", "slow");
      assertThat(p).isNotNull();
      assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(p.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(3L);
      assertThat(get("twin-delete", "slow")).isNotNull(); // held by the finalizer while the pod ends
    });
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
      assertThat(pod("twin-delete", "slow")).isNull();
      assertThat(get("twin-delete", "slow")).isNull();
    });
  }

  @Test
  void theGracePeriodTheHomeDeletionAskedForIsTheOneThePodGets() {
    Fixtures.namespace(client, "twin-grace");
    client.resources(ShadowPod.class).inNamespace("twin-grace").resource(Fixtures.shadowPod("twin-grace", "slow",
        origin(), "home", Fixtures.command("Always", 30, "sh", "-c", "trap '' TERM; sleep 3600"))).create();
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() ->
        assertThat(get("twin-grace", "slow").getStatus().getPod().getPhase()).isEqualTo("Running"));
    // what the virtual kubelet does for `kubectl delete pod --grace-period=2` at home
    client.resources(ShadowPod.class).inNamespace("twin-grace").withName("slow").edit(s -> {
      s.getMetadata().getAnnotations().put(PontoonNames.ANNOTATION_DELETION_GRACE_PERIOD, "2");
      return s;
    });
    client.resources(ShadowPod.class).inNamespace("twin-grace").withName("slow").delete();
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() ->
        assertThat(pod("twin-grace", "slow").getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(2L));
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> assertThat(get("twin-grace", "slow")).isNull());
  }
}
