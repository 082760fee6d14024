package io.pontoon.sandbox.apiserver;

import java.util.List;
import java.util.Set;

/**
 * What a request is about, parsed from its path and method the way kube-apiserver's
 * RequestInfoFactory does: the verb RBAC sees, the group/version/resource, namespace, name and
 * subresource. Paths outside {@code /api} and {@code /apis} are non-resource requests.
 *
 * @param rest path segments after the subresource (the tail of {@code pods/x/proxy/a/b})
 */
public record RequestInfo(
    boolean resourceRequest,
    String path,
    String verb,
    String group,
    String version,
    String resource,
    String namespace,
    String name,
    String subresource,
    List<String> rest) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public static RequestInfo parse(String method, String path, boolean watchParam) {
    String lowerVerb = switch (method) {
      case "POST" -> "create";
      case "GET", "HEAD" -> "get";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
    List<String> parts = trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    if (parts.isEmpty() || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return nonResource(path, lowerVerb);
    }
    int i = 1;
    String group = "";
    if (parts.get(0).equals("apis")) {
      if (parts.size() < 3) return nonResource(path, lowerVerb);
      group = parts.get(1);
      i = 2;
    } else if (parts.size() < 3) {
      return nonResource(path, lowerVerb);
    }
    String version = parts.get(i++);
    List<String> p = parts.subList(i, parts.size());
    // /api/v1/watch/... is the legacy watch prefix.
    boolean legacyWatch = false;
    if (!p.isEmpty() && p.get(0).equals("watch")) {
      legacyWatch = true;
      p = p.subList(1, p.size());
    }
    String namespace = "";
    if (p.size() >= 2 && p.get(0).equals("namespaces")) {
      if (p.size() == 2 || (p.size() == 3 && NAMESPACE_SUBRESOURCES.contains(p.get(2)))) {
        // the namespace object itself (or its status/finalize)
        namespace = p.get(1);
      } else {
        namespace = p.get(1);
        p = p.subList(2, p.size());
      }
    }
    if (p.isEmpty()) return nonResource(path, lowerVerb);
    String resource = p.get(0);
    String name = p.size() >= 2 ? p.get(1) : "";
    String sub = p.size() >= 3 ? p.get(2) : "";
    List<String> rest = p.size() > 3 ? List.copyOf(p.subList(3, p.size())) : List.of();
    if (resource.equals("namespaces") && p.size() >= 2) namespace = name;
    String verb = lowerVerb;
    if (name.isEmpty()) {
      if (verb.equals("get")) verb = watchParam || legacyWatch ? "watch" : "list";
      if (verb.equals("delete")) verb = "deletecollection";
    } else if (legacyWatch && verb.equals("get")) {
      verb = "watch";
    }
    return new RequestInfo(true, path, verb, group, version, resource, namespace, name, sub, rest);
  }

  private static RequestInfo nonResource(String path, String verb) {
    return new RequestInfo(false, path, verb, "", "", "", "", "", "", List.of());
  }

  public boolean hasName() {
    return !name.isEmpty();
  }
}
