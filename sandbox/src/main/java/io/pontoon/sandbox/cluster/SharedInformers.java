package io.pontoon.sandbox.cluster;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod informer for every component of a cluster, as kube-controller-manager shares its
 * informer factory: each pod event is decoded once, not once per controller. Started before the
 * components; they add handlers and read its indexes, and never start or close it.
 */
public final class SharedInformers implements AutoCloseable {
  /** Pods by the UID of their controlling owner. */
  public static final String PODS_BY_CONTROLLER = "controller-uid";
  /** Pods by {@code spec.nodeName}. */
  public static final String PODS_BY_NODE = "spec.nodeName";

  private final SharedIndexInformer<Pod> pods;

  SharedInformers(KubernetesClient client) {
    pods = client.pods().inAnyNamespace().runnableInformer(0);
    pods.addIndexers(Map.of(
        PODS_BY_CONTROLLER, p -> p.getMetadata().getOwnerReferences() == null ? List.of()
            : p.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(OwnerReference::getUid).limit(1).toList(),
        PODS_BY_NODE, p -> p.getSpec() == null || p.getSpec().getNodeName() == null ? List.of()
            : List.of(p.getSpec().getNodeName())));
  }

  void start() {
    try {
      pods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the shared pod informer did not sync: " + e, e);
    }
  }

  /** Every pod of the cluster, started and synced. */
  public SharedIndexInformer<Pod> pods() {
    return pods;
  }

  @Override
  public void close() {
    pods.close();
  }
}
