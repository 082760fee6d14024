package io.pontoon.sandbox.apiserver.auth;

import io.pontoon.sandbox.apiserver.ApiException;
import java.util.List;

/** The 403 answers of kube-apiserver, worded as it words them. */
public final class Forbidden {
  private Forbidden() {}

  /**
   * The authorization denial text, e.g. {@code User "alice" cannot list resource "pods" in API
   * group "" in the namespace "default"}, followed by {@code : <reason>} when there is one.
   */
  public static String detail(UserInfo user, RequestAttributes a, String reason) {
    String msg;
    if (!a.resourceRequest()) {
      msg = "User " + GoStrings.quote(user.name()) + " cannot " + a.verb() + " path " + GoStrings.quote(a.path());
    } else {
      String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
      msg = "User " + GoStrings.quote(user.name()) + " cannot " + a.verb() + " resource " + GoStrings.quote(resource)
          + " in API group " + GoStrings.quote(a.apiGroup())
          + (a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace " + GoStrings.quote(a.namespace()));
    }
    return reason == null || reason.isEmpty() ? msg : msg + ": " + reason;
  }

  /**
   * The whole message of a denied request, e.g. {@code pods is forbidden: User "alice" cannot list
   * resource "pods" in API group "" in the namespace "default"}.
   */
  public static String message(UserInfo user, RequestAttributes a, String reason) {
    String groupResource = a.resourceRequest() ? groupResource(a.apiGroup(), a.resource()) : "";
    return prefix(groupResource, a.resourceRequest() ? a.name() : "") + detail(user, a, reason);
  }

  /** The 403 for a denied request, with the details kube puts in its Status. */
  public static ApiException of(UserInfo user, RequestAttributes a, String reason) {
    ApiException.Details details = a.resourceRequest()
        ? new ApiException.Details(a.name(), a.apiGroup(), a.resource(), null)
        : null;
    return new ApiException(403, "Forbidden", message(user, a, reason), details, List.of());
  }

  /** Kube's NewForbidden for a resource of a group, e.g. escalation refusals on roles. */
  public static ApiException of(String group, String resource, String name, String detail) {
    return new ApiException(403, "Forbidden", prefix(groupResource(group, resource), name) + detail,
        new ApiException.Details(name, group, resource, null), List.of());
  }

  static String groupResource(String group, String resource) {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  private static String prefix(String groupResource, String name) {
    if (groupResource.isEmpty()) return "forbidden: ";
    if (name.isEmpty()) return groupResource + " is forbidden: ";
    return groupResource + " " + GoStrings.quote(name) + " is forbidden: ";
  }
}
