package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.Json;
import java.nio.charset.StandardCharsets;

/** JSON literals for tests; single quotes stand for double quotes to keep the literals readable. */
final class Trees {
  private Trees() {}

  static JsonNode node(String json) {
    try {
      return Json.MAPPER.readTree(json.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static ObjectNode obj(String json) {
    return (ObjectNode) node(json);
  }

  static byte[] bytes(String json) {
    return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  /** The detail kube-apiserver keeps out of a 422's message. */
  static String detail(ApiException e) {
    return e.getCause() == null ? "" : e.getCause().getMessage();
  }
}
