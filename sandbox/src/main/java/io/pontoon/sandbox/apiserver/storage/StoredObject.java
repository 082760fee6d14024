package io.pontoon.sandbox.apiserver.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object as the store keeps it: a JSON tree that is never modified again, so its JSON text is
 * written once and reused by the answer to the write, every watch event and every list or get that
 * includes it (the API server's main cost is writing JSON).
 */
public final class StoredObject extends ObjectNode {
  private final Map<String, JsonNode> children;
  private volatile byte[] json;

  private StoredObject(Map<String, JsonNode> children) {
    super(Json.NODES, children);
    this.children = children;
  }

  /** Wraps a tree that the caller hands over and no longer changes (its top level is copied). */
  static StoredObject of(ObjectNode tree) {
    if (tree instanceof StoredObject s) return s;
    Map<String, JsonNode> children = new LinkedHashMap<>();
    tree.fields().forEachRemaining(e -> children.put(e.getKey(), e.getValue()));
    return new StoredObject(children);
  }

  /** The object's JSON text; shared, never to be modified. */
  public byte[] json() {
    byte[] j = json;
    if (j == null) {
      // a plain view of the same fields, written the usual way
      try {
        j = Json.MAPPER.writeValueAsBytes(new ObjectNode(Json.NODES, children));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      json = j;
    }
    return j;
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    g.writeRawValue(new Raw(json()));
  }

  /** Already-written JSON handed to a generator as a raw value. */
  private record Raw(byte[] utf8) implements SerializableString {
    @Override
    public String getValue() {
      return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return utf8;
    }

    @Override
    public byte[] asQuotedUTF8() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + utf8.length > buffer.length) return -1;
      System.arraycopy(utf8, 0, buffer, offset, utf8.length);
      return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      String s = getValue();
      if (offset + s.length() > buffer.length) return -1;
      s.getChars(0, s.length(), buffer, offset);
      return s.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(utf8);
      return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer out) {
      if (out.remaining() < utf8.length) return -1;
      out.put(utf8);
      return utf8.length;
    }
  }
}
