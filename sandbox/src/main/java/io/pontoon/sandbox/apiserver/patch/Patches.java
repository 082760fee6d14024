package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.Json;
import java.io.IOException;

/** Applies the body of a PATCH request to the stored object, as kube-apiserver does. */
public final class Patches {
  /**
   * Go's JSON decoder keeps the last of duplicate members and rejects trailing data; the shared
   * mapper refuses duplicates, which kube-apiserver only does for fieldValidation=Strict.
   */
  private static final ObjectReader READER = Json.MAPPER.reader()
      .without(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Patches() {}

  /**
   * Returns the patched object as a new tree; {@code current} is never modified.
   *
   * @param current the stored object (apiVersion, kind, metadata, ...)
   * @param patchBody the request body
   * @param type the patch type from the request's Content-Type
   * @param group the API group of the resource ({@code ""} for the core group)
   * @param kind the kind of the resource, which selects the strategic merge patch metadata
   * @throws ApiException 400 for a malformed body, 413 for too many JSON patch operations, 415 for
   *     server-side apply and for a strategic merge patch of a custom resource, 422 for a patch that
   *     does not apply, 500 where kube-apiserver answers 500 as well
   */
  public static ObjectNode apply(ObjectNode current, byte[] patchBody, PatchType type, String group, String kind) {
    if (type == PatchType.APPLY_PATCH) {
      throw PatchType.applyNotSupported();
    }
    if (type == PatchType.STRATEGIC_MERGE_PATCH && !PatchMeta.isBuiltIn(group)) {
      throw PatchType.unsupportedMediaType(true);
    }
    JsonNode patch = parse(patchBody);
    JsonNode patched = switch (type) {
      case JSON_PATCH -> JsonPatch.decode(patch).apply(current);
      case MERGE_PATCH -> MergePatch.apply(current, patch);
      case STRATEGIC_MERGE_PATCH -> strategic(current, patch, group, kind);
      case APPLY_PATCH -> throw PatchType.applyNotSupported();
    };
    if (!patched.isObject()) {
      throw PatchErrors.notAnObject(Json.text(patched),
          "json: cannot unmarshal " + JsonPatch.jsonKind(patched) + " into Go value of type " + kind);
    }
    return (ObjectNode) patched;
  }

  private static JsonNode strategic(ObjectNode current, JsonNode patch, String group, String kind) {
    if (patch.isNull()) {
      return current.deepCopy();
    }
    if (!patch.isObject()) {
      throw PatchErrors.badRequest("json: cannot unmarshal " + JsonPatch.jsonKind(patch)
          + " into Go value of type map[string]interface {}");
    }
    return StrategicMergePatch.apply(current, (ObjectNode) patch, PatchMeta.forKind(group, kind));
  }

  /** Parses a patch body; anything but one JSON value is a 400, as in kube-apiserver. */
  static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw PatchErrors.badRequest(PatchErrors.INVALID_JSON);
    }
    try {
      JsonNode node = READER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw PatchErrors.badRequest(PatchErrors.INVALID_JSON);
      }
      return node;
    } catch (IOException e) {
      throw PatchErrors.badRequest(PatchErrors.INVALID_JSON);
    }
  }
}
