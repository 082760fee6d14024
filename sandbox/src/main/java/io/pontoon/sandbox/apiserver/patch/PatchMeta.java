package io.pontoon.sandbox.apiserver.patch;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The strategic merge patch metadata of the built-in kinds, by (group, kind): the
 * {@code patchStrategy} and {@code patchMergeKey} struct tags of k8s.io/api (core/v1, apps/v1,
 * batch/v1, policy/v1, ...) and of k8s.io/apimachinery meta/v1 ObjectMeta. Only the fields that
 * carry tags, and the structs that lead to them, are listed; every other field has none.
 *
 * <p>Kinds of a built-in group that are not listed still get ObjectMeta's metadata. Groups that are
 * not built in are custom resources, for which kube-apiserver does not accept strategic merge
 * patch at all.
 */
public final class PatchMeta {
  /** A kind of an API group; the core group is {@code ""}. */
  public record GroupKind(String group, String kind) {}

  /** The groups kube-apiserver (with its extension and aggregation servers) serves itself. */
  private static final Set<String> BUILT_IN_GROUPS = Set.of(
      "", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps",
      "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io",
      "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "extensions", "flowcontrol.apiserver.k8s.io",
      "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
      "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io");

  // meta/v1 ObjectMeta
  static final PatchSchema OBJECT_META = new PatchSchema("v1.ObjectMeta", Map.of(
      "ownerReferences", FieldMeta.mergeByKey("uid"),
      "finalizers", FieldMeta.mergeSet()));

  // core/v1 Container; EphemeralContainer inlines EphemeralContainerCommon, which has the same tags.
  static final PatchSchema CONTAINER = new PatchSchema("v1.Container", Map.of(
      "ports", FieldMeta.mergeByKey("containerPort"),
      "env", FieldMeta.mergeByKey("name"),
      "volumeMounts", FieldMeta.mergeByKey("mountPath"),
      "volumeDevices", FieldMeta.mergeByKey("devicePath")));

  static final PatchSchema POD_SPEC = new PatchSchema("v1.PodSpec", Map.of(
      "volumes", FieldMeta.mergeByKeyRetainKeys("name"),
      "initContainers", FieldMeta.mergeByKey("name", CONTAINER),
      "containers", FieldMeta.mergeByKey("name", CONTAINER),
      "ephemeralContainers", FieldMeta.mergeByKey("name", CONTAINER),
      "imagePullSecrets", FieldMeta.mergeByKey("name"),
      "hostAliases", FieldMeta.mergeByKey("ip"),
      "topologySpreadConstraints", FieldMeta.mergeByKey("topologyKey"),
      "schedulingGates", FieldMeta.mergeByKey("name"),
      "resourceClaims", FieldMeta.mergeByKeyRetainKeys("name")));

  static final PatchSchema POD_STATUS = new PatchSchema("v1.PodStatus", Map.of(
      "conditions", FieldMeta.mergeByKey("type"),
      "podIPs", FieldMeta.mergeByKey("ip"),
      "hostIPs", FieldMeta.mergeByKey("ip"),
      "resourceClaimStatuses", FieldMeta.mergeByKeyRetainKeys("name")));

  static final PatchSchema POD_TEMPLATE_SPEC = new PatchSchema("v1.PodTemplateSpec", Map.of(
      "metadata", FieldMeta.nested(OBJECT_META),
      "spec", FieldMeta.nested(POD_SPEC)));

  /** A status whose only tagged field is {@code conditions}, merged by {@code type}. */
  private static PatchSchema conditionsStatus(String name) {
    return new PatchSchema(name, Map.of("conditions", FieldMeta.mergeByKey("type")));
  }

  /** A workload spec whose pod template is at {@code template}. */
  private static PatchSchema templateSpec(String name) {
    return new PatchSchema(name, Map.of("template", FieldMeta.nested(POD_TEMPLATE_SPEC)));
  }

  private static final Map<GroupKind, PatchSchema> KINDS = buildKinds();

  private PatchMeta() {}

  private static Map<GroupKind, PatchSchema> buildKinds() {
    Map<GroupKind, PatchSchema> kinds = new HashMap<>();
    // core/v1
    put(kinds, "", "Pod", Map.of(
        "spec", FieldMeta.nested(POD_SPEC),
        "status", FieldMeta.nested(POD_STATUS)));
    put(kinds, "", "PodTemplate", Map.of("template", FieldMeta.nested(POD_TEMPLATE_SPEC)));
    put(kinds, "", "ReplicationController", Map.of(
        "spec", FieldMeta.nested(templateSpec("v1.ReplicationControllerSpec")),
        "status", FieldMeta.nested(conditionsStatus("v1.ReplicationControllerStatus"))));
    put(kinds, "", "Node", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.NodeSpec", Map.of("podCIDRs", FieldMeta.mergeSet()))),
        "status", FieldMeta.nested(new PatchSchema("v1.NodeStatus", Map.of(
            "conditions", FieldMeta.mergeByKey("type"),
            "addresses", FieldMeta.mergeByKey("type"))))));
    put(kinds, "", "Service", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.ServiceSpec", Map.of("ports", FieldMeta.mergeByKey("port")))),
        "status", FieldMeta.nested(conditionsStatus("v1.ServiceStatus"))));
    put(kinds, "", "ServiceAccount", Map.of("secrets", FieldMeta.mergeByKey("name")));
    put(kinds, "", "Namespace", Map.of("status", FieldMeta.nested(conditionsStatus("v1.NamespaceStatus"))));
    put(kinds, "", "PersistentVolumeClaim", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.PersistentVolumeClaimStatus"))));
    put(kinds, "", "ComponentStatus", Map.of("conditions", FieldMeta.mergeByKey("type")));

    // apps/v1
    put(kinds, "apps", "Deployment", Map.of(
        "spec", FieldMeta.nested(templateSpec("v1.DeploymentSpec")
            .with("strategy", FieldMeta.retainKeys(PatchSchema.NONE))),
        "status", FieldMeta.nested(conditionsStatus("v1.DeploymentStatus"))));
    for (String kind : new String[] {"ReplicaSet", "StatefulSet", "DaemonSet"}) {
      put(kinds, "apps", kind, Map.of(
          "spec", FieldMeta.nested(templateSpec("v1." + kind + "Spec")),
          "status", FieldMeta.nested(conditionsStatus("v1." + kind + "Status"))));
    }

    // batch/v1
    put(kinds, "batch", "Job", Map.of(
        "spec", FieldMeta.nested(templateSpec("v1.JobSpec")),
        "status", FieldMeta.nested(conditionsStatus("v1.JobStatus"))));
    PatchSchema jobTemplate = new PatchSchema("v1.JobTemplateSpec", Map.of(
        "metadata", FieldMeta.nested(OBJECT_META),
        "spec", FieldMeta.nested(templateSpec("v1.JobSpec"))));
    put(kinds, "batch", "CronJob", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.CronJobSpec", Map.of("jobTemplate", FieldMeta.nested(jobTemplate))))));

    // autoscaling/v2 (v1 has no conditions; the tag is harmless there)
    put(kinds, "autoscaling", "HorizontalPodAutoscaler", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v2.HorizontalPodAutoscalerStatus"))));

    // policy/v1: the selector is replaced whole
    put(kinds, "policy", "PodDisruptionBudget", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.PodDisruptionBudgetSpec", Map.of("selector", FieldMeta.replace()))),
        "status", FieldMeta.nested(conditionsStatus("v1.PodDisruptionBudgetStatus"))));

    // networking.k8s.io/v1
    put(kinds, "networking.k8s.io", "ServiceCIDR", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.ServiceCIDRStatus"))));

    // admissionregistration.k8s.io/v1
    PatchSchema webhook = new PatchSchema("v1.Webhook", Map.of("matchConditions", FieldMeta.mergeByKey("name")));
    put(kinds, "admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
        Map.of("webhooks", FieldMeta.mergeByKey("name", webhook)));
    put(kinds, "admissionregistration.k8s.io", "MutatingWebhookConfiguration",
        Map.of("webhooks", FieldMeta.mergeByKey("name", webhook)));
    put(kinds, "admissionregistration.k8s.io", "ValidatingAdmissionPolicy", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.ValidatingAdmissionPolicySpec", Map.of(
            "matchConditions", FieldMeta.mergeByKey("name"),
            "variables", FieldMeta.mergeByKey("name"))))));
    put(kinds, "admissionregistration.k8s.io", "MutatingAdmissionPolicy", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.MutatingAdmissionPolicySpec", Map.of(
            "matchConditions", FieldMeta.mergeByKey("name"))))));

    // storage.k8s.io/v1
    put(kinds, "storage.k8s.io", "CSINode", Map.of(
        "spec", FieldMeta.nested(new PatchSchema("v1.CSINodeSpec", Map.of("drivers", FieldMeta.mergeByKey("name"))))));

    // flowcontrol.apiserver.k8s.io/v1
    put(kinds, "flowcontrol.apiserver.k8s.io", "FlowSchema", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.FlowSchemaStatus"))));
    put(kinds, "flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.PriorityLevelConfigurationStatus"))));

    // resource.k8s.io/v1
    put(kinds, "resource.k8s.io", "ResourceClaim", Map.of(
        "status", FieldMeta.nested(new PatchSchema("v1.ResourceClaimStatus", Map.of(
            "reservedFor", FieldMeta.mergeByKey("uid"))))));
    put(kinds, "resource.k8s.io", "DeviceTaintRule", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.DeviceTaintRuleStatus"))));

    // certificates.k8s.io/v1 (CertificateSigningRequest conditions carry no tags)
    put(kinds, "certificates.k8s.io", "PodCertificateRequest", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.PodCertificateRequestStatus"))));

    // storagemigration.k8s.io
    put(kinds, "storagemigration.k8s.io", "StorageVersionMigration", Map.of(
        "status", FieldMeta.nested(conditionsStatus("v1.StorageVersionMigrationStatus"))));
    return Map.copyOf(kinds);
  }

  private static void put(Map<GroupKind, PatchSchema> kinds, String group, String kind, Map<String, FieldMeta> fields) {
    Map<String, FieldMeta> withMeta = new HashMap<>(fields);
    withMeta.put("metadata", FieldMeta.nested(OBJECT_META));
    kinds.put(new GroupKind(group, kind), new PatchSchema(goName(group, kind), withMeta));
  }

  private static String goName(String group, String kind) {
    return (group.isEmpty() ? "core" : group) + "." + kind;
  }

  /** Whether kube-apiserver serves the group itself (and so accepts strategic merge patch for it). */
  public static boolean isBuiltIn(String group) {
    return BUILT_IN_GROUPS.contains(group == null ? "" : group);
  }

  /**
   * The metadata of a built-in kind; a kind of a built-in group without tagged fields of its own
   * (ConfigMap, Secret, EndpointSlice, Lease, Event, the RBAC kinds, ...) gets ObjectMeta's.
   *
   * @throws IllegalArgumentException for a group that is not built in
   */
  public static PatchSchema forKind(String group, String kind) {
    String g = group == null ? "" : group;
    if (!isBuiltIn(g)) {
      throw new IllegalArgumentException("no strategic merge patch metadata for custom resources: " + kind + "." + g);
    }
    PatchSchema schema = KINDS.get(new GroupKind(g, kind));
    if (schema != null) {
      return schema;
    }
    return new PatchSchema(goName(g, kind), Map.of("metadata", FieldMeta.nested(OBJECT_META)));
  }

  /**
   * The metadata of the field at a dotted path of field names, list elements being passed through:
   * {@code spec.template.spec.containers.env} is the {@code env} list of every container.
   */
  public static FieldMeta at(String group, String kind, String path) {
    FieldMeta meta = FieldMeta.nested(forKind(group, kind));
    for (String name : path.split("\\.")) {
      meta = meta.schema().field(name);
    }
    return meta;
  }
}
