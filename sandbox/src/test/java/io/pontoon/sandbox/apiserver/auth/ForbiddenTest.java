package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.apiserver.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForbiddenTest {
  static final UserInfo ALICE = UserInfo.authenticated("alice", "", List.of());

  @Test
  void namespacedCollection() {
    assertThat(Forbidden.message(ALICE, RequestAttributes.resource("list", "", "pods", "default", ""), ""))
        .isEqualTo("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
  }

  @Test
  void clusterScopedNamedObject() {
    assertThat(Forbidden.message(ALICE, RequestAttributes.resource("get", "", "nodes", "", "n1"), null))
        .isEqualTo("nodes \"n1\" is forbidden: User \"alice\" cannot get resource \"nodes\" in API group \"\" at the cluster scope");
  }

  @Test
  void subresourceOfAGroup() {
    ApiException e = Forbidden.of(ALICE,
        RequestAttributes.subresource("update", "apps", "deployments", "scale", "default", "web"), "");
    assertThat(e.code()).isEqualTo(403);
    assertThat(e.reason()).isEqualTo("Forbidden");
    assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: User \"alice\" cannot update resource "
        + "\"deployments/scale\" in API group \"apps\" in the namespace \"default\"");
    assertThat(e.details().name()).isEqualTo("web");
    assertThat(e.details().group()).isEqualTo("apps");
    assertThat(e.details().kind()).isEqualTo("deployments");
  }

  @Test
  void nonResourcePathAndReason() {
    ApiException e = Forbidden.of(ALICE, RequestAttributes.nonResource("get", "/metrics"), "RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
    assertThat(e.getMessage()).isEqualTo(
        "forbidden: User \"alice\" cannot get path \"/metrics\": RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
    assertThat(e.details()).isNull();
  }
}
