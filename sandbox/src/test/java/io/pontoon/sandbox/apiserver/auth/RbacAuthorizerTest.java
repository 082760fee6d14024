package io.pontoon.sandbox.apiserver.auth;

import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.clusterRole;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.clusterRoleBinding;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.group;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.role;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.roleBinding;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.rule;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.serviceAccount;
import static io.pontoon.sandbox.apiserver.auth.RbacFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacAuthorizerTest {
  static final UserInfo ALICE = UserInfo.authenticated("alice", "", List.of());
  static final UserInfo BOB = UserInfo.authenticated("bob", "", List.of());
  static final UserInfo CAROL = UserInfo.authenticated("carol", "", List.of());
  static final UserInfo DAVE = UserInfo.authenticated("dave", "", List.of());
  static final UserInfo DEV = UserInfo.authenticated("erin", "", List.of("devs"));
  static final UserInfo MASTER = UserInfo.authenticated("root", "", List.of("system:masters"));
  static final UserInfo ADMIN = UserInfo.authenticated("admin-user", "", List.of());
  static final UserInfo ROBOT_A = ServiceAccounts.user("team-a", "robot", "");
  static final UserInfo ROBOT_B = ServiceAccounts.user("team-b", "robot", "");
  static final UserInfo ANONYMOUS = UserInfo.anonymous();

  static RbacFixtures fixtures() {
    RbacFixtures f = new RbacFixtures().withBootstrapPolicy();
    f.clusterRoles.add(clusterRole("pod-reader", Map.of(), rule(List.of("get", "list", "watch"), List.of(""), List.of("pods"))));
    f.clusterRoles.add(clusterRole("scaler", Map.of(), rule(List.of("get", "update"), List.of("apps"), List.of("*/scale"))));
    f.clusterRoles.add(clusterRole("named-cm", Map.of(),
        rule(List.of("get", "update", "list", "create"), List.of(""), List.of("configmaps")).withResourceNames(List.of("app-config"))));
    f.clusterRoles.add(clusterRole("health", Map.of(), PolicyRule.nonResource(List.of("get"), List.of("/healthz/*"))));
    ObjectNode agg = clusterRole("aggregated-reader", Map.of());
    agg.putObject("aggregationRule").putArray("clusterRoleSelectors")
        .add(Json.object().set("matchLabels", Json.object().put("example.com/agg", "true")))
        .add(Json.object().set("matchExpressions", Json.NODES.arrayNode().add(
            Json.object().put("key", "tier").put("operator", "In").set("values", Json.NODES.arrayNode().add("gold")))));
    f.clusterRoles.add(agg);
    f.clusterRoles.add(clusterRole("agg-secrets", Map.of("example.com/agg", "true"),
        rule(List.of("get"), List.of(""), List.of("secrets"))));
    f.clusterRoles.add(clusterRole("agg-gold", Map.of("tier", "gold"), rule(List.of("list"), List.of(""), List.of("services"))));
    f.clusterRoles.add(clusterRole("not-aggregated", Map.of("tier", "silver"), rule(List.of("*"), List.of("*"), List.of("*"))));
    f.roles.add(role("team-a", "deployer", rule(List.of("create", "update"), List.of("apps"), List.of("deployments"))));

    f.clusterRoleBindings.add(clusterRoleBinding("alice-pods", "ClusterRole", "pod-reader", user("alice")));
    f.clusterRoleBindings.add(clusterRoleBinding("devs-cm", "ClusterRole", "named-cm", group("devs")));
    f.clusterRoleBindings.add(clusterRoleBinding("robot-b-scaler", "ClusterRole", "scaler", serviceAccount("team-b", "robot")));
    f.clusterRoleBindings.add(clusterRoleBinding("sa-without-ns", "ClusterRole", "cluster-admin", serviceAccount("", "robot")));
    f.clusterRoleBindings.add(clusterRoleBinding("carol-agg", "ClusterRole", "aggregated-reader", user("carol")));
    f.clusterRoleBindings.add(clusterRoleBinding("dave-missing", "ClusterRole", "nope", user("dave")));
    f.clusterRoleBindings.add(clusterRoleBinding("health", "ClusterRole", "health", group("system:authenticated")));
    f.clusterRoleBindings.add(clusterRoleBinding("admins", "ClusterRole", "cluster-admin", user("admin-user")));
    f.roleBindings.add(roleBinding("team-a", "bob-deployer", "Role", "deployer", user("bob")));
    f.roleBindings.add(roleBinding("team-a", "bob-view", "ClusterRole", "view", user("bob")));
    f.roleBindings.add(roleBinding("team-a", "robot-reader", "ClusterRole", "pod-reader", serviceAccount("", "robot")));
    f.roleBindings.add(roleBinding("team-a", "dave-missing-role", "Role", "absent", user("dave")));
    return f;
  }

  private final RbacAuthorizer authorizer = new RbacAuthorizer(fixtures());

  static RequestAttributes res(String verb, String group, String resource, String ns, String name) {
    return RequestAttributes.resource(verb, group, resource, ns, name);
  }

  static RequestAttributes sub(String verb, String group, String resource, String subresource, String ns, String name) {
    return RequestAttributes.subresource(verb, group, resource, subresource, ns, name);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // user subject, ClusterRoleBinding, exact reason
        Arguments.of(ALICE, res("list", "", "pods", "default", ""), true,
            "RBAC: allowed by ClusterRoleBinding \"alice-pods\" of ClusterRole \"pod-reader\" to User \"alice\""),
        Arguments.of(ALICE, res("get", "", "pods", "", "p1"), true, null),
        Arguments.of(ALICE, res("delete", "", "pods", "default", "p1"), false, ""),
        Arguments.of(ALICE, res("get", "apps", "pods", "default", "p1"), false, ""),
        // a subresource needs its own rule
        Arguments.of(ALICE, sub("get", "", "pods", "log", "default", "p1"), false, ""),
        // Role through RoleBinding, only in its namespace
        Arguments.of(BOB, res("create", "apps", "deployments", "team-a", ""), true,
            "RBAC: allowed by RoleBinding \"bob-deployer/team-a\" of Role \"deployer\" to User \"bob\""),
        Arguments.of(BOB, res("create", "apps", "deployments", "team-b", ""), false, ""),
        // RoleBinding to an aggregated ClusterRole (view)
        Arguments.of(BOB, res("watch", "", "pods", "team-a", ""), true,
            "RBAC: allowed by RoleBinding \"bob-view/team-a\" of ClusterRole \"view\" to User \"bob\""),
        Arguments.of(BOB, sub("get", "apps", "deployments", "scale", "team-a", "web"), true, null),
        Arguments.of(BOB, res("get", "", "secrets", "team-a", "s"), false, ""),
        Arguments.of(BOB, res("list", "", "pods", "", ""), false, ""),
        // ServiceAccount subject without namespace in a RoleBinding means the binding's namespace
        Arguments.of(ROBOT_A, res("list", "", "pods", "team-a", ""), true,
            "RBAC: allowed by RoleBinding \"robot-reader/team-a\" of ClusterRole \"pod-reader\" to ServiceAccount \"robot/team-a\""),
        Arguments.of(ROBOT_B, res("list", "", "pods", "team-a", ""), false, ""),
        // ... and never matches in a ClusterRoleBinding
        Arguments.of(ROBOT_A, res("delete", "", "nodes", "", "n1"), false, ""),
        // */scale
        Arguments.of(ROBOT_B, sub("update", "apps", "statefulsets", "scale", "team-b", "db"), true,
            "RBAC: allowed by ClusterRoleBinding \"robot-b-scaler\" of ClusterRole \"scaler\" to ServiceAccount \"robot/team-b\""),
        Arguments.of(ROBOT_B, res("update", "apps", "statefulsets", "team-b", "db"), false, ""),
        Arguments.of(ROBOT_B, sub("update", "apps", "statefulsets", "status", "team-b", "db"), false, ""),
        // resourceNames restrict named requests and rule out unnamed ones
        Arguments.of(DEV, res("get", "", "configmaps", "x", "app-config"), true,
            "RBAC: allowed by ClusterRoleBinding \"devs-cm\" of ClusterRole \"named-cm\" to Group \"devs\""),
        Arguments.of(DEV, res("update", "", "configmaps", "x", "other"), false, ""),
        Arguments.of(DEV, res("list", "", "configmaps", "x", ""), false, ""),
        Arguments.of(DEV, res("create", "", "configmaps", "x", ""), false, ""),
        // aggregation: matchLabels and matchExpressions, not other labels
        Arguments.of(CAROL, res("get", "", "secrets", "any", "s"), true,
            "RBAC: allowed by ClusterRoleBinding \"carol-agg\" of ClusterRole \"aggregated-reader\" to User \"carol\""),
        Arguments.of(CAROL, res("list", "", "services", "any", ""), true, null),
        Arguments.of(CAROL, res("delete", "", "services", "any", "x"), false, ""),
        // a binding to a missing role: denial says why
        Arguments.of(DAVE, res("get", "", "pods", "", "p"), false,
            "RBAC: clusterrole.rbac.authorization.k8s.io \"nope\" not found"),
        Arguments.of(DAVE, res("get", "", "pods", "team-a", "p"), false,
            "RBAC: [clusterrole.rbac.authorization.k8s.io \"nope\" not found, role.rbac.authorization.k8s.io \"absent\" not found]"),
        // system:masters needs no binding, and kube gives no reason
        Arguments.of(MASTER, res("deletecollection", "x.example.com", "widgets", "", ""), true, ""),
        // wildcards in cluster-admin
        Arguments.of(ADMIN, sub("create", "", "pods", "exec", "kube-system", "p"), true, null),
        Arguments.of(ADMIN, RequestAttributes.nonResource("get", "/metrics"), true, null),
        // non-resource URLs, exact and trailing *
        Arguments.of(ANONYMOUS, RequestAttributes.nonResource("get", "/healthz"), true,
            "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole \"system:public-info-viewer\" to Group \"system:unauthenticated\""),
        Arguments.of(ANONYMOUS, RequestAttributes.nonResource("get", "/api"), false, ""),
        Arguments.of(ANONYMOUS, RequestAttributes.nonResource("get", "/healthz/etcd"), false, ""),
        Arguments.of(ALICE, RequestAttributes.nonResource("get", "/healthz/etcd"), true, null),
        Arguments.of(ALICE, RequestAttributes.nonResource("get", "/apis/apps/v1"), true, null),
        Arguments.of(ALICE, RequestAttributes.nonResource("post", "/api"), false, ""),
        Arguments.of(ALICE, RequestAttributes.nonResource("get", "/metrics"), false, ""),
        // system:basic-user
        Arguments.of(ALICE, res("create", "authorization.k8s.io", "selfsubjectrulesreviews", "", ""), true, null),
        Arguments.of(ANONYMOUS, res("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", ""), false, ""));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @MethodSource("cases")
  void decides(UserInfo user, RequestAttributes attrs, boolean allowed, String reason) {
    Decision d = authorizer.authorize(user, attrs);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    if (reason != null) assertThat(d.reason()).isEqualTo(reason);
  }

  @Test
  void rulesForListsClusterAndNamespaceRules() {
    RbacAuthorizer.ResolvedRules rules = authorizer.rulesFor(BOB, "team-a");
    assertThat(rules.errors()).isEmpty();
    assertThat(rules.rules()).contains(rule(List.of("create", "update"), List.of("apps"), List.of("deployments")));
    assertThat(rules.resourceRules()).anyMatch(r -> r.resources().contains("selfsubjectrulesreviews"));
    assertThat(rules.nonResourceRules()).anyMatch(r -> r.nonResourceURLs().contains("/version"));
    assertThat(authorizer.rulesFor(BOB, "team-b").rules())
        .doesNotContain(rule(List.of("create", "update"), List.of("apps"), List.of("deployments")));

    ObjectNode status = authorizer.rulesFor(DAVE, "team-a").toSubjectRulesReviewStatus();
    assertThat(status.get("incomplete").asBoolean()).isFalse();
    assertThat(status.get("evaluationError").asText()).contains("\"nope\" not found").contains("\"absent\" not found");
    assertThat(status.get("resourceRules").isArray()).isTrue();
    ObjectNode first = (ObjectNode) authorizer.rulesFor(DEV, "").toSubjectRulesReviewStatus().get("resourceRules").get(0);
    assertThat(first.has("verbs")).isTrue();
  }

  @Test
  void aggregatedRulesAreTheUnionOfMatchingRoles() {
    ObjectNode view = fixtures().clusterRole("view").orElseThrow();
    List<PolicyRule> viewRules = authorizer.effectiveRules(view);
    ObjectNode edit = fixtures().clusterRole("edit").orElseThrow();
    List<PolicyRule> editRules = authorizer.effectiveRules(edit);
    // edit aggregates view; admin aggregates edit
    assertThat(editRules).containsAll(viewRules);
    assertThat(authorizer.effectiveRules(fixtures().clusterRole("admin").orElseThrow())).containsAll(editRules);
    assertThat(editRules).hasSizeGreaterThan(viewRules.size());
  }

  @Test
  void aggregationCyclesTerminate() {
    RbacFixtures f = new RbacFixtures();
    ObjectNode a = clusterRole("a", Map.of("x", "true"), rule(List.of("get"), List.of(""), List.of("pods")));
    a.putObject("aggregationRule").putArray("clusterRoleSelectors").add(Json.object().set("matchLabels", Json.object().put("y", "true")));
    ObjectNode b = clusterRole("b", Map.of("y", "true"), rule(List.of("get"), List.of(""), List.of("secrets")));
    b.putObject("aggregationRule").putArray("clusterRoleSelectors").add(Json.object().set("matchLabels", Json.object().put("x", "true")));
    f.clusterRoles.add(a);
    f.clusterRoles.add(b);
    f.clusterRoleBindings.add(clusterRoleBinding("ab", "ClusterRole", "a", user("u")));
    RbacAuthorizer z = new RbacAuthorizer(f);
    UserInfo u = UserInfo.authenticated("u", "", List.of());
    assertThat(z.authorize(u, res("get", "", "secrets", "", "s")).allowed()).isTrue();
    assertThat(z.authorize(u, res("get", "", "pods", "", "s")).allowed()).isTrue();
  }

  @Test
  void pluggableSelectorMatcher() {
    RbacAuthorizer none = new RbacAuthorizer(fixtures(), (selector, labels) -> false);
    assertThat(none.authorize(CAROL, res("get", "", "secrets", "any", "s")).allowed()).isFalse();
  }

  @Test
  void labelSelectorOperators() {
    LabelSelectorMatch m = LabelSelectorMatch.INSTANCE;
    ObjectNode labels = Json.object().put("a", "1").put("b", "2");
    assertThat(m.test(Json.object(), labels)).as("empty selects everything").isTrue();
    assertThat(m.test(null, labels)).as("absent selects nothing").isFalse();
    assertThat(m.test(sel("a", "In", "1", "3"), labels)).isTrue();
    assertThat(m.test(sel("a", "NotIn", "1"), labels)).isFalse();
    assertThat(m.test(sel("c", "NotIn", "1"), labels)).isTrue();
    assertThat(m.test(sel("b", "Exists"), labels)).isTrue();
    assertThat(m.test(sel("b", "DoesNotExist"), labels)).isFalse();
    assertThat(m.test(sel("b", "Exists"), null)).isFalse();
  }

  private static ObjectNode sel(String key, String op, String... values) {
    ObjectNode expr = Json.object().put("key", key).put("operator", op);
    var v = expr.putArray("values");
    for (String s : values) v.add(s);
    ObjectNode selector = Json.object();
    selector.putArray("matchExpressions").add(expr);
    return selector;
  }
}
