package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start that matter to
 * the sandbox, with the rules, labels and annotations Kubernetes gives them. {@code admin},
 * {@code edit} and {@code view} are aggregated from the {@code system:aggregate-to-*} roles, so
 * roles labelled for aggregation (CRD viewers and editors, for instance) extend them as in kube.
 */
public final class BootstrapPolicy {
  public static final String AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
  public static final String AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
  public static final String AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
  private static final List<String> READ_WRITE =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private BootstrapPolicy() {}

  /** Fresh objects on every call, so callers may store and change them. */
  public static List<ObjectNode> clusterRoles() {
    List<ObjectNode> roles = new ArrayList<>();
    roles.add(role("cluster-admin", List.of(),
        rule(List.of("*"), List.of("*"), List.of("*")),
        PolicyRule.nonResource(List.of("*"), List.of("*"))));
    roles.add(aggregated("admin", List.of(), AGGREGATE_TO_ADMIN));
    roles.add(aggregated("edit", List.of(AGGREGATE_TO_ADMIN), AGGREGATE_TO_EDIT));
    roles.add(aggregated("view", List.of(AGGREGATE_TO_EDIT), AGGREGATE_TO_VIEW));

    roles.add(role("system:aggregate-to-admin", List.of(AGGREGATE_TO_ADMIN),
        rule(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews")),
        rule(READ_WRITE, List.of("rbac.authorization.k8s.io"), List.of("rolebindings", "roles"))));

    roles.add(role("system:aggregate-to-edit", List.of(AGGREGATE_TO_EDIT),
        rule(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
            "services/proxy")),
        rule(List.of("impersonate"), List.of(""), List.of("serviceaccounts")),
        rule(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy")),
        rule(List.of("create"), List.of(""), List.of("pods/eviction")),
        rule(WRITE, List.of(""), List.of("configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
            "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy")),
        rule(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
        rule(WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale",
            "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale")),
        rule(WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers")),
        rule(WRITE, List.of("batch"), List.of("cronjobs", "jobs")),
        rule(WRITE, List.of("extensions"), List.of("daemonsets", "deployments", "deployments/rollback",
            "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
            "replicationcontrollers/scale")),
        rule(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
        rule(WRITE, List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies")),
        rule(READ_WRITE, List.of("coordination.k8s.io"), List.of("leases"))));

    roles.add(role("system:aggregate-to-view", List.of(AGGREGATE_TO_VIEW),
        rule(READ, List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims",
            "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale",
            "serviceaccounts", "services", "services/status")),
        rule(READ, List.of(""), List.of("bindings", "events", "limitranges", "namespaces/status", "pods/log",
            "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status")),
        rule(READ, List.of(""), List.of("namespaces")),
        rule(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
        rule(READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
            "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
            "statefulsets", "statefulsets/scale", "statefulsets/status")),
        rule(READ, List.of("autoscaling"), List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status")),
        rule(READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
        rule(READ, List.of("extensions"), List.of("daemonsets", "daemonsets/status", "deployments", "deployments/scale",
            "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets",
            "replicasets/scale", "replicasets/status", "replicationcontrollers/scale")),
        rule(READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status")),
        rule(READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status", "networkpolicies"))));

    roles.add(role("system:discovery", List.of(),
        PolicyRule.nonResource(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
            "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
    roles.add(role("system:basic-user", List.of(),
        rule(List.of("create"), List.of("authorization.k8s.io"),
            List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
        rule(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews"))));
    roles.add(role("system:public-info-viewer", List.of(),
        PolicyRule.nonResource(List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))));
    roles.add(role("system:monitoring", List.of(),
        PolicyRule.nonResource(List.of("get"), List.of("/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics",
            "/metrics/slis", "/readyz", "/readyz/*"))));
    roles.add(role("system:auth-delegator", List.of(),
        rule(List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews")),
        rule(List.of("create"), List.of("authorization.k8s.io"), List.of("subjectaccessreviews"))));
    // Pontoon signs peer certificates through this signer; approving needs this role
    roles.add(role("system:certificates.k8s.io:kube-apiserver-client-approver", List.of(),
        rule(List.of("approve"), List.of("certificates.k8s.io"), List.of("signers"))
            .withResourceNames(List.of("kubernetes.io/kube-apiserver-client"))));
    return roles;
  }

  public static List<ObjectNode> clusterRoleBindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", UserInfo.SYSTEM_MASTERS),
        binding("system:monitoring", "system:monitoring", "system:monitoring"),
        binding("system:discovery", "system:discovery", UserInfo.ALL_AUTHENTICATED),
        binding("system:basic-user", "system:basic-user", UserInfo.ALL_AUTHENTICATED),
        binding("system:public-info-viewer", "system:public-info-viewer", UserInfo.ALL_AUTHENTICATED,
            UserInfo.ALL_UNAUTHENTICATED));
  }

  private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
    return PolicyRule.resources(verbs, groups, resources);
  }

  private static ObjectNode role(String name, List<String> aggregateLabels, PolicyRule... rules) {
    ObjectNode role = skeleton("ClusterRole", name, aggregateLabels);
    role.set("rules", PolicyRule.toJson(List.of(rules)));
    return role;
  }

  private static ObjectNode aggregated(String name, List<String> aggregateLabels, String selectLabel) {
    ObjectNode role = skeleton("ClusterRole", name, aggregateLabels);
    ArrayNode selectors = role.putObject("aggregationRule").putArray("clusterRoleSelectors");
    selectors.addObject().putObject("matchLabels").put(selectLabel, "true");
    role.putArray("rules"); // filled by aggregation; resolved by RbacAuthorizer
    return role;
  }

  private static ObjectNode binding(String name, String clusterRole, String... groups) {
    ObjectNode b = skeleton("ClusterRoleBinding", name, List.of());
    ObjectNode ref = b.putObject("roleRef");
    ref.put("apiGroup", RbacAuthorizer.RBAC_GROUP);
    ref.put("kind", "ClusterRole");
    ref.put("name", clusterRole);
    ArrayNode subjects = b.putArray("subjects");
    for (String g : groups) {
      ObjectNode s = subjects.addObject();
      s.put("apiGroup", RbacAuthorizer.RBAC_GROUP);
      s.put("kind", "Group");
      s.put("name", g);
    }
    return b;
  }

  private static ObjectNode skeleton(String kind, String name, List<String> aggregateLabels) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "rbac.authorization.k8s.io/v1");
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    ObjectNode labels = meta.putObject("labels");
    labels.put("kubernetes.io/bootstrapping", "rbac-defaults");
    aggregateLabels.forEach(l -> labels.put(l, "true"));
    meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
    return o;
  }
}
