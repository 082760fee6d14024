package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.auth.EscalationCheck;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The admission chain in kube-apiserver's order: defaulting, the built-in mutating plugins
 * (ServiceAccount, DefaultTolerationSeconds), mutating webhooks, then validation (built-in rules
 * and the structural schema of custom resources) and NamespaceLifecycle.
 */
final class Admission {
  enum Operation { CREATE, UPDATE, DELETE, CONNECT }

  /** Immortal namespaces: kube-apiserver refuses to delete them. */
  static final Set<String> SYSTEM_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final ObjectStore store;
  private final io.pontoon.sandbox.apiserver.resources.ResourceRegistry registry;
  private final WebhookAdmission webhooks;
  private final CustomResources customResources;
  private final Validation validation;
  private final EscalationCheck escalation;
  private final ServiceAddresses serviceAddresses;
  private volatile long defaultTolerationSeconds = 300;

  Admission(ObjectStore store, io.pontoon.sandbox.apiserver.resources.ResourceRegistry registry,
      WebhookAdmission webhooks, CustomResources customResources, EscalationCheck escalation,
      ServiceAddresses serviceAddresses) {
    this.escalation = escalation;
    this.serviceAddresses = serviceAddresses;
    this.store = store;
    this.registry = registry;
    this.webhooks = webhooks;
    this.customResources = customResources;
    this.validation = new Validation();
  }

  boolean isCustom(ResourceType type) {
    return customResources.isCustom(type);
  }

  void setDefaultTolerationSeconds(long seconds) {
    this.defaultTolerationSeconds = seconds;
  }

  ObjectNode admit(ApiRequest req, ResourceType type, Operation op, ObjectNode obj, ObjectNode old) {
    if (op == Operation.CREATE && type.namespaced()) checkNamespace(type, Meta.namespace(obj), Meta.name(obj));
    ObjectNode o = obj;
    Defaults.apply(type, o);
    if (op == Operation.CREATE) builtinMutations(req, type, o);
    o = webhooks.mutate(req, type, op, o, old);
    Defaults.apply(type, o);
    List<ApiException.Cause> causes = new ArrayList<>(validation.validate(type, o, old, req.info().subresource()));
    if (customResources.isCustom(type)) causes.addAll(customResources.validate(type, req, o));
    if (type.key().equals(CustomResources.CRD_KEY)) causes.addAll(customResources.validateDefinition(o));
    if (!causes.isEmpty()) throw ApiException.invalid(type.group(), type.kind(), Meta.name(o), causes);
    preventEscalation(req, type, o, old);
    // the service registry allocates addresses once the object is otherwise valid
    if (type.key().equals("services")) serviceAddresses.admit(o, old, req.dryRun());
    return o;
  }

  /** The write after a successful {@link #admit} failed: allocations made for it go back. */
  void abandon(ResourceType type, ObjectNode admitted) {
    if (type.key().equals("services")) serviceAddresses.abandon(admitted);
  }

  /** RBAC objects may grant only what their author holds, unless it may escalate or bind. */
  private void preventEscalation(ApiRequest req, ResourceType type, ObjectNode o, ObjectNode old) {
    if (!type.group().equals("rbac.authorization.k8s.io")) return;
    java.util.Optional<ApiException> refused = switch (type.kind()) {
      case "Role", "ClusterRole" -> escalation.checkRoleWrite(req.user(), o, old);
      case "RoleBinding", "ClusterRoleBinding" -> escalation.checkBindingWrite(req.user(), o, old);
      default -> java.util.Optional.empty();
    };
    if (refused.isPresent()) throw refused.get();
  }

  private void checkNamespace(ResourceType type, String namespace, String name) {
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    ObjectNode ns = store.get(nsType, "", namespace).orElse(null);
    if (ns == null) throw ApiException.notFound("", "namespaces", namespace);
    if (Meta.isDeleting(ns) || ns.path("status").path("phase").asText().equals("Terminating")) {
      throw new ApiException(403, "Forbidden", type.plural() + " \"" + name + "\" is forbidden: unable to create new "
          + "content in namespace " + namespace + " because it is being terminated",
          new ApiException.Details(name, type.group(), type.plural(), null),
          List.of(new ApiException.Cause("NamespaceTerminating",
              "namespace " + namespace + " is being terminated", "metadata.namespace")));
    }
  }

  private void builtinMutations(ApiRequest req, ResourceType type, ObjectNode o) {
    switch (type.key()) {
      case "pods" -> {
        ObjectNode spec = o.with("spec");
        // ServiceAccount admission
        if (spec.path("serviceAccountName").asText("").isEmpty()) spec.put("serviceAccountName", "default");
        spec.put("serviceAccount", spec.get("serviceAccountName").asText());
        // DefaultTolerationSeconds admission
        addDefaultToleration(spec, "node.kubernetes.io/not-ready");
        addDefaultToleration(spec, "node.kubernetes.io/unreachable");
      }
      case "certificatesigningrequests.certificates.k8s.io" -> {
        // the requester's identity is recorded by the server, never taken from the body
        ObjectNode spec = o.with("spec");
        spec.put("username", req.user().name());
        if (req.user().uid() != null && !req.user().uid().isEmpty()) spec.put("uid", req.user().uid());
        else spec.remove("uid");
        ArrayNode groups = spec.putArray("groups");
        req.user().groups().stream().sorted().forEach(groups::add);
      }
      case CustomResources.CRD_KEY -> Meta.addFinalizer(o, "customresourcecleanup.apiextensions.k8s.io");
      default -> { }
    }
  }

  private void addDefaultToleration(ObjectNode spec, String key) {
    ArrayNode tolerations = spec.has("tolerations") && spec.get("tolerations").isArray()
        ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
    for (JsonNode t : tolerations) {
      String tk = t.path("key").asText("");
      String effect = t.path("effect").asText("");
      boolean exists = t.path("operator").asText("").equals("Exists");
      if ((tk.equals(key) || tk.isEmpty() && exists) && (effect.isEmpty() || effect.equals("NoExecute"))) return;
    }
    ObjectNode t = tolerations.addObject();
    t.put("key", key);
    t.put("operator", "Exists");
    t.put("effect", "NoExecute");
    t.put("tolerationSeconds", defaultTolerationSeconds);
  }
}
