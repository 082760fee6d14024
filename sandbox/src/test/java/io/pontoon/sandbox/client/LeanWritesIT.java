package io.pontoon.sandbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.api.client.LeanWrites;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link LeanWrites} against a real API server: what it writes lands, and failures carry the server's Status. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeanWritesIT {
  private KubernetesClient client;
  private LeanWrites writes;

  @BeforeAll
  void connect(SandboxApiServer server) {
    client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    writes = new LeanWrites(client);
  }

  @AfterAll
  void disconnect() {
    client.close();
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
  }

  @Test
  void createUpdatePatchAndDeleteLand() {
    writes.create(pod("lean-1"));
    Pod created = client.pods().inNamespace("default").withName("lean-1").get();
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");

    Pod next = new PodBuilder(created).editStatus().withMessage("updated").endStatus().build();
    writes.update(next, "status");
    assertThat(client.pods().inNamespace("default").withName("lean-1").get().getStatus().getMessage())
        .isEqualTo("updated");

    writes.patch(Pod.class, "default", "lean-1", "status", PatchType.JSON_MERGE, "{\"status\":{\"reason\":\"Patched\"}}");
    writes.patch(Pod.class, "default", "lean-1", null, PatchType.JSON,
        "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"a\":\"b\"}}]");
    Pod patched = client.pods().inNamespace("default").withName("lean-1").get();
    assertThat(patched.getStatus().getReason()).isEqualTo("Patched");
    assertThat(patched.getMetadata().getLabels()).containsEntry("a", "b");

    writes.delete(Pod.class, "default", "lean-1", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}");
    assertThat(client.pods().inNamespace("default").withName("lean-1").get()).isNull();
  }

  @Test
  void failuresCarryTheServersStatus() {
    writes.create(pod("lean-2"));
    assertThatThrownBy(() -> writes.create(pod("lean-2")))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
        });

    Pod stale = client.pods().inNamespace("default").withName("lean-2").get();
    writes.update(new PodBuilder(stale).editStatus().withMessage("first").endStatus().build(), "status");
    assertThatThrownBy(() -> writes.update(new PodBuilder(stale).editStatus().withMessage("second").endStatus()
        .build(), "status"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace("default").withName("lean-2").get().getStatus().getMessage())
        .isEqualTo("first");

    assertThatThrownBy(() -> writes.delete(Pod.class, "default", "lean-2",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"not-its-uid\"}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThatThrownBy(() -> writes.patch(Pod.class, "default", "missing", "status", PatchType.JSON_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(() -> writes.create(pod("Not_A_Name")))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("Not_A_Name");
        });
  }
}
