package io.pontoon.sandbox.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether one set of rules grants at least what another does: the check behind RBAC's escalation
 * prevention. Requested rules are broken down into single-verb, single-resource, single-name
 * pieces, and each piece must be covered by one owner rule.
 */
public final class PolicyComparator {
  private PolicyComparator() {}

  public static boolean covers(List<ObjectNode> ownerRules, List<ObjectNode> requestedRules) {
    return uncovered(PolicyRule.listFromJson(ownerRules), PolicyRule.listFromJson(requestedRules)).isEmpty();
  }

  public static boolean coversRules(List<PolicyRule> ownerRules, List<PolicyRule> requestedRules) {
    return uncovered(ownerRules, requestedRules).isEmpty();
  }

  /** The broken-down pieces of the requested rules that no owner rule covers. */
  public static List<PolicyRule> uncovered(List<PolicyRule> ownerRules, List<PolicyRule> requestedRules) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule requested : requestedRules) {
      for (PolicyRule piece : breakdown(requested)) {
        if (ownerRules.stream().noneMatch(owner -> ruleCovers(owner, piece))) {
          missing.add(piece);
        }
      }
    }
    return missing;
  }

  /** One rule per group × resource × verb (× name), and per URL × verb. */
  static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> pieces = new ArrayList<>();
    for (String group : rule.apiGroups()) {
      for (String resource : rule.resources()) {
        for (String verb : rule.verbs()) {
          if (rule.resourceNames().isEmpty()) {
            pieces.add(PolicyRule.resources(List.of(verb), List.of(group), List.of(resource)));
          } else {
            for (String name : rule.resourceNames()) {
              pieces.add(PolicyRule.resources(List.of(verb), List.of(group), List.of(resource))
                  .withResourceNames(List.of(name)));
            }
          }
        }
      }
    }
    for (String url : rule.nonResourceURLs()) {
      for (String verb : rule.verbs()) {
        pieces.add(PolicyRule.nonResource(List.of(verb), List.of(url)));
      }
    }
    return pieces;
  }

  static boolean ruleCovers(PolicyRule owner, PolicyRule piece) {
    boolean verbs = owner.verbs().contains(PolicyRule.ALL) || owner.verbs().containsAll(piece.verbs());
    boolean groups = owner.apiGroups().contains(PolicyRule.ALL) || owner.apiGroups().containsAll(piece.apiGroups());
    boolean resources = resourcesCover(owner.resources(), piece.resources());
    boolean urls = piece.nonResourceURLs().stream().allMatch(p -> owner.nonResourceURLs().stream()
        .anyMatch(o -> o.equals(p) || (o.endsWith("*") && p.startsWith(o.replaceAll("\\*+$", "")))));
    boolean names = piece.resourceNames().isEmpty()
        ? owner.resourceNames().isEmpty()
        : owner.resourceNames().isEmpty() || owner.resourceNames().containsAll(piece.resourceNames());
    return verbs && groups && resources && urls && names;
  }

  private static boolean resourcesCover(List<String> owner, List<String> wanted) {
    if (owner.contains(PolicyRule.ALL) || owner.containsAll(wanted)) return true;
    for (String path : wanted) {
      if (owner.contains(path)) continue;
      int slash = path.indexOf('/');
      if (slash < 0) return false;
      if (!owner.contains("*/" + path.substring(slash + 1))) return false;
    }
    return true;
  }

  /**
   * Kube's CompactRules: pieces that differ only by verb (one group, one resource, nothing else)
   * are merged, so "missing" lists stay short.
   */
  static List<PolicyRule> compact(List<PolicyRule> rules) {
    List<PolicyRule> out = new ArrayList<>();
    Map<List<String>, PolicyRule> simple = new LinkedHashMap<>();
    for (PolicyRule r : rules) {
      boolean isSimple = r.resourceNames().isEmpty() && r.nonResourceURLs().isEmpty()
          && r.apiGroups().size() == 1 && r.resources().size() == 1;
      if (!isSimple) {
        out.add(r);
        continue;
      }
      List<String> key = List.of(r.apiGroups().get(0), r.resources().get(0));
      simple.merge(key, r, (a, b) -> {
        List<String> verbs = new ArrayList<>(a.verbs());
        verbs.addAll(b.verbs());
        return PolicyRule.resources(verbs, a.apiGroups(), a.resources());
      });
    }
    out.addAll(simple.values());
    return out;
  }
}
