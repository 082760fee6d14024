package io.pontoon.vk.pods;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.NamespaceOffloadingSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Which provider namespace mirrors a home namespace: the name the namespace's NamespaceOffloading
 * reports (or would compute), else the virtual kubelet's default mapping.
 */
public final class TwinNamespaces implements AutoCloseable {
  private final ClusterIdentity home;
  private final NamespaceMappingStrategy defaultMapping;
  private final SharedIndexInformer<NamespaceOffloading> offloadings;

  public TwinNamespaces(KubernetesClient homeClient, ClusterIdentity home,
      NamespaceMappingStrategy defaultMapping, Consumer<String> onNamespaceChanged) {
    this.home = home;
    this.defaultMapping = defaultMapping;
    this.offloadings = homeClient.resources(NamespaceOffloading.class).inAnyNamespace().runnableInformer(0);
    offloadings.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(NamespaceOffloading o) {
        onNamespaceChanged.accept(o.getMetadata().getNamespace());
      }

      @Override
      public void onUpdate(NamespaceOffloading before, NamespaceOffloading after) {
        if (!resolve(before).equals(resolve(after))) onNamespaceChanged.accept(after.getMetadata().getNamespace());
      }

      @Override
      public void onDelete(NamespaceOffloading o, boolean unknownFinalState) {
        onNamespaceChanged.accept(o.getMetadata().getNamespace());
      }
    });
  }

  /**
   * Starts the NamespaceOffloading informer; done once its cache is full. Without the CRD the
   * stage fails and the default mapping applies.
   */
  public CompletionStage<Void> start() {
    return offloadings.start();
  }

  /** Twin namespace of home namespace {@code namespace}. */
  public String of(String namespace) {
    NamespaceOffloading o = offloadings.getStore()
        .getByKey(namespace + "/" + PontoonNames.NAMESPACE_OFFLOADING_NAME);
    return o == null ? PontoonNames.twinNamespace(defaultMapping, namespace, home.name(), null) : resolve(o);
  }

  /** Every twin namespace known from NamespaceOffloadings, to find orphans at start-up. */
  public Set<String> known() {
    Set<String> names = new HashSet<>();
    for (NamespaceOffloading o : offloadings.getStore().list()) names.add(resolve(o));
    return names;
  }

  private String resolve(NamespaceOffloading o) {
    if (o.getStatus() != null && o.getStatus().getRemoteNamespaceName() != null) {
      return o.getStatus().getRemoteNamespaceName();
    }
    NamespaceOffloadingSpec spec = o.getSpec() == null ? new NamespaceOffloadingSpec() : o.getSpec();
    try {
      return PontoonNames.twinNamespace(spec.getNamespaceMappingStrategy(), o.getMetadata().getNamespace(),
          home.name(), spec.getSelectedNamespaceName());
    } catch (IllegalArgumentException e) {
      // a SelectedName without a name: the offloading controller reports it; fall back
      return PontoonNames.twinNamespace(defaultMapping, o.getMetadata().getNamespace(), home.name(), null);
    }
  }

  @Override
  public void close() {
    offloadings.close();
  }
}
