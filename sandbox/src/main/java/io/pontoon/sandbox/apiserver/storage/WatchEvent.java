package io.pontoon.sandbox.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.nio.charset.StandardCharsets;

/**
 * One event as a watcher receives it. The serialized line is computed once and shared by every
 * watcher that gets the same event.
 */
public final class WatchEvent {
  public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

  private final Type type;
  private final ObjectNode object;
  private volatile byte[] line;

  public WatchEvent(Type type, ObjectNode object) {
    this.type = type;
    this.object = object;
  }

  public Type type() {
    return type;
  }

  /** The object; shared, never to be modified. */
  public ObjectNode object() {
    return object;
  }

  /** {@code {"type":"…","object":{…}}} followed by a newline, as kube-apiserver streams JSON watches. */
  public byte[] line() {
    byte[] l = line;
    if (l == null) {
      byte[] obj = Json.bytes(object);
      byte[] head = ("{\"type\":\"" + type.name() + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
      l = new byte[head.length + obj.length + 2];
      System.arraycopy(head, 0, l, 0, head.length);
      System.arraycopy(obj, 0, l, head.length, obj.length);
      l[l.length - 2] = '}';
      l[l.length - 1] = '\n';
      line = l;
    }
    return l;
  }
}
