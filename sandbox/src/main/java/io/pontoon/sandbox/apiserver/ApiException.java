package io.pontoon.sandbox.apiserver;

import java.util.List;

/**
 * An error that the API server answers with a {@code metav1.Status}, the way kube-apiserver does:
 * an HTTP code, a machine-readable reason and a message that kubectl prints as is.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One entry of {@code status.details.causes}: what was wrong with which field. */
  public record Cause(String reason, String message, String field) {}

  private final int code;
  private final String reason;
  private final transient List<Cause> causes;
  private final transient Details details;

  /** {@code status.details}: the object the error is about, when there is one. */
  public record Details(String name, String group, String kind, Integer retryAfterSeconds) {}

  public ApiException(int code, String reason, String message) {
    this(code, reason, message, null, List.of());
  }

  public ApiException(int code, String reason, String message, Details details, List<Cause> causes) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.causes = List.copyOf(causes);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public Details details() {
    return details;
  }

  public List<Cause> causes() {
    return causes;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  public static ApiException notFound(String group, String kind, String name) {
    String what = group == null || group.isEmpty() ? kind : kind + "." + group;
    return new ApiException(404, "NotFound", what + " \"" + name + "\" not found",
        new Details(name, group, kind, null), List.of());
  }

  public static ApiException alreadyExists(String group, String kind, String name) {
    String what = group == null || group.isEmpty() ? kind : kind + "." + group;
    return new ApiException(409, "AlreadyExists", what + " \"" + name + "\" already exists",
        new Details(name, group, kind, null), List.of());
  }

  public static ApiException conflict(String group, String kind, String name, String why) {
    String what = group == null || group.isEmpty() ? kind : kind + "." + group;
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + what + " \"" + name + "\": " + why,
        new Details(name, group, kind, null), List.of());
  }

  /** 422 with field causes; the message lists them as kube-apiserver does. */
  public static ApiException invalid(String group, String kind, String name, List<Cause> causes) {
    String what = group == null || group.isEmpty() ? kind : kind + "." + group;
    StringBuilder msg = new StringBuilder(what).append(" \"").append(name).append("\" is invalid: ");
    if (causes.size() == 1) {
      msg.append(causes.get(0).field()).append(": ").append(causes.get(0).message());
    } else {
      msg.append('[');
      for (int i = 0; i < causes.size(); i++) {
        if (i > 0) msg.append(", ");
        msg.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
      }
      msg.append(']');
    }
    return new ApiException(422, "Invalid", msg.toString(), new Details(name, group, kind, null), causes);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "Forbidden", message);
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message);
  }
}
