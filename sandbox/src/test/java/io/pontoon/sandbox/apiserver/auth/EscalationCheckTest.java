package io.pontoon.sandbox.apiserver.auth;

import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.clusterRole;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.clusterRoleBinding;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.role;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.roleBinding;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.rule;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EscalationCheckTest {
  static final UserInfo ALICE = UserInfo.authenticated("alice", "", List.of());
  static final UserInfo ESCALATOR = UserInfo.authenticated("esc", "", List.of());
  static final UserInfo BINDER = UserInfo.authenticated("binder", "", List.of());
  static final UserInfo MASTER = UserInfo.authenticated("root", "", List.of("system:masters"));

  private final RbacFixtures objects = fixtures();
  private final EscalationCheck check = new EscalationCheck(new RbacAuthorizer(objects));

  static RbacFixtures fixtures() {
    RbacFixtures f = new RbacFixtures();
    f.clusterRoles.add(clusterRole("pod-reader", Map.of(), rule(List.of("get", "list", "watch"), List.of(""), List.of("pods"))));
    f.clusterRoles.add(clusterRole("pod-admin", Map.of(), rule(List.of("*"), List.of(""), List.of("pods", "pods/log"))));
    f.clusterRoles.add(clusterRole("role-escalator", Map.of(),
        rule(List.of("escalate", "create", "update"), List.of("rbac.authorization.k8s.io"), List.of("roles"))));
    f.clusterRoles.add(clusterRole("edit-binder", Map.of(),
        rule(List.of("bind"), List.of("rbac.authorization.k8s.io"), List.of("clusterroles")).withResourceNames(List.of("pod-admin"))));
    f.clusterRoleBindings.add(clusterRoleBinding("alice", "ClusterRole", "pod-reader", user("alice")));
    f.roleBindings.add(roleBinding("ns1", "esc", "ClusterRole", "role-escalator", user("esc")));
    f.roleBindings.add(roleBinding("ns1", "binder", "ClusterRole", "edit-binder", user("binder")));
    f.roles.add(role("ns1", "local-reader", rule(List.of("get"), List.of(""), List.of("pods"))));
    return f;
  }

  @Test
  void roleWithinHeldPermissionsIsAllowed() {
    assertThat(check.checkRoleWrite(ALICE, role("ns1", "r", rule(List.of("get", "list"), List.of(""), List.of("pods"))), null))
        .isEmpty();
  }

  @Test
  void roleGrantingMoreIsForbiddenInKubesWords() {
    ObjectNode r = role("ns1", "r", rule(List.of("get", "delete", "patch"), List.of(""), List.of("pods")),
        rule(List.of("get"), List.of(""), List.of("secrets")).withResourceNames(List.of("s1")));
    Optional<ApiException> e = check.checkRoleWrite(ALICE, r, null);
    assertThat(e).isPresent();
    assertThat(e.get().code()).isEqualTo(403);
    assertThat(e.get().getMessage()).isEqualTo(
        "roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"alice\" (groups=[\"system:authenticated\"]) "
            + "is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\" \"patch\"]}\n"
            + "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"s1\"], Verbs:[\"get\"]}");
    assertThat(e.get().details().kind()).isEqualTo("roles");
    assertThat(e.get().details().group()).isEqualTo("rbac.authorization.k8s.io");
  }

  @Test
  void escalateVerbLetsRolesThrough() {
    ObjectNode r = role("ns1", "r", rule(List.of("*"), List.of("*"), List.of("*")));
    assertThat(check.checkRoleWrite(ESCALATOR, r, null)).isEmpty();
    // only in the namespace where it was granted
    ObjectNode other = role("ns2", "r", rule(List.of("*"), List.of("*"), List.of("*")));
    assertThat(check.checkRoleWrite(ESCALATOR, other, null)).isPresent();
  }

  @Test
  void mastersMayDoAnything() {
    ObjectNode cr = clusterRole("big", Map.of(), rule(List.of("*"), List.of("*"), List.of("*")));
    assertThat(check.checkRoleWrite(MASTER, cr, null)).isEmpty();
    ObjectNode b = clusterRoleBinding("b", "ClusterRole", "pod-admin", user("x"));
    assertThat(check.checkBindingWrite(MASTER, b, null)).isEmpty();
  }

  @Test
  void aggregationRuleNeedsFullAuthority() {
    ObjectNode cr = clusterRole("agg", Map.of());
    cr.putObject("aggregationRule").putArray("clusterRoleSelectors").add(Json.object().set("matchLabels", Json.object().put("a", "b")));
    Optional<ApiException> e = check.checkRoleWrite(ALICE, cr, null);
    assertThat(e).map(ApiException::getMessage).contains(
        "clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must have cluster-admin privileges to use the aggregationRule");
    // removing it from an existing aggregated role is checked too
    ObjectNode plain = clusterRole("agg", Map.of());
    assertThat(check.checkRoleWrite(ALICE, plain, cr)).isPresent();
  }

  @Test
  void garbageCollectionOnlyUpdatesPass() {
    ObjectNode old = role("ns1", "r", rule(List.of("*"), List.of("*"), List.of("*")));
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.get("metadata")).putArray("finalizers").add("example.com/f");
    ((ObjectNode) updated.get("metadata")).put("resourceVersion", "9");
    assertThat(check.checkRoleWrite(ALICE, updated, old)).isEmpty();
    ObjectNode changed = updated.deepCopy();
    changed.set("rules", PolicyRule.toJson(List.of(rule(List.of("get"), List.of("*"), List.of("*")))));
    assertThat(check.checkRoleWrite(ALICE, changed, old)).isPresent();
  }

  @Test
  void bindingHeldPermissionsIsAllowed() {
    assertThat(check.checkBindingWrite(ALICE, roleBinding("ns1", "b", "ClusterRole", "pod-reader", user("bob")), null)).isEmpty();
    assertThat(check.checkBindingWrite(ALICE, roleBinding("ns1", "b", "Role", "local-reader", user("bob")), null)).isEmpty();
    assertThat(check.checkBindingWrite(ALICE, clusterRoleBinding("b", "ClusterRole", "pod-reader", user("bob")), null)).isEmpty();
  }

  @Test
  void bindingMoreIsForbidden() {
    Optional<ApiException> e = check.checkBindingWrite(ALICE, roleBinding("ns1", "b", "ClusterRole", "pod-admin", user("bob")), null);
    assertThat(e).isPresent();
    assertThat(e.get().getMessage()).startsWith(
        "rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user \"alice\" (groups=[\"system:authenticated\"]) "
            + "is attempting to grant RBAC permissions not currently held:\n")
        .contains("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"*\"]}")
        .contains("{APIGroups:[\"\"], Resources:[\"pods/log\"], Verbs:[\"*\"]}");
  }

  @Test
  void bindVerbLetsBindingsThroughWhereGranted() {
    assertThat(check.checkBindingWrite(BINDER, roleBinding("ns1", "b", "ClusterRole", "pod-admin", user("bob")), null)).isEmpty();
    // bind was granted in ns1 only, and for pod-admin only
    assertThat(check.checkBindingWrite(BINDER, roleBinding("ns2", "b", "ClusterRole", "pod-admin", user("bob")), null)).isPresent();
    assertThat(check.checkBindingWrite(BINDER, clusterRoleBinding("b", "ClusterRole", "pod-admin", user("bob")), null)).isPresent();
    assertThat(check.checkBindingWrite(BINDER, roleBinding("ns1", "b", "ClusterRole", "pod-reader", user("bob")), null)).isPresent();
  }

  @Test
  void bindingAMissingRoleIsNotFound() {
    Optional<ApiException> e = check.checkBindingWrite(ALICE, roleBinding("ns1", "b", "ClusterRole", "ghost", user("bob")), null);
    assertThat(e).isPresent();
    assertThat(e.get().code()).isEqualTo(404);
    assertThat(e.get().getMessage()).isEqualTo("clusterroles.rbac.authorization.k8s.io \"ghost\" not found");
  }

  @Test
  void coversFollowsKubesComparator() {
    List<ObjectNode> all = List.of(rule(List.of("*"), List.of("*"), List.of("*")).toJson());
    List<ObjectNode> pods = List.of(rule(List.of("get"), List.of(""), List.of("pods")).toJson());
    List<ObjectNode> podLogs = List.of(rule(List.of("get"), List.of(""), List.of("pods/log")).toJson());
    List<ObjectNode> starScale = List.of(rule(List.of("update"), List.of("apps"), List.of("*/scale")).toJson());
    List<ObjectNode> deployScale = List.of(rule(List.of("update"), List.of("apps"), List.of("deployments/scale")).toJson());
    List<ObjectNode> named = List.of(rule(List.of("get"), List.of(""), List.of("pods")).withResourceNames(List.of("a")).toJson());
    assertThat(PolicyComparator.covers(all, pods)).isTrue();
    assertThat(PolicyComparator.covers(pods, podLogs)).isFalse();
    assertThat(PolicyComparator.covers(starScale, deployScale)).isTrue();
    assertThat(PolicyComparator.covers(deployScale, starScale)).isFalse();
    assertThat(PolicyComparator.covers(pods, named)).as("unrestricted covers named").isTrue();
    assertThat(PolicyComparator.covers(named, pods)).as("named does not cover unrestricted").isFalse();
    List<ObjectNode> healthStar = List.of(PolicyRule.nonResource(List.of("get"), List.of("/healthz/*")).toJson());
    List<ObjectNode> healthEtcd = List.of(PolicyRule.nonResource(List.of("get"), List.of("/healthz/etcd")).toJson());
    assertThat(PolicyComparator.covers(healthStar, healthEtcd)).isTrue();
    assertThat(PolicyComparator.covers(healthEtcd, healthStar)).isFalse();
    assertThat(PolicyComparator.covers(pods, List.of())).isTrue();
  }
}
