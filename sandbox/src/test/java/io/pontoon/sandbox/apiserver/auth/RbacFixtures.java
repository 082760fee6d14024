package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds RBAC objects for tests and serves them from plain lists. */
final class RbacFixtures implements RbacObjects {
  final List<ObjectNode> clusterRoles = new ArrayList<>();
  final List<ObjectNode> clusterRoleBindings = new ArrayList<>();
  final List<ObjectNode> roles = new ArrayList<>();
  final List<ObjectNode> roleBindings = new ArrayList<>();

  @Override
  public List<ObjectNode> clusterRoles() {
    return clusterRoles;
  }

  @Override
  public List<ObjectNode> clusterRoleBindings() {
    return clusterRoleBindings;
  }

  @Override
  public List<ObjectNode> roles(String namespace) {
    return roles.stream().filter(r -> namespace.equals(r.path("metadata").path("namespace").asText())).toList();
  }

  @Override
  public List<ObjectNode> roleBindings(String namespace) {
    return roleBindings.stream().filter(r -> namespace.equals(r.path("metadata").path("namespace").asText())).toList();
  }

  RbacFixtures withBootstrapPolicy() {
    clusterRoles.addAll(BootstrapPolicy.clusterRoles());
    clusterRoleBindings.addAll(BootstrapPolicy.clusterRoleBindings());
    return this;
  }

  static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
    return PolicyRule.resources(verbs, groups, resources);
  }

  static ObjectNode clusterRole(String name, Map<String, String> labels, PolicyRule... rules) {
    ObjectNode o = object("ClusterRole", name, "");
    ObjectNode l = ((ObjectNode) o.get("metadata")).putObject("labels");
    labels.forEach(l::put);
    o.set("rules", PolicyRule.toJson(List.of(rules)));
    return o;
  }

  static ObjectNode role(String namespace, String name, PolicyRule... rules) {
    ObjectNode o = object("Role", name, namespace);
    o.set("rules", PolicyRule.toJson(List.of(rules)));
    return o;
  }

  static ObjectNode clusterRoleBinding(String name, String roleKind, String roleName, ObjectNode... subjects) {
    return binding(object("ClusterRoleBinding", name, ""), roleKind, roleName, subjects);
  }

  static ObjectNode roleBinding(String namespace, String name, String roleKind, String roleName, ObjectNode... subjects) {
    return binding(object("RoleBinding", name, namespace), roleKind, roleName, subjects);
  }

  static ObjectNode user(String name) {
    return subject("User", name, null);
  }

  static ObjectNode group(String name) {
    return subject("Group", name, null);
  }

  static ObjectNode serviceAccount(String namespace, String name) {
    return subject("ServiceAccount", name, namespace);
  }

  private static ObjectNode subject(String kind, String name, String namespace) {
    ObjectNode s = Json.object();
    s.put("kind", kind);
    s.put("name", name);
    if (!kind.equals("ServiceAccount")) s.put("apiGroup", "rbac.authorization.k8s.io");
    if (namespace != null) s.put("namespace", namespace);
    return s;
  }

  private static ObjectNode binding(ObjectNode b, String roleKind, String roleName, ObjectNode... subjects) {
    ObjectNode ref = b.putObject("roleRef");
    ref.put("apiGroup", "rbac.authorization.k8s.io");
    ref.put("kind", roleKind);
    ref.put("name", roleName);
    ArrayNode a = b.putArray("subjects");
    for (ObjectNode s : subjects) a.add(s);
    return b;
  }

  private static ObjectNode object(String kind, String name, String namespace) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "rbac.authorization.k8s.io/v1");
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    if (!namespace.isEmpty()) meta.put("namespace", namespace);
    return o;
  }
}
