package io.pontoon.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's RBAC (install/020..025) against what the code does: each access below is taken
 * from a call in peering/, vk-provider/, gateway/ or api/ (class named in the reason), the
 * sandbox API server's authorizer must allow it for the agent's ServiceAccount, the rules must
 * grant nothing beyond that list, and a set of dangerous rights must stay denied. Finally the
 * agent, under its own identity, creates the tenant Roles and RoleBindings it makes during
 * peering and offloading, which RBAC's escalation prevention allows only if it holds every
 * right it hands out.
 */
@ExtendWith(SandboxExtension.class)
class ClusterRoleCoverageIT {
  static final String SYS = "pontoon-system";
  static final String TENANT = "pontoon-tenant-cluster-2";
  static final String TWIN = "web-cluster-1";
  static final String HOME = "shop";
  static final String LEASES = "kube-node-lease";
  static final String CONSUMER_ID = "0e6f1d1c-4b33-4c1e-9a59-8c2f6d9b7a01";
  static final List<String> ALL = List.of("get", "list", "watch", "create", "update", "patch", "delete");
  static final List<String> CRDS = List.of("foreignclusters.pontoon.io", "namespaceoffloadings.pontoon.io",
      "networkconfigs.pontoon.io", "resourceslices.pontoon.io", "shadowpods.pontoon.io", "tunnels.pontoon.io",
      "twinnamespaces.pontoon.io");

  /** One API access: resource may carry "/subresource"; name only where the grant is name-bound. */
  record Access(String verb, String group, String resource, String namespace, String name, String why) {
    static Access of(String verb, String group, String resource, String namespace, String why) {
      return new Access(verb, group, resource, namespace, null, why);
    }

    String triple() {
      return group + "|" + resource + "|" + verb + "|" + (name == null ? "*" : name);
    }
  }

  /** Everything the agent and the components in its pod do, from the code. */
  static List<Access> required() {
    List<Access> a = new ArrayList<>();
    for (String v : List.of("get", "list", "watch", "create", "patch", "delete")) {
      a.add(Access.of(v, "", "namespaces", null, "IdentityStore, TenantProvisioner, TwinNamespaceController, "
          + "NamespaceOffloadingController (labels), NetworkConfigStore, ForeignClusterController (unpeer)"));
    }
    for (String v : List.of("get", "create", "update")) {
      a.add(Access.of(v, "", "configmaps", SYS, "IdentityStore: pontoon-identity; ClusterCa: kube-root-ca.crt"));
    }
    for (String v : List.of("get", "list", "create", "update", "delete")) {
      a.add(Access.of(v, "", "secrets", SYS, "IdentityStore (peering TLS), TokenStore (hashed tokens)"));
    }
    for (String v : List.of("get", "create", "update", "delete")) {
      a.add(Access.of(v, "", "secrets", TENANT, "ForeignClusterController: peer credentials, token Secret; "
          + "WireGuardKeys/KeySecrets; virtual kubelet --foreign-credentials-secret; gateway key"));
    }
    a.add(Access.of("list", "", "secrets", null, "NamespaceOffloadingController: credentials informer, all namespaces"));
    a.add(Access.of("watch", "", "secrets", null, "NamespaceOffloadingController: credentials informer, all namespaces"));
    for (String v : ALL) {
      for (String r : List.of("configmaps", "secrets", "services")) {
        a.add(Access.of(v, "", r, TWIN, "escalation: TenantRole grants it to the consumer in twin namespaces"));
      }
      a.add(Access.of(v, "discovery.k8s.io", "endpointslices", TWIN, "escalation: TenantRole"));
    }
    a.add(Access.of("get", "", "pods/log", TWIN, "escalation: TenantRole"));
    a.add(Access.of("list", "", "pods", null, "ProviderHandshake (requests of all pods), ShadowPodController, PodController"));
    a.add(Access.of("watch", "", "pods", null, "ShadowPodController, virtual kubelet PodController informers"));
    a.add(Access.of("get", "", "pods", HOME, "PodController: the home pod"));
    a.add(Access.of("create", "", "pods", TWIN, "ShadowPodController"));
    a.add(Access.of("delete", "", "pods", TWIN, "ShadowPodController"));
    a.add(Access.of("patch", "", "pods/status", HOME, "PodController: status back to the home pod"));
    for (String v : List.of("get", "list", "watch", "create", "patch", "delete")) {
      a.add(Access.of(v, "", "nodes", null, "NodeController (virtual node), ForeignClusterController, ProviderHandshake"));
    }
    a.add(Access.of("update", "", "nodes/status", null, "NodeController.updateStatus"));
    a.add(Access.of("create", "", "events", HOME, "HomeEvents"));
    a.add(Access.of("create", "", "events", "default", "ForeignClusterController: Unpeered"));
    for (String v : List.of("get", "create", "update")) {
      a.add(Access.of(v, "coordination.k8s.io", "leases", LEASES, "NodeController: node Lease"));
    }
    for (String v : List.of("get", "list", "watch", "create", "delete", "deletecollection")) {
      a.add(Access.of(v, "certificates.k8s.io", "certificatesigningrequests", null,
          "CsrSigner (consumer certificates), KubeletServingCertificate (virtual kubelet)"));
    }
    a.add(Access.of("update", "certificates.k8s.io", "certificatesigningrequests/approval", null, "CsrSigner, KubeletServingCertificate"));
    a.add(new Access("approve", "certificates.k8s.io", "signers", null, "kubernetes.io/kube-apiserver-client", "CsrSigner"));
    a.add(new Access("approve", "certificates.k8s.io", "signers", null, "kubernetes.io/kubelet-serving", "KubeletServingCertificate"));
    for (String ns : List.of(TENANT, TWIN)) {
      for (String v : List.of("get", "create", "update")) {
        a.add(Access.of(v, "rbac.authorization.k8s.io", "roles", ns, "TenantProvisioner, TwinNamespaceController"));
      }
      for (String v : List.of("get", "create", "delete")) {
        a.add(Access.of(v, "rbac.authorization.k8s.io", "rolebindings", ns, "TenantProvisioner, TwinNamespaceController"));
      }
    }
    a.add(Access.of("list", "rbac.authorization.k8s.io", "rolebindings", null, "TenantProvisioner.remove"));
    a.add(Access.of("list", "rbac.authorization.k8s.io", "clusterrolebindings", null, "TenantProvisioner.remove"));
    a.add(Access.of("delete", "rbac.authorization.k8s.io", "clusterrolebindings", null, "TenantProvisioner.remove"));
    a.add(Access.of("create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null, "WebhookRegistrar"));
    for (String v : List.of("get", "update", "delete")) {
      a.add(new Access(v, "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null, "pontoon-pod-offloading", "WebhookRegistrar"));
    }
    for (String v : List.of("get", "list", "watch")) {
      a.add(Access.of(v, "apiextensions.k8s.io", "customresourcedefinitions", null, "Crds.install waits for Established"));
    }
    a.add(Access.of("create", "apiextensions.k8s.io", "customresourcedefinitions", null, "Crds.install (022, to be dropped)"));
    for (String crd : CRDS) {
      a.add(new Access("update", "apiextensions.k8s.io", "customresourcedefinitions", null, crd, "Crds.install (022)"));
    }
    // Pontoon's own kinds: controllers, IPAM, discovery and the handshake write and watch them.
    for (String kind : List.of("foreignclusters", "resourceslices", "namespaceoffloadings", "networkconfigs", "tunnels",
        "twinnamespaces", "shadowpods")) {
      String ns = kind.equals("foreignclusters") ? null : TENANT;
      for (String v : ALL) a.add(Access.of(v, "pontoon.io", kind, ns, "Pontoon's controllers"));
      for (String v : List.of("get", "list", "watch", "update", "patch")) {
        a.add(Access.of(v, "pontoon.io", kind + "/status", ns, "status writers; escalation: tenant Roles read status"));
      }
    }
    a.add(Access.of("deletecollection", "pontoon.io", "twinnamespaces", TENANT, "TenantProvisioner.remove"));
    a.add(Access.of("deletecollection", "pontoon.io", "shadowpods", TWIN, "TenantProvisioner.remove"));
    return a;
  }

  /** Rights the agent must never hold. */
  static List<Access> forbidden() {
    return List.of(
        Access.of("escalate", "rbac.authorization.k8s.io", "roles", TWIN, "would let it write any Role"),
        Access.of("bind", "rbac.authorization.k8s.io", "roles", TWIN, "would let it bind any Role"),
        Access.of("bind", "rbac.authorization.k8s.io", "clusterroles", null, "would let it bind cluster-admin"),
        Access.of("escalate", "rbac.authorization.k8s.io", "clusterroles", null, ""),
        Access.of("create", "rbac.authorization.k8s.io", "clusterroles", null, ""),
        Access.of("create", "rbac.authorization.k8s.io", "clusterrolebindings", null, ""),
        Access.of("impersonate", "", "users", null, ""),
        Access.of("impersonate", "", "serviceaccounts", SYS, ""),
        Access.of("create", "", "serviceaccounts/token", SYS, ""),
        Access.of("create", "", "pods/exec", TWIN, ""),
        Access.of("get", "", "nodes/proxy", null, ""),
        Access.of("deletecollection", "", "secrets", "kube-system", ""),
        Access.of("update", "", "namespaces", null, "labels go by patch"),
        Access.of("update", "coordination.k8s.io", "leases", "kube-system", "leader-election leases of others"),
        new Access("update", "apiextensions.k8s.io", "customresourcedefinitions", null, "widgets.example.com", ""),
        Access.of("delete", "apiextensions.k8s.io", "customresourcedefinitions", null, ""),
        new Access("update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null, "someone-elses", ""),
        Access.of("create", "admissionregistration.k8s.io", "validatingwebhookconfigurations", null, ""),
        new Access("approve", "certificates.k8s.io", "signers", null, "kubernetes.io/kube-apiserver-client-kubelet", "node client certificates"),
        Access.of("create", "apps", "deployments", "kube-system", ""),
        Access.of("create", "", "persistentvolumes", null, ""));
  }

  @TempDir Path work;

  @Test
  void rulesGrantExactlyWhatTheCodeUses() {
    Rendered r = Rendered.kustomize(Manifests.INSTALL, work);
    List<PolicyRule> rules = new ArrayList<>();
    rules.addAll(r.one(ClusterRole.class, "pontoon-agent").getRules());
    rules.addAll(r.one(ClusterRole.class, "pontoon-agent-crds").getRules());
    rules.addAll(r.one(Role.class, "pontoon-agent-node-leases").getRules());
    Set<String> granted = new TreeSet<>();
    for (PolicyRule rule : rules) {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? List.of("*") : rule.getResourceNames();
      for (String g : rule.getApiGroups()) {
        for (String res : rule.getResources()) {
          for (String v : rule.getVerbs()) {
            for (String n : names) granted.add(g + "|" + res + "|" + v + "|" + n);
          }
        }
      }
    }
    Set<String> needed = new TreeSet<>(required().stream().map(Access::triple).toList());
    Set<String> extra = new TreeSet<>(granted);
    extra.removeAll(needed);
    Set<String> missing = new TreeSet<>(needed);
    missing.removeAll(granted);
    assertThat(extra).as("granted (group|resource|verb|name) but not used by the code").isEmpty();
    assertThat(missing).as("used by the code (group|resource|verb|name) but not granted").isEmpty();
    // Secrets: the verbs the code and the tenant Role need, never deletecollection
    assertThat(granted.stream().filter(t -> t.startsWith("|secrets|")).map(t -> t.split("\\|")[2]))
        .containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
  }

  @Test
  void apiServerAllowsEveryAccessOfTheCodeAndNothingDangerous(SandboxApiServer server) throws Exception {
    Kubectl.of(server.writeAdminKubeconfig(work.resolve("admin.kubeconfig")), work)
        .run(null, "apply", "-k", Manifests.INSTALL.toString()).ok();
    try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      List<String> denied = new ArrayList<>();
      for (Access a : required()) {
        if (!allowed(admin, a)) denied.add(a + "");
      }
      assertThat(denied).as("accesses of the code that the agent's RBAC denies").isEmpty();
      List<String> allowed = new ArrayList<>();
      for (Access a : forbidden()) {
        if (allowed(admin, a)) allowed.add(a + "");
      }
      assertThat(allowed).as("dangerous rights the agent holds").isEmpty();
    }
  }

  @Test
  void agentCanHandOutTheTenantRolesItMakesAndNoMore(SandboxApiServer server) throws Exception {
    Kubectl.of(server.writeAdminKubeconfig(work.resolve("admin.kubeconfig")), work)
        .run(null, "apply", "-k", Manifests.INSTALL.toString()).ok();
    try (KubernetesClient agent = new KubernetesClientBuilder()
        .withConfig(server.configFor(Manifests.AGENT_USER, Manifests.AGENT_GROUPS)).build()) {
      for (String ns : List.of(TENANT, TWIN)) {
        agent.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      }
      // peering (TenantProvisioner.role): requests for twin namespaces and the ResourceSlice
      agent.rbac().roles().resource(role(TENANT, List.of(
          rule("pontoon.io", "twinnamespaces", ALL),
          rule("pontoon.io", "twinnamespaces/status", List.of("get")),
          rule("pontoon.io", List.of("resourceslices", "resourceslices/status"), List.of("get", "list", "watch"))))).create();
      agent.rbac().roleBindings().resource(binding(TENANT, "Role", "pontoon-tenant")).create();
      // offloading (TenantRole): ShadowPods and the reflected kinds in a twin namespace
      agent.rbac().roles().resource(role(TWIN, List.of(
          rule("pontoon.io", "shadowpods", ALL),
          rule("pontoon.io", "shadowpods/status", List.of("get")),
          rule("", List.of("configmaps", "secrets", "services"), ALL),
          rule("discovery.k8s.io", "endpointslices", ALL),
          rule("", "pods/log", List.of("get"))))).create();
      agent.rbac().roleBindings().resource(binding(TWIN, "Role", "pontoon-tenant")).create();

      // escalation prevention holds for what it does not have
      Role exec = role(TWIN, List.of(rule("", "pods/exec", List.of("create"))));
      exec.getMetadata().setName("exec");
      assertThatThrownBy(() -> agent.rbac().roles().resource(exec).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      RoleBinding admin = binding(TWIN, "ClusterRole", "cluster-admin");
      admin.getMetadata().setName("admin");
      assertThatThrownBy(() -> agent.rbac().roleBindings().resource(admin).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  private static boolean allowed(KubernetesClient admin, Access a) {
    String[] rs = a.resource().split("/", 2);
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(Manifests.AGENT_USER).withGroups(Manifests.AGENT_GROUPS)
        .withNewResourceAttributes().withVerb(a.verb()).withGroup(a.group()).withResource(rs[0])
        .withSubresource(rs.length > 1 ? rs[1] : null).withNamespace(a.namespace()).withName(a.name())
        .endResourceAttributes().endSpec().build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }

  private static Role role(String ns, List<PolicyRule> rules) {
    return new RoleBuilder().withNewMetadata().withName("pontoon-tenant").withNamespace(ns).endMetadata()
        .withRules(rules).build();
  }

  private static RoleBinding binding(String ns, String kind, String name) {
    return new RoleBindingBuilder().withNewMetadata().withName("pontoon-tenant").withNamespace(ns).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", kind, name)
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName("pontoon:tenant:" + CONSUMER_ID).endSubject().build();
  }

  private static PolicyRule rule(String group, String resource, List<String> verbs) {
    return rule(group, List.of(resource), verbs);
  }

  private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }
}
