package io.pontoon.peering.tenant;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.ResourceSliceSpec;
import io.pontoon.api.v1alpha1.ResourceSliceStatus;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.api.v1alpha1.TwinNamespace;
import io.pontoon.api.Conditions;
import io.pontoon.peering.handshake.PeeringException;
import io.pontoon.peering.handshake.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's tenant on the provider: namespace {@code pontoon-tenant-<consumer-name>}, the Role
 * and RoleBinding that let user {@code pontoon:tenant:<consumer-id>} request twin namespaces and
 * read its ResourceSlice there (nothing else, nothing cluster-wide), and the ResourceSlice.
 * Every method converges from any state, so a replayed handshake changes nothing.
 */
public final class TenantProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TenantProvisioner.class);
  public static final String ROLE_NAME = "pontoon-tenant";

  private final KubernetesClient client;

  public TenantProvisioner(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the tenant namespace; refuses one that belongs to a different cluster of that name. */
  public String ensureNamespace(String consumerId, String consumerName) {
    String ns = PontoonNames.tenantNamespace(consumerName);
    Namespace existing = client.namespaces().withName(ns).get();
    if (existing != null) {
      String owner = existing.getMetadata().getLabels() == null ? null
          : existing.getMetadata().getLabels().get(PontoonNames.LABEL_REMOTE_CLUSTER_ID);
      if (owner != null && !owner.equals(consumerId)) {
        throw new PeeringException(409, Reasons.NAME_CONFLICT, "a different cluster named '" + consumerName
            + "' (ID " + owner + ") is already peered with this cluster; cluster names must be unique among peers");
      }
      if (existing.getMetadata().getDeletionTimestamp() != null) {
        // Unavailable for now rather than a conflict: the consumer retries by itself, soon.
        throw new PeeringException(503, Reasons.TENANT_TERMINATING,
            "the tenant of '" + consumerName + "' from an earlier peering is still being removed; the peering retries by itself");
      }
      if (owner != null) return ns;
    }
    Namespace desired = new NamespaceBuilder().withNewMetadata().withName(ns)
        .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TENANT_NAMESPACE)
        .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, consumerId)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .endMetadata().build();
    try {
      if (existing == null) client.namespaces().resource(desired).create();
      else client.namespaces().withName(ns).edit(n -> {
        n.getMetadata().getLabels().putAll(desired.getMetadata().getLabels());
        return n;
      });
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) throw CsrSigner.rbac("create namespaces", e);
      if (e.getCode() != 409) throw e;
    }
    return ns;
  }

  public static Role role(String namespace) {
    return new RoleBuilder().withNewMetadata().withName(ROLE_NAME).withNamespace(namespace)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
        .withRules(
            new PolicyRuleBuilder().withApiGroups(PontoonNames.GROUP).withResources("twinnamespaces")
                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build(),
            new PolicyRuleBuilder().withApiGroups(PontoonNames.GROUP).withResources("twinnamespaces/status")
                .withVerbs("get").build(),
            new PolicyRuleBuilder().withApiGroups(PontoonNames.GROUP)
                .withResources("resourceslices", "resourceslices/status").withVerbs("get", "list", "watch").build())
        .build();
  }

  public static RoleBinding binding(String namespace, String consumerId) {
    return new RoleBindingBuilder().withNewMetadata().withName(ROLE_NAME).withNamespace(namespace)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, consumerId).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", ROLE_NAME)
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName(PontoonNames.tenantUser(consumerId)).endSubject().build();
  }

  public void ensureRbac(String namespace, String consumerId) {
    try {
      Role role = role(namespace);
      Role current = client.rbac().roles().inNamespace(namespace).withName(ROLE_NAME).get();
      if (current == null) client.rbac().roles().resource(role).create();
      else if (!Objects.equals(current.getRules(), role.getRules())) {
        current.setRules(role.getRules());
        client.rbac().roles().resource(current).update();
      }
      RoleBinding rb = binding(namespace, consumerId);
      RoleBinding currentRb = client.rbac().roleBindings().inNamespace(namespace).withName(ROLE_NAME).get();
      if (currentRb == null) client.rbac().roleBindings().resource(rb).create();
      else if (!Objects.equals(currentRb.getSubjects(), rb.getSubjects()) || !Objects.equals(currentRb.getRoleRef(), rb.getRoleRef())) {
        client.rbac().roleBindings().inNamespace(namespace).withName(ROLE_NAME).delete();
        client.rbac().roleBindings().resource(rb).create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) throw CsrSigner.rbac("create Roles and RoleBindings in " + namespace, e);
      if (e.getCode() != 409) throw e;
    }
  }

  /** Creates or updates the consumer's ResourceSlice (named after it) with the request and grant. */
  public ResourceSlice ensureSlice(String namespace, String consumerId, String consumerName, String providerId,
      Map<String, Quantity> requested, Map<String, Quantity> granted) {
    var slices = client.resources(ResourceSlice.class).inNamespace(namespace);
    ResourceSlice slice = slices.withName(consumerName).get();
    ResourceSliceSpec spec = new ResourceSliceSpec();
    spec.setConsumerClusterID(consumerId);
    spec.setProviderClusterID(providerId);
    spec.setResources(requested);
    if (slice == null) {
      slice = new ResourceSlice();
      slice.getMetadata().setName(consumerName);
      slice.getMetadata().setNamespace(namespace);
      slice.getMetadata().setLabels(Map.of(PontoonNames.LABEL_REMOTE_CLUSTER_ID, consumerId,
          PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE));
      slice.setSpec(spec);
      try {
        slice = slices.resource(slice).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        slice = slices.withName(consumerName).get();
      }
    } else if (!Objects.equals(slice.getSpec(), spec)) {
      slice.setSpec(spec);
      slice = slices.resource(slice).update();
    }
    return updateGrant(slice, granted);
  }

  /** Writes the grant into the slice's status when it changed. */
  public ResourceSlice updateGrant(ResourceSlice slice, Map<String, Quantity> granted) {
    ResourceSliceStatus status = slice.getStatus() == null ? new ResourceSliceStatus() : slice.getStatus();
    List<io.fabric8.kubernetes.api.model.Condition> conds = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    boolean changed = Conditions.set(conds, Conditions.of(PontoonNames.ConditionTypes.ACCEPTED, true,
        PontoonNames.Reasons.SUCCEEDED, "granted a share of the provider's free resources", slice.getMetadata().getGeneration()));
    if (!changed && Objects.equals(status.getResources(), granted)) return slice;
    status.setResources(granted);
    status.setConditions(conds);
    slice.setStatus(status);
    return client.resources(ResourceSlice.class).inNamespace(slice.getMetadata().getNamespace()).resource(slice).updateStatus();
  }

  /**
   * Removes everything of a consumer: first every RoleBinding naming its user (so its
   * certificate grants nothing at once), then its twin namespaces (unless kept), then its
   * tenant namespace. Finalizers of Pontoon's own kinds that nobody removes within
   * {@code finalizerGrace} are removed here, so nothing is left stuck.
   */
  public void remove(String consumerId, boolean keepTwinNamespaces, Duration finalizerGrace) {
    revoke(consumerId);
    removeObjects(consumerId, keepTwinNamespaces, finalizerGrace);
  }

  /** Deletes every RoleBinding and ClusterRoleBinding naming the consumer's user: its certificate grants nothing after. */
  public void revoke(String consumerId) {
    String user = PontoonNames.tenantUser(consumerId);
    for (RoleBinding rb : client.rbac().roleBindings().inAnyNamespace().list().getItems()) {
      if (rb.getSubjects() != null && rb.getSubjects().stream().anyMatch(s -> user.equals(s.getName()))) {
        client.rbac().roleBindings().inNamespace(rb.getMetadata().getNamespace()).withName(rb.getMetadata().getName()).delete();
      }
    }
    for (var crb : client.rbac().clusterRoleBindings().list().getItems()) {
      if (crb.getSubjects() != null && crb.getSubjects().stream().anyMatch(s -> user.equals(s.getName()))) {
        client.rbac().clusterRoleBindings().withName(crb.getMetadata().getName()).delete();
      }
    }
  }

  /** Twin namespaces (unless kept), TwinNamespaces, ShadowPods and the tenant namespace, finalizers released after the grace. */
  public void removeObjects(String consumerId, boolean keepTwinNamespaces, Duration finalizerGrace) {
    List<String> tenantNamespaces = client.namespaces()
        .withLabel(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TENANT_NAMESPACE)
        .withLabel(PontoonNames.LABEL_REMOTE_CLUSTER_ID, consumerId).list().getItems().stream()
        .map(n -> n.getMetadata().getName()).toList();
    List<String> twins = client.namespaces()
        .withLabel(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TWIN_NAMESPACE)
        .withLabel(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, consumerId).list().getItems().stream()
        .map(n -> n.getMetadata().getName()).toList();
    for (String ns : tenantNamespaces) {
      if (keepTwinNamespaces) stripFinalizers(TwinNamespace.class, ns);
      else client.resources(TwinNamespace.class).inNamespace(ns).delete();
    }
    if (!keepTwinNamespaces) {
      for (String ns : twins) {
        client.resources(ShadowPod.class).inNamespace(ns).delete();
        client.namespaces().withName(ns).delete();
      }
    }
    for (String ns : tenantNamespaces) client.namespaces().withName(ns).delete();
    Instant deadline = Instant.now().plus(finalizerGrace);
    List<String> all = new ArrayList<>(tenantNamespaces);
    if (!keepTwinNamespaces) all.addAll(twins);
    while (Instant.now().isBefore(deadline) && !allGone(all)) sleep(200);
    for (String ns : all) {
      // Nobody (the ShadowPod or TwinNamespace controller) released them in time: do it here.
      stripFinalizers(ShadowPod.class, ns);
      stripFinalizers(TwinNamespace.class, ns);
    }
    LOG.info("event=tenant-removed consumerID={} tenantNamespaces={} twinNamespaces={} kept={}",
        consumerId, tenantNamespaces, twins, keepTwinNamespaces);
  }

  private boolean allGone(List<String> namespaces) {
    return namespaces.stream().allMatch(ns -> client.namespaces().withName(ns).get() == null);
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void stripFinalizers(Class<T> type, String ns) {
    try {
      for (T o : client.resources(type).inNamespace(ns).list().getItems()) {
        if (o.getMetadata().getFinalizers() == null || o.getMetadata().getFinalizers().isEmpty()) continue;
        client.resources(type).inNamespace(ns).withName(o.getMetadata().getName()).edit(x -> {
          x.getMetadata().setFinalizers(new ArrayList<>(x.getMetadata().getFinalizers().stream()
              .filter(f -> !f.startsWith(PontoonNames.GROUP + "/")).toList()));
          return x;
        });
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) LOG.debug("event=strip-finalizers-failed namespace={} error=\"{}\"", ns, e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
