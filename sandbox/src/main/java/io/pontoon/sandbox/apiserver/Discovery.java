package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Legacy discovery ({@code /api}, {@code /apis}, group and group-version resource lists),
 * {@code /version}, and a minimal OpenAPI v3 document that tells kubectl each kind accepts
 * {@code fieldValidation}, so kubectl validates on the server instead of downloading schemas.
 */
final class Discovery {
  static final String KUBE_VERSION = "v1.32.0";

  /** Subresource → (kind, verbs, group, version) of its discovery entry. */
  private record Sub(String kind, List<String> verbs, String group, String version) {}

  private static final Map<String, Sub> SUBRESOURCES = Map.of(
      "status", new Sub(null, List.of("get", "patch", "update"), null, null),
      "scale", new Sub("Scale", List.of("get", "patch", "update"), "autoscaling", "v1"),
      "binding", new Sub("Binding", List.of("create"), "", "v1"),
      "eviction", new Sub("Eviction", List.of("create"), "policy", "v1"),
      "log", new Sub(null, List.of("get"), null, null),
      "proxy", new Sub("NodeProxyOptions", List.of("create", "delete", "get", "patch", "update"), "", "v1"),
      "approval", new Sub(null, List.of("get", "patch", "update"), null, null),
      "finalize", new Sub(null, List.of("update"), null, null),
      "token", new Sub("TokenRequest", List.of("create"), "authentication.k8s.io", "v1"));

  private final ResourceRegistry registry;
  private final String serverAddress;

  Discovery(ResourceRegistry registry, String serverAddress) {
    this.registry = registry;
    this.serverAddress = serverAddress;
  }

  Optional<ObjectNode> answer(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/version")) return Optional.of(version());
    if (p.equals("/api")) return Optional.of(apiVersions());
    if (p.equals("/apis")) return Optional.of(groupList());
    if (p.equals("/api/v1")) return Optional.of(resourceList("", "v1"));
    if (p.equals("/openapi/v3")) return Optional.of(openApiRoot());
    if (p.startsWith("/openapi/v3/")) return openApiGroupVersion(p.substring("/openapi/v3/".length()));
    String[] parts = p.split("/");
    if (parts.length == 3 && parts[1].equals("apis")) return group(parts[2]);
    if (parts.length == 4 && parts[1].equals("apis")) {
      if (registry.inGroupVersion(parts[2], parts[3]).isEmpty()) return Optional.empty();
      return Optional.of(resourceList(parts[2], parts[3]));
    }
    return Optional.empty();
  }

  private ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", KUBE_VERSION + "+pontoon-sandbox");
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "n/a");
    v.put("compiler", "pontoon-sandbox");
    v.put("platform", "linux/amd64");
    return v;
  }

  private ObjectNode apiVersions() {
    ObjectNode o = Json.object();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    ObjectNode addr = o.putArray("serverAddressByClientCIDRs").addObject();
    addr.put("clientCIDR", "0.0.0.0/0");
    addr.put("serverAddress", serverAddress);
    return o;
  }

  private ObjectNode groupList() {
    ObjectNode o = Json.object();
    o.put("kind", "APIGroupList");
    o.put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    registry.groups().forEach((group, versions) -> {
      if (!group.isEmpty()) groups.add(groupJson(group, versions));
    });
    return o;
  }

  private Optional<ObjectNode> group(String name) {
    List<String> versions = registry.groups().get(name);
    if (versions == null || name.isEmpty()) return Optional.empty();
    ObjectNode g = groupJson(name, versions);
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    return Optional.of(g);
  }

  private static ObjectNode groupJson(String group, List<String> versions) {
    ObjectNode g = Json.object();
    g.put("name", group);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode e = vs.addObject();
      e.put("groupVersion", group + "/" + v);
      e.put("version", v);
    }
    ObjectNode pref = g.putObject("preferredVersion");
    pref.put("groupVersion", group + "/" + versions.get(0));
    pref.put("version", versions.get(0));
    return g;
  }

  private ObjectNode resourceList(String group, String version) {
    ObjectNode o = Json.object();
    o.put("kind", "APIResourceList");
    o.put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = o.putArray("resources");
    for (ResourceType t : registry.inGroupVersion(group, version)) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      new TreeSet<>(t.verbs()).forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode c = r.putArray("categories");
        t.categories().forEach(c::add);
      }
      for (String sub : new TreeSet<>(t.subresources())) {
        Sub s = SUBRESOURCES.get(sub);
        if (s == null) continue;
        ObjectNode sr = resources.addObject();
        sr.put("name", t.plural() + "/" + sub);
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (s.group() != null) sr.put("group", s.group());
        if (s.version() != null) sr.put("version", s.version());
        sr.put("kind", s.kind() == null ? t.kind() : s.kind());
        ArrayNode sv = sr.putArray("verbs");
        s.verbs().forEach(sv::add);
      }
    }
    return o;
  }

  private ObjectNode openApiRoot() {
    ObjectNode o = Json.object();
    ObjectNode paths = o.putObject("paths");
    registry.groups().forEach((group, versions) -> {
      for (String v : versions) {
        String gv = group.isEmpty() ? "api/" + v : "apis/" + group + "/" + v;
        paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(group, v));
      }
    });
    return o;
  }

  private String hash(String group, String version) {
    StringBuilder sb = new StringBuilder();
    for (ResourceType t : registry.inGroupVersion(group, version)) sb.append(t.key()).append(t.kind());
    return Integer.toHexString(sb.toString().hashCode());
  }

  /** Paths with the PATCH operation of each kind and its {@code fieldValidation} parameter. */
  private Optional<ObjectNode> openApiGroupVersion(String gvPath) {
    String p = gvPath.contains("?") ? gvPath.substring(0, gvPath.indexOf('?')) : gvPath;
    String group;
    String version;
    String[] parts = p.split("/");
    if (parts.length == 2 && parts[0].equals("api")) {
      group = "";
      version = parts[1];
    } else if (parts.length == 3 && parts[0].equals("apis")) {
      group = parts[1];
      version = parts[2];
    } else {
      return Optional.empty();
    }
    List<ResourceType> types = registry.inGroupVersion(group, version);
    if (types.isEmpty()) return Optional.empty();
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", KUBE_VERSION);
    ObjectNode paths = doc.putObject("paths");
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    for (ResourceType t : types) {
      if (!t.verbs().contains("patch")) continue;
      String path = prefix + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch.put("operationId", "patch" + t.kind());
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", group);
      gvk.put("version", version);
      gvk.put("kind", t.kind());
      ArrayNode params = patch.putArray("parameters");
      for (String q : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        ObjectNode param = params.addObject();
        param.put("name", q);
        param.put("in", "query");
        param.putObject("schema").put("type", q.equals("force") ? "boolean" : "string");
        param.put("uniqueItems", true);
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    doc.putObject("components").putObject("schemas");
    return Optional.of(doc);
  }
}
