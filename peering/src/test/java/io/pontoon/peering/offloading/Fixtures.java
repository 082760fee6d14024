package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ShadowPod;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Objects the offloading tests write, as a consumer would. */
final class Fixtures {
  private Fixtures() {}

  static void namespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }
  }

  static PodSpec server(String cpu) {
    return new PodSpecBuilder().addNewContainer().withName("app").withImage("nginx")
        .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().build();
  }

  static PodSpec command(String restartPolicy, long grace, String... command) {
    return new PodSpecBuilder().withRestartPolicy(restartPolicy).withTerminationGracePeriodSeconds(grace)
        .addNewContainer().withName("app").withImage("busybox").withCommand(List.of(command)).endContainer().build();
  }

  static ShadowPod shadowPod(String ns, String name, String origin, String originName, PodSpec spec) {
    ShadowPod sp = new ShadowPod();
    String uid = UUID.randomUUID().toString();
    sp.getMetadata().setName(name);
    sp.getMetadata().setNamespace(ns);
    sp.getMetadata().setLabels(Map.of(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin, PontoonNames.LABEL_HOME_POD_UID, uid));
    sp.getMetadata().setAnnotations(Map.of(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME, originName));
    sp.getSpec().setPod(spec);
    sp.getSpec().setLabels(Map.of("app", name));
    sp.getSpec().setAnnotations(Map.of("note", "from-home"));
    sp.getSpec().setOriginClusterID(origin);
    sp.getSpec().setHomePodUID(uid);
    sp.getSpec().setHomePodName(name);
    sp.getSpec().setHomePodNamespace("home");
    return sp;
  }
}
