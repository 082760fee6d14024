package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Kubernetes RBAC authorization over the RBAC objects of the sandbox, with kube-apiserver's
 * semantics: deny by default, rules are purely additive, ClusterRoleBindings apply everywhere,
 * RoleBindings only in their namespace. {@code system:masters} is allowed everything, as
 * kube-apiserver's privileged-group authorizer (ahead of RBAC) does.
 *
 * <p>Aggregated ClusterRoles are resolved on the fly: their rules are their own plus those of every
 * ClusterRole their selectors match, the union the aggregation controller would store.
 */
public final class RbacAuthorizer {
  public static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private final RbacObjects objects;
  private final BiPredicate<JsonNode, JsonNode> selectorMatcher;

  public RbacAuthorizer(RbacObjects objects) {
    this(objects, LabelSelectorMatch.INSTANCE);
  }

  /**
   * @param selectorMatcher tells whether a LabelSelector (first argument) matches a
   *     {@code metadata.labels} object (second, possibly null)
   */
  public RbacAuthorizer(RbacObjects objects, BiPredicate<JsonNode, JsonNode> selectorMatcher) {
    this.objects = objects;
    this.selectorMatcher = selectorMatcher;
  }

  /** The rules that apply to a user in a namespace, and the errors met resolving them. */
  public record ResolvedRules(List<PolicyRule> rules, List<String> errors) {
    public ResolvedRules {
      rules = List.copyOf(rules);
      errors = List.copyOf(errors);
    }

    /** Rules with resources, as SelfSubjectRulesReview lists them. */
    public List<PolicyRule> resourceRules() {
      return rules.stream().filter(r -> !r.resources().isEmpty()).toList();
    }

    /** Rules with non-resource URLs. */
    public List<PolicyRule> nonResourceRules() {
      return rules.stream().filter(r -> !r.nonResourceURLs().isEmpty()).toList();
    }

    /** The errors as kube's aggregate error prints them; empty when there were none. */
    public String evaluationError() {
      return aggregate(errors);
    }

    /** {@code status} of a SelfSubjectRulesReview. */
    public ObjectNode toSubjectRulesReviewStatus() {
      ObjectNode status = io.pontoon.sandbox.apiserver.Json.object();
      var resource = status.putArray("resourceRules");
      for (PolicyRule r : resourceRules()) {
        ObjectNode o = resource.addObject();
        r.verbs().forEach(o.putArray("verbs")::add);
        if (!r.apiGroups().isEmpty()) r.apiGroups().forEach(o.putArray("apiGroups")::add);
        r.resources().forEach(o.putArray("resources")::add);
        if (!r.resourceNames().isEmpty()) r.resourceNames().forEach(o.putArray("resourceNames")::add);
      }
      var nonResource = status.putArray("nonResourceRules");
      for (PolicyRule r : nonResourceRules()) {
        ObjectNode o = nonResource.addObject();
        r.verbs().forEach(o.putArray("verbs")::add);
        r.nonResourceURLs().forEach(o.putArray("nonResourceURLs")::add);
      }
      status.put("incomplete", false);
      if (!errors.isEmpty()) status.put("evaluationError", evaluationError());
      return status;
    }
  }

  public Decision authorize(UserInfo user, RequestAttributes attrs) {
    if (user.isMaster()) {
      return Decision.allow("");
    }
    List<String> errors = new ArrayList<>();
    String[] allowedBy = new String[1];
    visitRulesFor(user, attrs.namespace(), errors, (source, rule) -> {
      if (ruleAllows(attrs, rule)) {
        allowedBy[0] = source.get();
        return false;
      }
      return true;
    });
    if (allowedBy[0] != null) {
      return Decision.allow("RBAC: allowed by " + allowedBy[0]);
    }
    return Decision.deny(errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
  }

  /**
   * Every rule the user has in the namespace (cluster-wide ones included; for an empty namespace
   * only those). Backs SelfSubjectRulesReview and escalation checks.
   */
  public ResolvedRules rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> rules = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    visitRulesFor(user, namespace == null ? "" : namespace, errors, (source, rule) -> {
      rules.add(rule);
      return true;
    });
    return new ResolvedRules(rules, errors);
  }

  /** Kube's RuleAllows: whether one rule allows the request. */
  public static boolean ruleAllows(RequestAttributes a, PolicyRule rule) {
    if (a.resourceRequest()) {
      String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
      return verbMatches(rule, a.verb())
          && apiGroupMatches(rule, a.apiGroup())
          && resourceMatches(rule, combined, a.subresource())
          && resourceNameMatches(rule, a.name());
    }
    return verbMatches(rule, a.verb()) && nonResourceUrlMatches(rule, a.path());
  }

  static boolean verbMatches(PolicyRule rule, String verb) {
    return rule.verbs().contains(PolicyRule.ALL) || rule.verbs().contains(verb);
  }

  static boolean apiGroupMatches(PolicyRule rule, String group) {
    return rule.apiGroups().contains(PolicyRule.ALL) || rule.apiGroups().contains(group);
  }

  static boolean resourceMatches(PolicyRule rule, String combinedResource, String subresource) {
    for (String r : rule.resources()) {
      if (r.equals(PolicyRule.ALL) || r.equals(combinedResource)) return true;
      // "*/scale" matches the scale subresource of every resource
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) return true;
    }
    return false;
  }

  /**
   * Rules without resourceNames match any name; rules with them match only requests naming one of
   * them, so they never allow create, list, watch or deletecollection (which carry no name).
   */
  static boolean resourceNameMatches(PolicyRule rule, String name) {
    return rule.resourceNames().isEmpty() || rule.resourceNames().contains(name);
  }

  static boolean nonResourceUrlMatches(PolicyRule rule, String path) {
    for (String url : rule.nonResourceURLs()) {
      if (url.equals(PolicyRule.ALL) || url.equals(path)) return true;
      if (url.endsWith("*") && path.startsWith(url.replaceAll("\\*+$", ""))) return true;
    }
    return false;
  }

  /**
   * The rules a binding's roleRef grants in the binding's namespace ("" for a ClusterRoleBinding).
   *
   * @throws RoleNotFoundException when the referenced role does not exist
   * @throws IllegalArgumentException for a roleRef kind other than Role or ClusterRole
   */
  public List<PolicyRule> roleReferenceRules(JsonNode roleRef, String bindingNamespace) {
    return roleReferenceRules(roleRef, bindingNamespace, new ClusterRoleIndex());
  }

  /** Rules of a ClusterRole with aggregation resolved: own rules, then those of matching ClusterRoles. */
  public List<PolicyRule> effectiveRules(ObjectNode clusterRole) {
    return effectiveRules(clusterRole, new ClusterRoleIndex(), new HashSet<>());
  }

  /** A referenced Role or ClusterRole that does not exist. */
  public static final class RoleNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String name;

    RoleNotFoundException(String kind, String name) {
      // the lister's wording, which is what RBAC denial reasons carry
      super(kind.toLowerCase() + "." + RBAC_GROUP + " " + GoStrings.quote(name) + " not found");
      this.kind = kind;
      this.name = name;
    }

    public String kind() {
      return kind;
    }

    public String name() {
      return name;
    }
  }

  @FunctionalInterface
  private interface RuleVisitor {
    /** @return false to stop visiting */
    boolean visit(Supplier<String> source, PolicyRule rule);
  }

  private void visitRulesFor(UserInfo user, String namespace, List<String> errors, RuleVisitor visitor) {
    ClusterRoleIndex index = new ClusterRoleIndex();
    for (ObjectNode binding : objects.clusterRoleBindings()) {
      JsonNode subject = appliesTo(user, binding.path("subjects"), "");
      if (subject == null) continue;
      List<PolicyRule> rules;
      try {
        rules = roleReferenceRules(binding.path("roleRef"), "", index);
      } catch (RuntimeException e) {
        errors.add(e.getMessage());
        continue;
      }
      Supplier<String> source = () -> "ClusterRoleBinding " + GoStrings.quote(name(binding)) + " of "
          + binding.path("roleRef").path("kind").asText() + " " + GoStrings.quote(binding.path("roleRef").path("name").asText())
          + " to " + describeSubject(subject, "");
      for (PolicyRule rule : rules) {
        if (!visitor.visit(source, rule)) return;
      }
    }
    if (namespace.isEmpty()) return;
    for (ObjectNode binding : objects.roleBindings(namespace)) {
      JsonNode subject = appliesTo(user, binding.path("subjects"), namespace);
      if (subject == null) continue;
      List<PolicyRule> rules;
      try {
        rules = roleReferenceRules(binding.path("roleRef"), namespace, index);
      } catch (RuntimeException e) {
        errors.add(e.getMessage());
        continue;
      }
      Supplier<String> source = () -> "RoleBinding " + GoStrings.quote(name(binding) + "/" + namespace) + " of "
          + binding.path("roleRef").path("kind").asText() + " " + GoStrings.quote(binding.path("roleRef").path("name").asText())
          + " to " + describeSubject(subject, namespace);
      for (PolicyRule rule : rules) {
        if (!visitor.visit(source, rule)) return;
      }
    }
  }

  private List<PolicyRule> roleReferenceRules(JsonNode roleRef, String bindingNamespace, ClusterRoleIndex index) {
    String kind = roleRef.path("kind").asText();
    String name = roleRef.path("name").asText();
    switch (kind) {
      case "Role": {
        Optional<ObjectNode> role = bindingNamespace.isEmpty() ? Optional.empty() : objects.role(bindingNamespace, name);
        return PolicyRule.listFromJson(role.orElseThrow(() -> new RoleNotFoundException("Role", name)).get("rules"));
      }
      case "ClusterRole": {
        ObjectNode role = index.get(name);
        if (role == null) throw new RoleNotFoundException("ClusterRole", name);
        return effectiveRules(role, index, new HashSet<>());
      }
      default:
        throw new IllegalArgumentException("unsupported role reference kind: " + GoStrings.quote(kind));
    }
  }

  private List<PolicyRule> effectiveRules(ObjectNode role, ClusterRoleIndex index, Set<String> visiting) {
    List<PolicyRule> own = PolicyRule.listFromJson(role.get("rules"));
    JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
    if (!selectors.isArray() || selectors.isEmpty()) return own;
    String self = name(role);
    if (!visiting.add(self)) return own; // a cycle of aggregations: stop here
    LinkedHashSet<PolicyRule> rules = new LinkedHashSet<>(own);
    for (JsonNode selector : selectors) {
      for (ObjectNode candidate : index.sorted()) {
        if (name(candidate).equals(self)) continue;
        if (!selectorMatcher.test(selector, candidate.path("metadata").get("labels"))) continue;
        rules.addAll(effectiveRules(candidate, index, visiting));
      }
    }
    visiting.remove(self);
    return List.copyOf(rules);
  }

  /** The first subject of a binding that is the user, or null (kube's appliesTo). */
  private static JsonNode appliesTo(UserInfo user, JsonNode subjects, String namespace) {
    for (JsonNode s : subjects) {
      if (appliesToUser(user, s, namespace)) return s;
    }
    return null;
  }

  private static boolean appliesToUser(UserInfo user, JsonNode subject, String namespace) {
    String name = subject.path("name").asText();
    switch (subject.path("kind").asText()) {
      case "User":
        return user.name().equals(name);
      case "Group":
        return user.groups().contains(name);
      case "ServiceAccount": {
        // a RoleBinding's ServiceAccount subject without namespace means one in the binding's namespace
        String saNamespace = subject.path("namespace").asText("");
        if (saNamespace.isEmpty()) saNamespace = namespace;
        if (saNamespace.isEmpty()) return false;
        return ServiceAccounts.matches(saNamespace, name, user.name());
      }
      default:
        return false;
    }
  }

  /** Kube's describeSubject; note the service account form is {@code name/namespace}. */
  private static String describeSubject(JsonNode subject, String bindingNamespace) {
    String kind = subject.path("kind").asText();
    String name = subject.path("name").asText();
    if ("ServiceAccount".equals(kind)) {
      String ns = subject.path("namespace").asText("");
      return kind + " " + GoStrings.quote(name + "/" + (ns.isEmpty() ? bindingNamespace : ns));
    }
    return kind + " " + GoStrings.quote(name);
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  /** Kube's aggregate error text: one message alone, several in brackets, duplicates once. */
  static String aggregate(List<String> errors) {
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(errors));
    if (unique.isEmpty()) return "";
    if (unique.size() == 1) return unique.get(0);
    return "[" + String.join(", ", unique) + "]";
  }

  /** ClusterRoles read once per decision, so that one request sees one consistent set. */
  private final class ClusterRoleIndex {
    private Map<String, ObjectNode> byName;
    private List<ObjectNode> sorted;

    ObjectNode get(String name) {
      load();
      return byName.get(name);
    }

    List<ObjectNode> sorted() {
      load();
      return sorted;
    }

    private void load() {
      if (byName != null) return;
      byName = new HashMap<>();
      List<ObjectNode> all = new ArrayList<>(objects.clusterRoles());
      all.forEach(r -> byName.put(name(r), r));
      all.sort(Comparator.comparing(RbacAuthorizer::name));
      sorted = all;
    }
  }
}
