package io.pontoon.sandbox.apiserver;

import io.pontoon.sandbox.apiserver.auth.Decision;
import io.pontoon.sandbox.apiserver.codec.ProtobufBodies;
import io.pontoon.sandbox.apiserver.auth.Forbidden;
import io.pontoon.sandbox.apiserver.auth.RbacAuthorizer;
import io.pontoon.sandbox.apiserver.auth.RequestAttributes;
import io.pontoon.sandbox.apiserver.auth.UserInfo;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request pipeline: authentication, request info, RBAC authorization, then routing to
 * discovery, the review APIs, kubelet proxying or the REST handler of a resource. Runs on a
 * worker thread: it may call admission webhooks.
 */
final class ApiHandler {
  /** Raw request data from the transport. */
  record Raw(String method, String path, Map<String, List<String>> query, String contentType, String accept,
      String authorization, List<Certificate> peerCertificates, byte[] body) {}

  private final ResourceRegistry registry;
  private final ObjectStore store;
  private final Authenticator authenticator;
  private final RbacAuthorizer authorizer;
  private final Discovery discovery;
  private final ResourceHandler resources;
  private final Reviews reviews;
  private final ProtobufBodies protobuf = new ProtobufBodies();
  private final ApiMetrics metrics;

  ApiHandler(ResourceRegistry registry, ObjectStore store, Authenticator authenticator, RbacAuthorizer authorizer,
      Discovery discovery, ResourceHandler resources, Reviews reviews) {
    this.registry = registry;
    this.store = store;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.discovery = discovery;
    this.resources = resources;
    this.reviews = reviews;
    this.metrics = new ApiMetrics(store, registry);
  }

  ApiResponse handle(Raw raw) {
    long start = System.nanoTime();
    String[] verbAndResource = {raw.method().toLowerCase(java.util.Locale.ROOT), ""};
    ApiResponse response = dispatch(raw, verbAndResource);
    int code = response instanceof ApiResponse.Full f ? f.code() : 200;
    metrics.record(verbAndResource[0], verbAndResource[1], code, System.nanoTime() - start);
    return response;
  }

  private ApiResponse dispatch(Raw raw, String[] verbAndResource) {
    try {
      UserInfo user = authenticator.authenticate(raw.peerCertificates(), raw.authorization());
      boolean watchParam = raw.query().getOrDefault("watch", List.of()).stream()
          .anyMatch(v -> v.equals("true") || v.equals("1"));
      RequestInfo info = RequestInfo.parse(raw.method(), raw.path(), watchParam);
      if (info.hasName() && watchParam && info.verb().equals("get")) {
        info = new RequestInfo(true, info.path(), "watch", info.group(), info.version(), info.resource(),
            info.namespace(), info.name(), info.subresource(), info.rest());
      }
      verbAndResource[0] = info.verb();
      verbAndResource[1] = info.resourceRequest() ? info.resource() : "";
      authorize(user, info);
      raw = decodeBody(raw);
      ApiRequest req = new ApiRequest(raw.method(), info, raw.query(), raw.contentType(), raw.accept(), raw.body(),
          user);
      return info.resourceRequest() ? resource(req) : nonResource(req);
    } catch (ApiException e) {
      return ApiResponse.Full.json(e.code(), Status.of(e));
    }
  }

  /**
   * The sandbox answers in JSON and reads JSON; protobuf bodies (kubectl's typed clients send
   * them) are converted to JSON first. Other media types are a 415.
   */
  private Raw decodeBody(Raw raw) {
    if (raw.body() == null || raw.body().length == 0) return raw;
    if (ProtobufBodies.isProtobuf(raw.contentType())) {
      return new Raw(raw.method(), raw.path(), raw.query(), "application/json", raw.accept(), raw.authorization(),
          raw.peerCertificates(), protobuf.toJson(raw.body()));
    }
    // a PATCH names its patch type in Content-Type; the patch handler answers its own 415
    if (raw.method().equals("PATCH")) return raw;
    String ct = raw.contentType() == null ? "" : raw.contentType().toLowerCase(java.util.Locale.ROOT);
    int semi = ct.indexOf(';');
    String bare = (semi < 0 ? ct : ct.substring(0, semi)).trim();
    if (bare.isEmpty() || bare.equals("application/json") || bare.endsWith("+json") || bare.equals("application/yaml")
        || bare.equals("application/apply-patch+yaml")) {
      return raw;
    }
    throw ApiException.unsupportedMediaType("the body of the request was in an unknown format - accepted media types "
        + "include: application/json, application/yaml");
  }

  private void authorize(UserInfo user, RequestInfo info) {
    RequestAttributes attrs = info.resourceRequest()
        ? new RequestAttributes(info.verb(), true, info.group(), info.resource(), info.subresource(),
            info.resource().equals("namespaces") && info.hasName() ? info.name() : info.namespace(), info.name(), "")
        : RequestAttributes.nonResource(info.verb().equals("create") ? "post"
            : info.verb().equals("update") ? "put" : info.verb(), info.path());
    Decision d = authorizer.authorize(user, attrs);
    if (!d.allowed()) {
      if (user.name().equals(UserInfo.ANONYMOUS) && !info.resourceRequest() && isPublic(info.path())) return;
      throw Forbidden.of(user, attrs, "");
    }
  }

  /** Health endpoints answer anyone, as kube-apiserver's system:public-info-viewer allows. */
  private static boolean isPublic(String path) {
    return path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz") || path.equals("/version");
  }

  private ApiResponse nonResource(ApiRequest req) {
    String path = req.info().path();
    if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
      return ApiResponse.Full.text(200, "ok");
    }
    if (path.equals("/metrics") && req.method().equals("GET")) {
      return new ApiResponse.Full(200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of());
    }
    if (!req.method().equals("GET")) {
      throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }
    return discovery.answer(path).<ApiResponse>map(o -> ApiResponse.Full.json(200, o))
        .orElseThrow(() -> new ApiException(404, "NotFound", "the server could not find the requested resource"));
  }

  private ApiResponse resource(ApiRequest req) {
    RequestInfo info = req.info();
    ResourceType type = registry.find(info.group(), info.version(), info.resource())
        .orElseThrow(() -> new ApiException(404, "NotFound", "the server could not find the requested resource"));
    if (!type.namespaced() && !info.namespace().isEmpty() && !type.key().equals("namespaces")) {
      throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }
    if (!info.subresource().isEmpty() && !type.subresources().contains(info.subresource())) {
      throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }
    if (type.storage() == ResourceType.Storage.VIRTUAL) {
      if (!info.verb().equals("create")) {
        throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested "
            + "resource");
      }
      if (type.key().equals("bindings")) return bindings(req);
      return reviews.create(req, type);
    }
    switch (type.key() + "/" + info.subresource()) {
      case "serviceaccounts/token" -> {
        if (!info.verb().equals("create")) throw methodNotAllowed();
        return reviews.tokenRequest(req, type);
      }
      case "pods/log" -> {
        return podLog(req, type);
      }
      case "nodes/proxy", "pods/proxy", "services/proxy" -> {
        if (!type.key().equals("nodes")) {
          throw new ApiException(503, "ServiceUnavailable", "the sandbox proxies only to nodes: pod and service "
              + "proxying needs a cluster network");
        }
        return nodeProxy(req, type);
      }
      default -> {
        return resources.handle(req, type);
      }
    }
  }

  /** {@code POST namespaces/NS/bindings}: the older form of {@code pods/NAME/binding}. */
  private ApiResponse bindings(ApiRequest req) {
    var body = resources.parseObject(req);
    String pod = Meta.name(body);
    if (pod.isEmpty()) {
      throw ApiException.invalid("", "Binding", "", List.of(new ApiException.Cause("FieldValueRequired",
          "Required value: name or generateName is required", "metadata.name")));
    }
    ResourceType pods = registry.byKey("pods").orElseThrow();
    return ApiResponse.Full.json(201, Subresources.bind(resources, pods, req.info().namespace(), pod, body));
  }

  private static ApiException methodNotAllowed() {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }

  /** {@code pods/log} goes to the kubelet of the pod's node, as kube-apiserver's kubelet client does. */
  private ApiResponse podLog(ApiRequest req, ResourceType podType) {
    if (!req.info().verb().equals("get")) throw methodNotAllowed();
    var pod = resources.get(podType, req.info().namespace(), req.info().name());
    String container = req.param("container", "");
    var containers = pod.path("spec").path("containers");
    if (container.isEmpty()) {
      if (containers.size() != 1) {
        StringBuilder names = new StringBuilder();
        containers.forEach(c -> names.append(names.length() > 0 ? " " : "").append(c.path("name").asText()));
        throw ApiException.badRequest("a container name must be specified for pod " + req.info().name()
            + ", choose one of: [" + names + "]");
      }
      container = containers.get(0).path("name").asText();
    } else if (!hasContainer(pod, container)) {
      throw ApiException.badRequest("container " + container + " is not valid for pod " + req.info().name());
    }
    String nodeName = pod.path("spec").path("nodeName").asText("");
    if (nodeName.isEmpty()) {
      // kube-apiserver has no log location for a pod not yet on a node: an empty log, not an error
      return ApiResponse.Full.text(200, "");
    }
    Target node = kubeletOf(nodeName);
    StringBuilder q = new StringBuilder();
    for (String p : List.of("follow", "previous", "timestamps", "tailLines", "limitBytes", "sinceSeconds",
        "sinceTime")) {
      String v = req.param(p);
      if (v != null) q.append(q.length() == 0 ? "?" : "&").append(p).append('=')
          .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
    }
    return new ApiResponse.KubeletProxy(node.host(), node.port(), "/containerLogs/" + req.info().namespace() + "/"
        + req.info().name() + "/" + container + q, "GET");
  }

  private static boolean hasContainer(com.fasterxml.jackson.databind.JsonNode pod, String name) {
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (var c : pod.path("spec").path(list)) {
        if (c.path("name").asText().equals(name)) return true;
      }
    }
    return false;
  }

  private ApiResponse nodeProxy(ApiRequest req, ResourceType nodeType) {
    Target node = kubeletOf(req.info().name());
    String rest = "/" + String.join("/", req.info().rest());
    return new ApiResponse.KubeletProxy(node.host(), node.port(), rest, req.method());
  }

  private record Target(String host, int port) {}

  private Target kubeletOf(String nodeName) {
    ResourceType nodes = registry.byKey("nodes").orElseThrow();
    var node = store.get(nodes, "", nodeName).orElseThrow(() -> ApiException.notFound("", "nodes", nodeName));
    int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    Optional<String> host = Optional.empty();
    for (String type : List.of("InternalIP", "Hostname", "ExternalIP")) {
      for (var a : node.path("status").path("addresses")) {
        if (host.isEmpty() && a.path("type").asText().equals(type)) host = Optional.of(a.path("address").asText());
      }
    }
    if (port == 0 || host.isEmpty()) {
      throw new ApiException(503, "ServiceUnavailable", "node \"" + nodeName + "\" has no kubelet endpoint in its "
          + "status (status.addresses and status.daemonEndpoints.kubeletEndpoint.Port)");
    }
    return new Target(host.get(), port);
  }
}
