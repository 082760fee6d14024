package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapPolicyTest {
  private final RbacFixtures objects = new RbacFixtures().withBootstrapPolicy();
  private final RbacAuthorizer authorizer = new RbacAuthorizer(objects);

  @Test
  void objectsLookLikeKubes() {
    ObjectNode admin = objects.clusterRole("cluster-admin").orElseThrow();
    assertThat(admin.get("apiVersion").asText()).isEqualTo("rbac.authorization.k8s.io/v1");
    assertThat(admin.at("/metadata/labels/kubernetes.io~1bootstrapping").asText()).isEqualTo("rbac-defaults");
    assertThat(admin.at("/metadata/annotations/rbac.authorization.kubernetes.io~1autoupdate").asText()).isEqualTo("true");
    assertThat(objects.clusterRole("view").orElseThrow().at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit")
        .asText()).isEqualTo("true");
    assertThat(BootstrapPolicy.clusterRoleBindings()).extracting(b -> b.at("/metadata/name").asText())
        .contains("cluster-admin", "system:discovery", "system:basic-user", "system:public-info-viewer");
    // every binding refers to a role that exists
    for (ObjectNode b : BootstrapPolicy.clusterRoleBindings()) {
      assertThat(objects.clusterRole(b.at("/roleRef/name").asText())).isPresent();
    }
  }

  @Test
  void everyAuthenticatedUserCanDiscoverAndReviewThemselves() {
    UserInfo u = UserInfo.authenticated("someone", "", List.of());
    assertThat(authorizer.authorize(u, RequestAttributes.nonResource("get", "/apis")).allowed()).isTrue();
    assertThat(authorizer.authorize(u, RequestAttributes.nonResource("get", "/openapi/v3")).allowed()).isTrue();
    assertThat(authorizer.authorize(u,
        RequestAttributes.resource("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "")).allowed()).isTrue();
    assertThat(authorizer.authorize(u, RequestAttributes.resource("list", "", "pods", "default", "")).allowed()).isFalse();
  }

  @Test
  void clusterAdminBindingCoversMastersThroughRbacToo() {
    UserInfo master = UserInfo.authenticated("m", "", List.of("system:masters"));
    // rules review shows the cluster-admin rules (the privileged-group shortcut lists none)
    assertThat(authorizer.rulesFor(master, "").rules())
        .contains(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")));
  }

  @Test
  void defaultRolesAreEscalationConsistent() {
    // admin ⊇ edit ⊇ view, as kube's policy tests require
    List<PolicyRule> view = authorizer.effectiveRules(objects.clusterRole("view").orElseThrow());
    List<PolicyRule> edit = authorizer.effectiveRules(objects.clusterRole("edit").orElseThrow());
    List<PolicyRule> admin = authorizer.effectiveRules(objects.clusterRole("admin").orElseThrow());
    assertThat(PolicyComparator.coversRules(edit, view)).isTrue();
    assertThat(PolicyComparator.coversRules(admin, edit)).isTrue();
    assertThat(PolicyComparator.coversRules(view, edit)).isFalse();
    assertThat(view).noneMatch(r -> r.resources().contains("secrets"));
  }

  @Test
  void freshObjectsEachCall() {
    BootstrapPolicy.clusterRoles().get(0).put("changed", true);
    assertThat(BootstrapPolicy.clusterRoles().get(0).has("changed")).isFalse();
  }
}
