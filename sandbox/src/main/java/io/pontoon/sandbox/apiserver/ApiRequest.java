package io.pontoon.sandbox.apiserver;

import io.pontoon.sandbox.apiserver.auth.UserInfo;
import java.util.List;
import java.util.Map;

/** A request as the handlers see it, independent of the HTTP library. */
public record ApiRequest(
    String method,
    RequestInfo info,
    Map<String, List<String>> query,
    String contentType,
    String accept,
    byte[] body,
    UserInfo user) {

  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public String param(String name, String fallback) {
    String v = param(name);
    return v == null ? fallback : v;
  }

  public boolean flag(String name) {
    String v = param(name);
    return v != null && (v.equals("true") || v.equals("1"));
  }

  public boolean dryRun() {
    List<String> v = query.get("dryRun");
    return v != null && v.contains("All");
  }

  /** True when the client asked for a {@code meta.k8s.io} Table (what {@code kubectl get} does). */
  public boolean wantsTable() {
    return accept != null && accept.contains("as=Table");
  }
}
