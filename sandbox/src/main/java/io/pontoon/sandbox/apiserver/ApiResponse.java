package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.Watch;
import java.util.List;

/** What a handler answers: a whole body, a watch stream, or a stream proxied from a kubelet. */
public sealed interface ApiResponse {

  /** A complete JSON (or text) answer. */
  record Full(int code, String contentType, byte[] body, List<String> warnings) implements ApiResponse {
    public static Full json(int code, JsonNode node) {
      return new Full(code, "application/json", Json.bytes(node), List.of());
    }

    public static Full text(int code, String text) {
      return new Full(code, "text/plain; charset=utf-8", text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          List.of());
    }
  }

  /**
   * A watch: the transport streams what the watch yields until it closes or the timeout passes.
   *
   * @param table each event object is rendered as a Table (kubectl get -w)
   */
  record Stream(ResourceType type, Watch watch, long timeoutSeconds, boolean bookmarks, boolean table)
      implements ApiResponse {}

  /** A request forwarded to a kubelet's HTTPS endpoint ({@code pods/log}, {@code nodes/proxy}). */
  record KubeletProxy(String host, int port, String pathAndQuery, String method) implements ApiResponse {}
}
