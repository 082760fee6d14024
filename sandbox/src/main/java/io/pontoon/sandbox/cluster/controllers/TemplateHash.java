package io.pontoon.sandbox.cluster.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code pod-template-hash} of a Deployment's template: FNV-1a (32 bit) of the template in a
 * canonical form, then of the collision count as four little-endian bytes, printed in decimal and
 * mapped onto kube's "safe" alphabet (no vowels, no look-alike characters), as kube's
 * ComputeHash does. The canonical form is JSON with sorted keys, so equal templates give equal
 * hashes across restarts.
 */
final class TemplateHash {
  static final String LABEL = "pod-template-hash";
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private TemplateHash() {}

  static String of(JsonNode template, Integer collisionCount) {
    int h = fnv(FNV_OFFSET, canonical(template).getBytes(StandardCharsets.UTF_8));
    if (collisionCount != null) {
      int c = collisionCount;
      h = fnv(h, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
    }
    return safeEncode(Long.toString(Integer.toUnsignedLong(h)));
  }

  static int fnv(int seed, byte[] data) {
    int h = seed;
    for (byte b : data) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  /** kube's rand.SafeEncodeString. */
  static String safeEncode(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) sb.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
    return sb.toString();
  }

  /** JSON with object keys sorted; arrays keep their order. */
  static String canonical(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    write(n, sb);
    return sb.toString();
  }

  private static void write(JsonNode n, StringBuilder sb) {
    if (n == null || n.isMissingNode()) {
      sb.append("null");
    } else if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) keys.add(it.next());
      keys.sort(null);
      sb.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) sb.append(',');
        sb.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(keys.get(i)).toString()).append(':');
        write(n.get(keys.get(i)), sb);
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) sb.append(',');
        write(n.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(n.toString());
    }
  }
}
