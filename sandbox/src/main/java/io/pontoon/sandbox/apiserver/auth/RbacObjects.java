package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Where the authorizer reads RBAC objects from: the API server's store, or plain lists in tests.
 * Objects are full rbac.authorization.k8s.io/v1 JSON; every call should reflect the current state.
 */
public interface RbacObjects {
  List<ObjectNode> clusterRoles();

  List<ObjectNode> clusterRoleBindings();

  List<ObjectNode> roles(String namespace);

  List<ObjectNode> roleBindings(String namespace);

  default Optional<ObjectNode> clusterRole(String name) {
    return clusterRoles().stream().filter(r -> name.equals(r.path("metadata").path("name").asText())).findFirst();
  }

  default Optional<ObjectNode> role(String namespace, String name) {
    return roles(namespace).stream().filter(r -> name.equals(r.path("metadata").path("name").asText())).findFirst();
  }
}
