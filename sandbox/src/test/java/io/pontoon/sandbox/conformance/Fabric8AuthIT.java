package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.as;
import static io.pontoon.sandbox.conformance.Fabric8Support.client;
import static io.pontoon.sandbox.conformance.Fabric8Support.createNamespace;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static io.pontoon.sandbox.conformance.Fabric8Support.pod;
import static io.pontoon.sandbox.conformance.Fabric8Support.tokenConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 7: authentication (certificates, tokens), RBAC, review APIs and escalation checks. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8AuthIT {
  private static final String NS = "rbac";
  private SandboxApiServer server;
  private KubernetesClient admin;

  @BeforeAll
  void setUp(SandboxApiServer server) {
    this.server = server;
    admin = admin(server);
    createNamespace(admin, NS, Map.of());
    admin.pods().inNamespace(NS).resource(pod("p", Map.of())).create();
    role(NS, "pod-reader", new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list",
        "watch").build());
    roleBinding(NS, "devs-read-pods", "Role", "pod-reader", new SubjectBuilder().withKind("Group")
        .withApiGroup("rbac.authorization.k8s.io").withName("devs").build());
  }

  @AfterAll
  void tearDown() {
    admin.close();
  }

  private void role(String ns, String name, io.fabric8.kubernetes.api.model.rbac.PolicyRule... rules) {
    admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
        .withRules(rules).build()).create();
  }

  private void roleBinding(String ns, String name, String roleKind, String role,
      io.fabric8.kubernetes.api.model.rbac.Subject subject) {
    admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind(roleKind).withName(role)
        .endRoleRef().withSubjects(subject).build()).create();
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject user(String name) {
    return new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(name).build();
  }

  @Test
  void clientCertificateNamesUserAndGroups() {
    try (KubernetesClient alice = as(server, "alice", "devs", "qa")) {
      var review = alice.authentication().v1().selfSubjectReviews().create(new SelfSubjectReviewBuilder().build());
      assertThat(review.getStatus().getUserInfo().getUsername()).isEqualTo("alice");
      assertThat(review.getStatus().getUserInfo().getGroups()).containsExactlyInAnyOrder("devs", "qa",
          "system:authenticated");
    }
  }

  @Test
  void roleBindingGrantsOnlyItsNamespaceAndVerbs() {
    try (KubernetesClient alice = as(server, "alice", "devs")) {
      assertThat(alice.pods().inNamespace(NS).list().getItems()).extracting(p -> p.getMetadata().getName())
          .contains("p");
      assertThat(alice.pods().inNamespace(NS).withName("p").get()).isNotNull();
      Status list = expectStatus(403, "Forbidden", () -> alice.pods().inNamespace("default").list());
      assertThat(list.getMessage()).isEqualTo("pods is forbidden: User \"alice\" cannot list resource \"pods\" in "
          + "API group \"\" in the namespace \"default\"");
      Status del = expectStatus(403, "Forbidden", () -> alice.pods().inNamespace(NS).withName("p").delete());
      assertThat(del.getMessage()).isEqualTo("pods \"p\" is forbidden: User \"alice\" cannot delete resource "
          + "\"pods\" in API group \"\" in the namespace \"rbac\"");
      assertThat(del.getDetails().getName()).isEqualTo("p");
      assertThat(del.getDetails().getKind()).isEqualTo("pods");
      Status cluster = expectStatus(403, "Forbidden", () -> alice.nodes().list());
      assertThat(cluster.getMessage()).isEqualTo("nodes is forbidden: User \"alice\" cannot list resource \"nodes\" "
          + "in API group \"\" at the cluster scope");
    }
    // a user outside the group gets nothing
    try (KubernetesClient mallory = as(server, "mallory")) {
      expectStatus(403, "Forbidden", () -> mallory.pods().inNamespace(NS).list());
    }
  }

  @Test
  void resourceNamesLimitAccessToNamedObjects() {
    for (String n : List.of("allowed", "secret-ish")) {
      admin.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(n).endMetadata()
          .build()).create();
    }
    role(NS, "one-cm", new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
        .withResourceNames("allowed").withVerbs("get", "update").build());
    roleBinding(NS, "carol-one-cm", "Role", "one-cm", user("carol"));
    try (KubernetesClient carol = as(server, "carol")) {
      assertThat(carol.configMaps().inNamespace(NS).withName("allowed").get()).isNotNull();
      expectStatus(403, "Forbidden", () -> carol.configMaps().inNamespace(NS).withName("secret-ish").get());
      // a list has no name, so resourceNames never allow it
      expectStatus(403, "Forbidden", () -> carol.configMaps().inNamespace(NS).list());
    }
  }

  @Test
  void subresourcesAreAuthorizedSeparately() {
    role(NS, "status-writer", new PolicyRuleBuilder().withApiGroups("").withResources("pods/status")
        .withVerbs("get", "update", "patch").build(), new PolicyRuleBuilder().withApiGroups("").withResources("pods")
        .withVerbs("get").build());
    roleBinding(NS, "dave-status", "Role", "status-writer", user("dave"));
    try (KubernetesClient dave = as(server, "dave")) {
      Pod p = dave.pods().inNamespace(NS).withName("p").get();
      p.getStatus().setPhase("Running");
      assertThat(dave.pods().inNamespace(NS).resource(p).updateStatus().getStatus().getPhase()).isEqualTo("Running");
      Pod q = dave.pods().inNamespace(NS).withName("p").get();
      q.getMetadata().setLabels(Map.of("x", "y"));
      Status s = expectStatus(403, "Forbidden", () -> dave.pods().inNamespace(NS).resource(q).update());
      assertThat(s.getMessage()).contains("cannot update resource \"pods\"");
    }
  }

  @Test
  void clusterRoleBindingGrantsEverywhere() {
    admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("node-viewer")
        .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("").withResources("nodes", "namespaces")
            .withVerbs("get", "list").build()).build()).create();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("erin-nodes").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName("node-viewer").endRoleRef().withSubjects(user("erin")).build()).create();
    // a RoleBinding to a ClusterRole grants it in one namespace only
    roleBinding(NS, "frank-view", "ClusterRole", "view", user("frank"));
    try (KubernetesClient erin = as(server, "erin"); KubernetesClient frank = as(server, "frank")) {
      assertThat(erin.namespaces().list().getItems()).isNotEmpty();
      assertThat(erin.nodes().list().getItems()).isEmpty();
      assertThat(frank.pods().inNamespace(NS).list().getItems()).isNotEmpty();
      expectStatus(403, "Forbidden", () -> frank.pods().inNamespace("default").list());
      expectStatus(403, "Forbidden", () -> frank.namespaces().list());
    }
  }

  @Test
  void bearerTokensAuthenticate() {
    try (KubernetesClient byToken = client(tokenConfig(server, server.adminToken()))) {
      assertThat(byToken.namespaces().withName("default").get()).isNotNull();
    }
    try (KubernetesClient bad = client(tokenConfig(server, "not-a-token"))) {
      Status s = expectStatus(401, "Unauthorized", () -> bad.namespaces().list());
      assertThat(s.getMessage()).isEqualTo("Unauthorized");
    }
  }

  @Test
  void serviceAccountTokenFromTokenRequest() {
    admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("robot")
        .endMetadata().build()).create();
    TokenRequest tr = admin.serviceAccounts().inNamespace(NS).withName("robot").tokenRequest(new TokenRequestBuilder()
        .withNewSpec().withExpirationSeconds(3600L).endSpec().build());
    String token = tr.getStatus().getToken();
    assertThat(token).isNotEmpty();
    assertThat(tr.getStatus().getExpirationTimestamp()).isNotEmpty();

    TokenReview review = admin.authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
        .withToken(token).endSpec().build());
    assertThat(review.getStatus().getAuthenticated()).isTrue();
    assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:rbac:robot");
    assertThat(review.getStatus().getUser().getGroups()).contains("system:serviceaccounts",
        "system:serviceaccounts:rbac", "system:authenticated");
    TokenReview bogus = admin.authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
        .withToken("bogus").endSpec().build());
    assertThat(bogus.getStatus().getAuthenticated()).isFalse();

    roleBinding(NS, "robot-reads-pods", "Role", "pod-reader", new SubjectBuilder().withKind("ServiceAccount")
        .withName("robot").withNamespace(NS).build());
    try (KubernetesClient robot = client(tokenConfig(server, token))) {
      assertThat(robot.pods().inNamespace(NS).list().getItems()).isNotEmpty();
      Status s = expectStatus(403, "Forbidden", () -> robot.secrets().inNamespace(NS).list());
      assertThat(s.getMessage()).contains("User \"system:serviceaccount:rbac:robot\" cannot list resource \"secrets\"");
      // the token dies with its ServiceAccount
      admin.serviceAccounts().inNamespace(NS).withName("robot").delete();
      expectStatus(401, "Unauthorized", () -> robot.pods().inNamespace(NS).list());
    }
    // the serviceaccount controller gives every namespace its "default" ServiceAccount
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> admin.serviceAccounts().inNamespace(NS).withName("default").get() != null);
    Status tooShort = expectStatus(422, "Invalid", () -> admin.serviceAccounts().inNamespace("default")
        .withName("default").tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(60L).endSpec()
            .build()));
    assertThat(tooShort.getMessage()).contains("may not specify a duration less than 10 minutes");
  }

  @Test
  void subjectAccessReviewAnswersForAnyUser() {
    SubjectAccessReview allowed = admin.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withNewSpec().withUser("alice").withGroups("devs").withNewResourceAttributes()
            .withNamespace(NS).withVerb("list").withResource("pods").endResourceAttributes().endSpec().build());
    assertThat(allowed.getStatus().getAllowed()).isTrue();
    SubjectAccessReview denied = admin.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withNewSpec().withUser("alice").withGroups("devs").withNewResourceAttributes()
            .withNamespace(NS).withVerb("delete").withResource("pods").endResourceAttributes().endSpec().build());
    assertThat(denied.getStatus().getAllowed()).isFalse();
    SubjectAccessReview masters = admin.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withNewSpec().withUser("root").withGroups("system:masters")
            .withNewResourceAttributes().withVerb("delete").withResource("nodes").endResourceAttributes().endSpec()
            .build());
    assertThat(masters.getStatus().getAllowed()).isTrue();
    expectStatus(422, "Invalid", () -> admin.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withVerb("get").withResource("pods")
            .endResourceAttributes().endSpec().build()));
  }

  @Test
  void creatingARoleWithMoreRightsThanTheCreatorIsRefused() {
    createNamespace(admin, "escalate", Map.of());
    role("escalate", "role-admin", new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io")
        .withResources("roles").withVerbs("create", "get").build(), new PolicyRuleBuilder().withApiGroups("")
        .withResources("pods").withVerbs("get").build());
    roleBinding("escalate", "gina-role-admin", "Role", "role-admin", user("gina"));
    try (KubernetesClient gina = as(server, "gina")) {
      // granting what she holds is fine
      gina.rbac().roles().inNamespace("escalate").resource(new RoleBuilder().withNewMetadata().withName("subset")
          .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get")
              .build()).build()).create();
      Status s = expectStatus(403, "Forbidden", () -> gina.rbac().roles().inNamespace("escalate").resource(
          new RoleBuilder().withNewMetadata().withName("more").endMetadata().withRules(new PolicyRuleBuilder()
              .withApiGroups("").withResources("pods").withVerbs("get", "delete").build()).build()).create());
      assertThat(s.getMessage()).startsWith("roles.rbac.authorization.k8s.io \"more\" is forbidden: user \"gina\"")
          .contains("is attempting to grant RBAC permissions not currently held")
          .contains("Verbs:[\"delete\"]");
    }
    assertThat(admin.rbac().roles().inNamespace("escalate").withName("more").get()).isNull();
  }
}
