package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.pontoon.api.PontoonNames;
import java.util.List;
import java.util.Map;

/**
 * The Role and RoleBinding a consumer gets in each of its twin namespaces: least privilege.
 *
 * <ul>
 *   <li>ShadowPods: full lifecycle (its virtual kubelet writes them), status read only: the
 *       provider's agent writes status, the consumer reads it back; no Pod rights at all.
 *   <li>ConfigMaps, Secrets, Services, EndpointSlices: the reflected kinds. Secrets are included
 *       because pods mounting a Secret (or a projected token) cannot start without it; the
 *       binding is namespaced, so it reaches only the consumer's own twin namespace.
 *   <li>{@code pods/log} get, so {@code kubectl logs} on the home pod can be served.
 * </ul>
 */
final class TenantRole {
  static final String NAME = "pontoon-tenant";
  private static final List<String> ALL = List.of("get", "list", "watch", "create", "update", "patch", "delete");

  private TenantRole() {}

  static List<PolicyRule> rules() {
    return List.of(
        rule(PontoonNames.GROUP, "shadowpods", ALL),
        rule(PontoonNames.GROUP, "shadowpods/status", List.of("get")),
        new PolicyRuleBuilder().withApiGroups("").withResources("configmaps", "secrets", "services")
            .withVerbs(ALL).build(),
        rule("discovery.k8s.io", "endpointslices", ALL),
        rule("", "pods/log", List.of("get")));
  }

  static Role role(String namespace, Map<String, String> labels) {
    return new RoleBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels)
        .endMetadata().withRules(rules()).build();
  }

  static RoleBinding binding(String namespace, String consumerClusterId, Map<String, String> labels) {
    return new RoleBindingBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels)
        .endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(NAME).endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName(PontoonNames.tenantUser(consumerClusterId)).endSubject()
        .build();
  }

  private static PolicyRule rule(String group, String resource, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
  }
}
