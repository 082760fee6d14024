package io.pontoon.sandbox.apiserver.patch;

import java.util.HashMap;
import java.util.Map;

/**
 * The strategic merge patch metadata of one Go struct of the Kubernetes API: its fields that carry
 * patch tags, or that lead to structs with such fields. Other fields have no metadata
 * ({@link FieldMeta#NONE}): maps merge, lists are replaced.
 *
 * @param name the Go type, for messages
 * @param fields field metadata by JSON field name
 */
public record PatchSchema(String name, Map<String, FieldMeta> fields) {
  /** A value without any patch metadata. */
  public static final PatchSchema NONE = new PatchSchema("", Map.of());

  public PatchSchema {
    fields = Map.copyOf(fields);
  }

  public FieldMeta field(String jsonName) {
    return fields.getOrDefault(jsonName, FieldMeta.NONE);
  }

  /** This schema with one more field; the tables build shared structs from smaller ones this way. */
  PatchSchema with(String jsonName, FieldMeta meta) {
    HashMap<String, FieldMeta> copy = new HashMap<>(fields);
    copy.put(jsonName, meta);
    return new PatchSchema(name, copy);
  }
}
