package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code metav1.Status} bodies: every error, and the success answer of some deletes. */
public final class Status {
  private Status() {}

  public static ObjectNode of(ApiException e) {
    ObjectNode s = base();
    s.put("status", "Failure");
    s.put("message", e.getMessage());
    s.put("reason", e.reason());
    ApiException.Details d = e.details();
    if (d != null || !e.causes().isEmpty()) {
      ObjectNode details = s.putObject("details");
      if (d != null) {
        if (d.name() != null) details.put("name", d.name());
        if (d.group() != null && !d.group().isEmpty()) details.put("group", d.group());
        if (d.kind() != null) details.put("kind", d.kind());
        if (d.retryAfterSeconds() != null) details.put("retryAfterSeconds", d.retryAfterSeconds());
      }
      if (!e.causes().isEmpty()) {
        ArrayNode causes = details.putArray("causes");
        for (ApiException.Cause c : e.causes()) {
          ObjectNode cause = causes.addObject();
          cause.put("reason", c.reason());
          cause.put("message", c.message());
          cause.put("field", c.field());
        }
      }
    }
    s.put("code", e.code());
    return s;
  }

  public static ObjectNode success(String group, String kind, String name, String uid) {
    ObjectNode s = base();
    s.put("status", "Success");
    ObjectNode details = s.putObject("details");
    details.put("name", name);
    if (!group.isEmpty()) details.put("group", group);
    details.put("kind", kind);
    details.put("uid", uid);
    return s;
  }

  private static ObjectNode base() {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    return s;
  }
}
