package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.PontoonNames.Reasons;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Handlers;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.TwinNamespace;
import io.pontoon.api.v1alpha1.TwinNamespacePhase;
import io.pontoon.api.v1alpha1.TwinNamespaceRequestStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider side: for each TwinNamespace a consumer writes into its tenant namespace, creates the
 * twin namespace (labelled with the origin), binds the consumer's user in it with {@link
 * TenantRole}, and reports Ready, or Failed with NamespaceConflict when the namespace exists and
 * is not that origin's. Deleting the TwinNamespace deletes the namespace first.
 */
public final class TwinNamespaceController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TwinNamespaceController.class);
  /** On a twin namespace: {@code <tenant namespace>/<TwinNamespace name>} that asked for it. */
  public static final String ANNOTATION_REQUEST = "pontoon.io/twin-namespace-request";
  static final String INDEX_NAME = "name";
  static final String REASON_INVALID = "InvalidRequest";

  private final KubernetesClient client;
  private final ControllerLoop loop;
  private SharedIndexInformer<TwinNamespace> requests;
  private SharedIndexInformer<Namespace> namespaces;

  public TwinNamespaceController(KubernetesClient client) {
    this.client = client;
    this.loop = new ControllerLoop("twinnamespaces", this::reconcile);
  }

  public void start() {
    requests = client.resources(TwinNamespace.class).inAnyNamespace().runnableInformer(0);
    requests.addIndexers(Map.of(INDEX_NAME, t -> List.of(t.getMetadata().getName())));
    requests.addEventHandler(Handlers.onAny(t -> loop.enqueue(Handlers.key(t))));
    namespaces = client.namespaces().runnableInformer(0);
    namespaces.addEventHandler(Handlers.onAny(this::namespaceChanged));
    try {
      namespaces.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      requests.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("TwinNamespace controller could not list its objects: " + e.getMessage(), e);
    }
    loop.start(2);
    LOG.info("controller=twinnamespaces started");
  }

  private void namespaceChanged(Namespace ns) {
    if (requests == null) {
      return;
    }
    for (TwinNamespace t : requests.getIndexer().byIndex(INDEX_NAME, ns.getMetadata().getName())) {
      loop.enqueue(Handlers.key(t));
    }
  }

  Reconciler.Result reconcile(String key) {
    TwinNamespace tn = requests.getStore().getByKey(key);
    if (tn == null) {
      return Reconciler.Result.done();
    }
    String name = tn.getMetadata().getName();
    Namespace ns = namespaces.getStore().getByKey(name);
    if (tn.getMetadata().getDeletionTimestamp() != null) {
      return finish(tn, ns);
    }
    if (!Finalizers.has(tn.getMetadata(), PontoonNames.FINALIZER_TWIN_NAMESPACE)) {
      List<String> f = new ArrayList<>(tn.getMetadata().getFinalizers() == null ? List.of() : tn.getMetadata().getFinalizers());
      f.add(PontoonNames.FINALIZER_TWIN_NAMESPACE);
      Finalizers.patch(resource(tn), tn.getMetadata(), f);
      return Reconciler.Result.done();
    }
    String invalid = validate(tn);
    if (invalid != null) {
      return report(tn, TwinNamespacePhase.Failed, REASON_INVALID, invalid);
    }
    String origin = tn.getSpec().getOriginClusterID();
    if (ns != null && !ours(ns, origin)) {
      return report(tn, TwinNamespacePhase.Failed, Reasons.NAMESPACE_CONFLICT, "namespace " + name
          + " already exists and does not belong to cluster " + tn.getSpec().getOriginClusterName()
          + "; choose another name (mapping SelectedName) or remove that namespace");
    }
    if (ns != null && ns.getMetadata().getDeletionTimestamp() != null) {
      report(tn, TwinNamespacePhase.Pending, Reasons.PENDING, "namespace " + name + " is still being deleted");
      return Reconciler.Result.after(Duration.ofSeconds(2));
    }
    Map<String, String> labels = Map.of(
        PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TWIN_NAMESPACE,
        PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin,
        PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE);
    if (ns == null) {
      try {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
            .addToAnnotations(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME, tn.getSpec().getOriginClusterName())
            .addToAnnotations(PontoonNames.ANNOTATION_HOME_POD_NAMESPACE, tn.getSpec().getHomeNamespace())
            .addToAnnotations(ANNOTATION_REQUEST, key)
            .endMetadata().build()).create();
        LOG.info("controller=twinnamespaces key={} action=createNamespace origin={}", key, origin);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        return Reconciler.Result.after(Duration.ofMillis(200)); // the cache catches up, then we look again
      }
    }
    ensureRbac(name, origin, labels);
    return report(tn, TwinNamespacePhase.Ready, Reasons.SUCCEEDED,
        "namespace " + name + " exists and " + PontoonNames.tenantUser(origin) + " is bound in it");
  }

  private void ensureRbac(String namespace, String origin, Map<String, String> labels) {
    Role role = TenantRole.role(namespace, labels);
    Role existingRole = client.rbac().roles().inNamespace(namespace).withName(TenantRole.NAME).get();
    if (existingRole == null) {
      client.rbac().roles().inNamespace(namespace).resource(role).create();
    } else if (!Objects.equals(existingRole.getRules(), role.getRules())) {
      existingRole.setRules(role.getRules());
      client.rbac().roles().inNamespace(namespace).resource(existingRole).update();
    }
    RoleBinding binding = TenantRole.binding(namespace, origin, labels);
    RoleBinding existing = client.rbac().roleBindings().inNamespace(namespace).withName(TenantRole.NAME).get();
    if (existing == null) {
      client.rbac().roleBindings().inNamespace(namespace).resource(binding).create();
    } else if (!Objects.equals(existing.getSubjects(), binding.getSubjects())
        || !Objects.equals(existing.getRoleRef(), binding.getRoleRef())) {
      // roleRef is immutable: replace the binding.
      client.rbac().roleBindings().inNamespace(namespace).withName(TenantRole.NAME).delete();
      client.rbac().roleBindings().inNamespace(namespace).resource(binding).create();
    }
  }

  private Reconciler.Result finish(TwinNamespace tn, Namespace ns) {
    String origin = tn.getSpec() == null ? null : tn.getSpec().getOriginClusterID();
    if (ns != null && origin != null && ours(ns, origin)) {
      report(tn, TwinNamespacePhase.Terminating, Reasons.IN_PROGRESS,
          "namespace " + ns.getMetadata().getName() + " is being deleted");
      if (ns.getMetadata().getDeletionTimestamp() == null) {
        client.namespaces().withName(ns.getMetadata().getName()).delete();
        LOG.info("controller=twinnamespaces key={} action=deleteNamespace", Handlers.key(tn));
      }
      return Reconciler.Result.after(Duration.ofSeconds(2)); // the namespace's deletion event also queues us
    }
    if (Finalizers.has(tn.getMetadata(), PontoonNames.FINALIZER_TWIN_NAMESPACE)) {
      List<String> f = new ArrayList<>(tn.getMetadata().getFinalizers());
      f.remove(PontoonNames.FINALIZER_TWIN_NAMESPACE);
      Finalizers.patch(resource(tn), tn.getMetadata(), f);
    }
    return Reconciler.Result.done();
  }

  private static String validate(TwinNamespace tn) {
    String name = tn.getMetadata().getName();
    if (tn.getSpec() == null || tn.getSpec().getOriginClusterID() == null || tn.getSpec().getOriginClusterName() == null) {
      return "spec.originClusterID and spec.originClusterName are required";
    }
    if (!PontoonNames.isDns1123Label(name)) {
      return "the name " + name + " is not a DNS-1123 label, so it cannot name a namespace";
    }
    String expected = PontoonNames.tenantNamespace(tn.getSpec().getOriginClusterName());
    if (!expected.equals(tn.getMetadata().getNamespace())) {
      return "a request of cluster " + tn.getSpec().getOriginClusterName() + " must live in its tenant namespace "
          + expected + ", not in " + tn.getMetadata().getNamespace();
    }
    if (name.startsWith(PontoonNames.TENANT_NAMESPACE_PREFIX) || name.equals(PontoonNames.SYSTEM_NAMESPACE)
        || name.startsWith("kube-") || name.equals("default")) {
      return "namespace " + name + " is reserved and cannot be a twin namespace";
    }
    return null;
  }

  private static boolean ours(Namespace ns, String origin) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    return labels != null && PontoonNames.TYPE_TWIN_NAMESPACE.equals(labels.get(PontoonNames.LABEL_TYPE))
        && origin.equals(labels.get(PontoonNames.LABEL_ORIGIN_CLUSTER_ID));
  }

  private Reconciler.Result report(TwinNamespace tn, TwinNamespacePhase phase, String reason, String message) {
    TwinNamespaceRequestStatus current = tn.getStatus() == null ? new TwinNamespaceRequestStatus() : tn.getStatus();
    TwinNamespaceRequestStatus next = new TwinNamespaceRequestStatus();
    next.setPhase(phase);
    next.setConditions(new ArrayList<>(current.getConditions()));
    Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.READY, phase == TwinNamespacePhase.Ready,
        reason, message, tn.getMetadata().getGeneration()));
    if (!next.equals(current) || tn.getStatus() == null) {
      TwinNamespace update = new TwinNamespace();
      update.setMetadata(tn.getMetadata());
      update.setSpec(tn.getSpec());
      update.setStatus(next);
      ops(tn).resource(update).updateStatus();
    }
    return Reconciler.Result.done();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<TwinNamespace,
      io.fabric8.kubernetes.api.model.KubernetesResourceList<TwinNamespace>,
      io.fabric8.kubernetes.client.dsl.Resource<TwinNamespace>> ops(TwinNamespace tn) {
    return client.resources(TwinNamespace.class).inNamespace(tn.getMetadata().getNamespace());
  }

  private io.fabric8.kubernetes.client.dsl.Resource<TwinNamespace> resource(TwinNamespace tn) {
    return ops(tn).withName(tn.getMetadata().getName());
  }

  @Override
  public void close() {
    loop.close();
    if (requests != null) requests.close();
    if (namespaces != null) namespaces.close();
  }
}
