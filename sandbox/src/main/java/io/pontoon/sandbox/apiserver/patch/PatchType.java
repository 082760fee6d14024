package io.pontoon.sandbox.apiserver.patch;

import io.pontoon.sandbox.apiserver.ApiException;
import java.util.Locale;

/** The patch formats a PATCH request can carry, named by its Content-Type. */
public enum PatchType {
  /** RFC 6902 JSON patch: a list of operations. */
  JSON_PATCH("application/json-patch+json"),
  /** RFC 7386 JSON merge patch. */
  MERGE_PATCH("application/merge-patch+json"),
  /** Kubernetes strategic merge patch; only for built-in kinds. */
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
  /** Server-side apply; recognised so that it can be refused clearly, see {@link #applyNotSupported()}. */
  APPLY_PATCH("application/apply-patch+yaml");

  /** What kube-apiserver lists for built-in resources (with the CBOR feature gate off, its default). */
  static final String BUILT_IN_ACCEPTED = "application/json-patch+json, application/merge-patch+json, "
      + "application/strategic-merge-patch+json, application/apply-patch+yaml";
  /** What kube-apiserver lists for custom resources: no strategic merge patch. */
  static final String CUSTOM_RESOURCE_ACCEPTED =
      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The patch type of a built-in resource's PATCH request. Parameters such as {@code ; charset=utf-8}
   * are ignored as kube-apiserver does.
   *
   * @throws ApiException 415 with kube-apiserver's message when the type is not a patch type
   */
  public static PatchType fromContentType(String contentType) {
    return fromContentType(contentType, false);
  }

  /**
   * The patch type of a PATCH request; for a custom resource, strategic merge patch is refused with
   * the same 415 kube-apiserver answers (its accepted list leaves strategic merge patch out).
   */
  public static PatchType fromContentType(String contentType, boolean customResource) {
    String bare = contentType == null ? "" : contentType;
    int semicolon = bare.indexOf(';');
    if (semicolon >= 0) {
      bare = bare.substring(0, semicolon);
    }
    bare = bare.trim().toLowerCase(Locale.ROOT);
    for (PatchType type : values()) {
      if (type.contentType.equals(bare)) {
        if (type == STRATEGIC_MERGE_PATCH && customResource) {
          throw unsupportedMediaType(true);
        }
        return type;
      }
    }
    throw unsupportedMediaType(customResource);
  }

  /** The 415 kube-apiserver answers for a Content-Type it does not accept on PATCH. */
  public static ApiException unsupportedMediaType(boolean customResource) {
    return ApiException.unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
            + (customResource ? CUSTOM_RESOURCE_ACCEPTED : BUILT_IN_ACCEPTED));
  }

  /** The 415 this server answers for server-side apply, which it does not implement. */
  public static ApiException applyNotSupported() {
    return ApiException.unsupportedMediaType(
        "server-side apply (" + APPLY_PATCH.contentType + ") is not supported by this sandbox API server;"
            + " use client-side apply (kubectl apply without --server-side) or a JSON, merge or strategic"
            + " merge patch - accepted media types include: application/json-patch+json,"
            + " application/merge-patch+json, application/strategic-merge-patch+json");
  }
}
