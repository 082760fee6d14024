package io.pontoon.sandbox.apiserver.patch;

import io.pontoon.sandbox.apiserver.ApiException;
import java.util.List;

/**
 * The errors patching answers, with the codes and messages kube-apiserver gives for the same
 * failures (k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
 */
final class PatchErrors {
  /** What kube-apiserver says, for any patch type other than apply, when the body is not JSON. */
  static final String INVALID_JSON = "invalid JSON patch";
  /** The message of a 422 built by apimachinery's NewGenericServerResponse. */
  static final String REJECTED = "the server rejected our request due to an error in our request";

  private PatchErrors() {}

  /**
   * The detail of a failure that kube-apiserver hides behind a generic message; it is kept as the
   * exception's cause so that logs and tests can still see what went wrong.
   */
  static final class Detail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Detail(String message) {
      super(message, null, false, false);
    }
  }

  static ApiException badRequest(String message) {
    return ApiException.badRequest(message);
  }

  /** 422 Invalid with the generic message: kube-apiserver does not return the detail. */
  static ApiException unprocessable(String detail) {
    ApiException e = new ApiException(422, "Invalid", REJECTED);
    e.initCause(new Detail(detail));
    return e;
  }

  /**
   * An error kube-apiserver does not map to a status: it answers 500 with reason Unknown (empty)
   * and the error text as message.
   */
  static ApiException internal(String message) {
    return new ApiException(500, "", message);
  }

  static ApiException tooLarge(String message) {
    return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: " + message);
  }

  /** What kube-apiserver answers when the patched document cannot be decoded into the object. */
  static ApiException notAnObject(String patchedJson, String why) {
    return ApiException.invalid("", "", "", List.of(new ApiException.Cause("FieldValueInvalid",
        "Invalid value: " + GoFormat.quote(patchedJson) + ": " + why, "patch")));
  }
}
