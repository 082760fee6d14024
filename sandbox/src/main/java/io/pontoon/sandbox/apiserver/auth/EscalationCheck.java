package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * RBAC's privilege escalation prevention, as kube-apiserver's RBAC storage applies it on create and
 * update: nobody can grant, through a role or a binding, a permission they do not hold, unless
 * they are in {@code system:masters}, may {@code escalate} roles, or may {@code bind} the role.
 */
public final class EscalationCheck {
  /** Everything: what setting an aggregationRule requires, since it can gather any rule. */
  static final List<PolicyRule> FULL_AUTHORITY = List.of(
      PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
      PolicyRule.nonResource(List.of("*"), List.of("*")));

  private final RbacAuthorizer authorizer;

  public EscalationCheck(RbacAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  /**
   * Kube's ConfirmNoEscalation: the problem when the user's rules in the namespace do not cover
   * the given ones, in kube's words ({@code user "alice" (groups=[...]) is attempting to grant RBAC
   * permissions not currently held:\n...}); empty when they do.
   */
  public Optional<String> confirmNoEscalation(UserInfo user, String namespace, List<PolicyRule> rules) {
    RbacAuthorizer.ResolvedRules owner = authorizer.rulesFor(user, namespace);
    List<PolicyRule> missing = PolicyComparator.uncovered(owner.rules(), rules);
    if (missing.isEmpty()) return Optional.empty();
    TreeSet<String> descriptions = new TreeSet<>(); // sorted and unique, as kube's string set lists them
    PolicyComparator.compact(missing).forEach(r -> descriptions.add(r.compactString()));
    String msg = "user " + GoStrings.quote(user.name()) + " (groups=" + GoStrings.quoteList(user.groups())
        + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions);
    if (!owner.errors().isEmpty()) {
      msg += "; resolution errors: " + GoStrings.list(owner.errors());
    }
    return Optional.of(msg);
  }

  /**
   * Whether the user may create ({@code oldRole == null}) or update a Role or ClusterRole. The
   * object's {@code kind} says which; a Role's namespace is its {@code metadata.namespace}.
   *
   * @return the 403 to answer with, or empty when the write may go ahead
   */
  public Optional<ApiException> checkRoleWrite(UserInfo user, ObjectNode role, ObjectNode oldRole) {
    boolean cluster = "ClusterRole".equals(role.path("kind").asText());
    String resource = cluster ? "clusterroles" : "roles";
    String namespace = cluster ? "" : role.path("metadata").path("namespace").asText("");
    String name = RbacAuthorizer.name(role);
    if (user.isMaster()) return Optional.empty();
    // the request's own name: empty on create, so escalate limited by resourceNames only helps updates
    RequestAttributes escalate = RequestAttributes.resource("escalate", RbacAuthorizer.RBAC_GROUP, resource, namespace,
        oldRole == null ? "" : name);
    if (authorizer.authorize(user, escalate).allowed()) return Optional.empty();
    if (oldRole != null && onlyGarbageCollectionFieldsChange(role, oldRole)) return Optional.empty();

    Optional<String> problem = confirmNoEscalation(user, namespace, PolicyRule.listFromJson(role.get("rules")));
    if (problem.isPresent()) {
      return Optional.of(Forbidden.of(RbacAuthorizer.RBAC_GROUP, resource, name, problem.get()));
    }
    if (cluster && (hasAggregationRule(role) || hasAggregationRule(oldRole))
        && confirmNoEscalation(user, namespace, FULL_AUTHORITY).isPresent()) {
      return Optional.of(Forbidden.of(RbacAuthorizer.RBAC_GROUP, resource, name,
          "must have cluster-admin privileges to use the aggregationRule"));
    }
    return Optional.empty();
  }

  /**
   * Whether the user may create ({@code oldBinding == null}) or update a RoleBinding or
   * ClusterRoleBinding: allowed with {@code bind} on the referenced role, or when the user already
   * holds every permission of that role. A missing role is a 404, as in kube.
   *
   * @return the error to answer with, or empty when the write may go ahead
   */
  public Optional<ApiException> checkBindingWrite(UserInfo user, ObjectNode binding, ObjectNode oldBinding) {
    boolean cluster = "ClusterRoleBinding".equals(binding.path("kind").asText());
    String resource = cluster ? "clusterrolebindings" : "rolebindings";
    String namespace = cluster ? "" : binding.path("metadata").path("namespace").asText("");
    String name = RbacAuthorizer.name(binding);
    if (user.isMaster()) return Optional.empty();
    if (oldBinding != null && onlyGarbageCollectionFieldsChange(binding, oldBinding)) return Optional.empty();

    JsonNode roleRef = binding.path("roleRef");
    String refKind = roleRef.path("kind").asText();
    String refResource = switch (refKind) {
      case "ClusterRole" -> "clusterroles";
      case "Role" -> "roles";
      default -> null;
    };
    if (refResource != null) {
      RequestAttributes bind = RequestAttributes.resource("bind", roleRef.path("apiGroup").asText(""), refResource,
          namespace, roleRef.path("name").asText());
      if (authorizer.authorize(user, bind).allowed()) return Optional.empty();
    }

    List<PolicyRule> rules;
    try {
      rules = authorizer.roleReferenceRules(roleRef, namespace);
    } catch (RbacAuthorizer.RoleNotFoundException e) {
      return Optional.of(ApiException.notFound(RbacAuthorizer.RBAC_GROUP, refResource, e.name()));
    } catch (IllegalArgumentException e) {
      return Optional.of(ApiException.badRequest(e.getMessage()));
    }
    return confirmNoEscalation(user, namespace, rules)
        .map(problem -> Forbidden.of(RbacAuthorizer.RBAC_GROUP, resource, name, problem));
  }

  private static boolean hasAggregationRule(JsonNode role) {
    if (role == null) return false;
    JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
    return selectors.isArray() && !selectors.isEmpty();
  }

  /**
   * Kube lets updates through that only touch ownerReferences and finalizers, so that garbage
   * collection can always finish. Bookkeeping the server sets itself (resourceVersion,
   * managedFields) is not compared.
   */
  static boolean onlyGarbageCollectionFieldsChange(ObjectNode updated, ObjectNode old) {
    ObjectNode a = normalized(updated, updated);
    ObjectNode b = normalized(old, updated);
    return a.equals(b);
  }

  private static ObjectNode normalized(ObjectNode object, ObjectNode gcSource) {
    ObjectNode copy = object.deepCopy();
    ObjectNode meta = copy.get("metadata") instanceof ObjectNode m ? m : copy.putObject("metadata");
    meta.remove(List.of("resourceVersion", "managedFields", "ownerReferences", "finalizers"));
    JsonNode srcMeta = gcSource.path("metadata");
    if (srcMeta.has("ownerReferences")) meta.set("ownerReferences", srcMeta.get("ownerReferences"));
    if (srcMeta.has("finalizers")) meta.set("finalizers", srcMeta.get("finalizers"));
    return copy;
  }
}
