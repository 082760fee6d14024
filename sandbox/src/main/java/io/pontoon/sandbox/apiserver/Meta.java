package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/** Small helpers over {@code metadata} of object trees. */
public final class Meta {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** The alphabet of generateName suffixes: no vowels, no look-alikes (as kube-apiserver). */
  private static final char[] SUFFIX = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

  private Meta() {}

  public static ObjectNode metadata(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) return o;
    return obj.putObject("metadata");
  }

  public static String name(JsonNode obj) {
    return obj.path("metadata").path("name").asText("");
  }

  public static String namespace(JsonNode obj) {
    return obj.path("metadata").path("namespace").asText("");
  }

  public static String uid(JsonNode obj) {
    return obj.path("metadata").path("uid").asText("");
  }

  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static String timestamp(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static Map<String, String> labels(JsonNode obj) {
    Map<String, String> m = new HashMap<>();
    JsonNode l = obj.path("metadata").path("labels");
    for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  public static boolean hasFinalizers(JsonNode obj) {
    JsonNode f = obj.path("metadata").path("finalizers");
    return f.isArray() && !f.isEmpty();
  }

  public static boolean hasFinalizer(JsonNode obj, String finalizer) {
    for (JsonNode f : obj.path("metadata").path("finalizers")) {
      if (f.asText().equals(finalizer)) return true;
    }
    return false;
  }

  public static void addFinalizer(ObjectNode obj, String finalizer) {
    if (hasFinalizer(obj, finalizer)) return;
    ObjectNode m = metadata(obj);
    ArrayNode f = m.has("finalizers") && m.get("finalizers").isArray() ? (ArrayNode) m.get("finalizers")
        : m.putArray("finalizers");
    f.add(finalizer);
  }

  public static void removeFinalizer(ObjectNode obj, String finalizer) {
    JsonNode f = obj.path("metadata").path("finalizers");
    if (!f.isArray()) return;
    ArrayNode kept = Json.NODES.arrayNode();
    f.forEach(x -> {
      if (!x.asText().equals(finalizer)) kept.add(x);
    });
    if (kept.isEmpty()) metadata(obj).remove("finalizers");
    else metadata(obj).set("finalizers", kept);
  }

  public static boolean isDeleting(JsonNode obj) {
    return obj.path("metadata").hasNonNull("deletionTimestamp");
  }

  public static boolean isDns1123Label(String s) {
    return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
  }

  public static boolean isDns1123Subdomain(String s) {
    return s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches();
  }

  public static String randomSuffix(SecureRandom random, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) c[i] = SUFFIX[random.nextInt(SUFFIX.length)];
    return new String(c);
  }
}
