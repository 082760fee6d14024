package io.pontoon.sandbox.apiserver.auth;

/**
 * What a request asks to do, as kube-apiserver's request info resolver derives it from the URL and
 * method: a verb on a resource (with optional subresource, namespace and name), or a verb on a
 * non-resource path such as {@code /healthz}.
 */
public record RequestAttributes(
    String verb,
    boolean resourceRequest,
    String apiGroup,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {

  public RequestAttributes {
    verb = nz(verb);
    apiGroup = nz(apiGroup);
    resource = nz(resource);
    subresource = nz(subresource);
    namespace = nz(namespace);
    name = nz(name);
    path = nz(path);
  }

  public static RequestAttributes resource(String verb, String apiGroup, String resource, String namespace, String name) {
    return new RequestAttributes(verb, true, apiGroup, resource, "", namespace, name, "");
  }

  public static RequestAttributes subresource(String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    return new RequestAttributes(verb, true, apiGroup, resource, subresource, namespace, name, "");
  }

  public static RequestAttributes nonResource(String verb, String path) {
    return new RequestAttributes(verb, false, "", "", "", "", "", path);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
