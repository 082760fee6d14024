package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kube-apiserver rejects in a CRD's {@code openAPIV3Schema}: the schema rules of
 * apiextensions validation (types, list types, uniqueItems, ...) followed by the structural-schema
 * invariants (ValidateStructural), whose errors it sorts by their text.
 */
final class StructuralChecks {
  private static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");
  private static final List<String> LIST_TYPES = List.of("atomic", "set", "map");

  private enum Level { ROOT, ITEMS, FIELD }

  private final List<Cause> schemaErrors = new ArrayList<>();
  private final List<Cause> structuralErrors = new ArrayList<>();

  private StructuralChecks() {}

  static List<Cause> check(JsonNode schema, String path) {
    StructuralChecks c = new StructuralChecks();
    if (schema == null || !schema.isObject()) {
      return List.of(FieldErrors.required(path, "must not be empty"));
    }
    c.schemaRules(schema, path);
    c.structural(SchemaNode.of(schema), Level.ROOT, path);
    c.structuralErrors.sort(Comparator.comparing(x -> x.field() + ": " + x.message()));
    Set<Cause> all = new LinkedHashSet<>(c.schemaErrors);
    all.addAll(c.structuralErrors);
    return List.copyOf(all);
  }

  // --- apiextensions schema rules ---

  private void schemaRules(JsonNode s, String path) {
    String type = s.path("type").asText("");
    if (!type.isEmpty() && !TYPES.contains(type)) {
      schemaErrors.add(FieldErrors.notSupported(path + ".type", TextNode.valueOf(type), TYPES));
    }
    if (s.path("uniqueItems").asBoolean(false)) {
      schemaErrors.add(FieldErrors.forbidden(path + ".uniqueItems",
          "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    if (s.has("additionalProperties") && s.path("properties").size() > 0
        && !(s.get("additionalProperties").isBoolean() && s.get("additionalProperties").booleanValue())) {
      schemaErrors.add(FieldErrors.forbidden(path + ".additionalProperties",
          "additionalProperties and properties are mutual exclusive"));
    }
    listTypeRules(s, path, type);
    Iterator<Map.Entry<String, JsonNode>> props = s.path("properties").fields();
    while (props.hasNext()) {
      Map.Entry<String, JsonNode> e = props.next();
      schemaRules(e.getValue(), path + ".properties[" + e.getKey() + "]");
    }
    if (s.path("additionalProperties").isObject()) {
      schemaRules(s.get("additionalProperties"), path + ".additionalProperties");
    }
    if (s.path("items").isObject()) {
      schemaRules(s.get("items"), path + ".items");
    }
    for (String k : List.of("allOf", "anyOf", "oneOf")) {
      JsonNode arr = s.path(k);
      for (int i = 0; i < arr.size(); i++) {
        schemaRules(arr.get(i), path + "." + k + "[" + i + "]");
      }
    }
    if (s.path("not").isObject()) {
      schemaRules(s.get("not"), path + ".not");
    }
  }

  private void listTypeRules(JsonNode s, String path, String type) {
    String listType = s.hasNonNull("x-kubernetes-list-type") ? s.get("x-kubernetes-list-type").asText() : null;
    JsonNode keys = s.path("x-kubernetes-list-map-keys");
    if (listType != null) {
      if (type.isEmpty()) {
        schemaErrors.add(FieldErrors.required(path + ".type", "must be array if x-kubernetes-list-type is specified"));
      } else if (!type.equals("array")) {
        schemaErrors.add(FieldErrors.invalid(path + ".type", TextNode.valueOf(type),
            "must be array if x-kubernetes-list-type is specified"));
      }
      if (!LIST_TYPES.contains(listType)) {
        schemaErrors.add(FieldErrors.notSupported(path + ".x-kubernetes-list-type", TextNode.valueOf(listType),
            LIST_TYPES));
      }
    }
    if (keys.size() > 0) {
      if (listType == null) {
        schemaErrors.add(FieldErrors.required(path + ".x-kubernetes-list-type",
            "must be map if x-kubernetes-list-map-keys is non-empty"));
      } else if (!listType.equals("map")) {
        schemaErrors.add(FieldErrors.invalid(path + ".x-kubernetes-list-type", TextNode.valueOf(listType),
            "must be map if x-kubernetes-list-map-keys is non-empty"));
      }
    }
    if ("map".equals(listType)) {
      if (keys.size() == 0) {
        schemaErrors.add(FieldErrors.required(path + ".x-kubernetes-list-map-keys",
            "must not be empty if x-kubernetes-list-type is map"));
      }
      JsonNode items = s.path("items");
      if (!items.isObject()) {
        schemaErrors.add(FieldErrors.required(path + ".items", "must have a schema if x-kubernetes-list-type is map"));
        return;
      }
      String itemType = items.path("type").asText("");
      if (!itemType.equals("object")) {
        schemaErrors.add(FieldErrors.invalid(path + ".items.type", TextNode.valueOf(itemType),
            "must be object if parent array's x-kubernetes-list-type is map"));
        return;
      }
      Set<String> seen = new HashSet<>();
      boolean allProperties = true;
      boolean duplicates = false;
      for (JsonNode k : keys) {
        JsonNode prop = items.path("properties").path(k.asText());
        if (prop.isMissingNode()) {
          allProperties = false;
        } else {
          String pt = prop.path("type").asText("");
          if (pt.equals("object") || pt.equals("array")) {
            schemaErrors.add(FieldErrors.invalid(path + ".items.properties[" + k.asText() + "].type",
                TextNode.valueOf(pt), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
          }
        }
        duplicates |= !seen.add(k.asText());
      }
      if (!allProperties) {
        schemaErrors.add(FieldErrors.invalid(path + ".x-kubernetes-list-map-keys", keys,
            "entries must all be names of item properties"));
      }
      if (duplicates) {
        schemaErrors.add(FieldErrors.invalid(path + ".x-kubernetes-list-map-keys", keys,
            "must not contain duplicate entries"));
      }
    }
  }

  // --- structural invariants ---

  private void structural(SchemaNode s, Level lvl, String path) {
    if (s.type.equals("array") && s.items == null) {
      structuralErrors.add(FieldErrors.required(path + ".items", "must be specified"));
    }
    if (s.items != null) {
      structural(s.items, Level.ITEMS, path + ".items");
    }
    for (Map.Entry<String, SchemaNode> p : s.properties.entrySet()) {
      structural(p.getValue(), Level.FIELD, path + ".properties[" + p.getKey() + "]");
    }
    if (s.raw.has("additionalProperties")) {
      if (lvl == Level.ROOT) {
        structuralErrors.add(FieldErrors.forbidden(path + ".additionalProperties", "must not be used at the root"));
      }
      if (s.raw.get("additionalProperties").isObject()) {
        structural(s.additionalProperties, Level.FIELD, path + ".additionalProperties");
      }
    }
    if (s.intOrString && s.preserveUnknownFields) {
      structuralErrors.add(FieldErrors.invalid(path + ".x-kubernetes-preserve-unknown-fields", BooleanNode.TRUE,
          "must be false if x-kubernetes-int-or-string is true"));
    }
    if (s.intOrString && s.embeddedResource) {
      structuralErrors.add(FieldErrors.invalid(path + ".x-kubernetes-embedded-resource", BooleanNode.TRUE,
          "must be false if x-kubernetes-int-or-string is true"));
    }
    boolean skipAnyOf = isIntOrStringAnyOf(s.raw.path("anyOf"));
    boolean skipFirstAllOfAnyOf = s.raw.path("allOf").size() > 0
        && isIntOrStringAnyOf(s.raw.path("allOf").get(0).path("anyOf"));
    valueValidation(s.raw, skipAnyOf, skipFirstAllOfAnyOf, path);
    if (s.patternError != null) {
      structuralErrors.add(FieldErrors.invalid(path + ".pattern", TextNode.valueOf(s.pattern),
          "must be a valid regular expression, but isn't: " + s.patternError));
    }

    boolean checkMetadata = lvl == Level.ROOT || s.embeddedResource;
    if (s.embeddedResource && !s.type.equals("object")) {
      if (s.type.isEmpty()) {
        structuralErrors.add(FieldErrors.required(path + ".type",
            "must be object if x-kubernetes-embedded-resource is true"));
      } else {
        structuralErrors.add(FieldErrors.invalid(path + ".type", TextNode.valueOf(s.type),
            "must be object if x-kubernetes-embedded-resource is true"));
      }
    } else if (s.type.isEmpty() && !s.intOrString && !s.preserveUnknownFields) {
      String where = switch (lvl) {
        case ROOT -> "at the root";
        case ITEMS -> "for specified array items";
        case FIELD -> "for specified object fields";
      };
      structuralErrors.add(FieldErrors.required(path + ".type", "must not be empty " + where));
    }
    if (s.embeddedResource && s.raw.has("additionalProperties")) {
      structuralErrors.add(FieldErrors.forbidden(path + ".additionalProperties",
          "must not be used if x-kubernetes-embedded-resource is set"));
    }
    if (lvl == Level.ROOT && !s.type.isEmpty() && !s.type.equals("object")) {
      structuralErrors.add(FieldErrors.invalid(path + ".type", TextNode.valueOf(s.type), "must be object at the root"));
    }
    for (String meta : List.of("kind", "apiVersion")) {
      SchemaNode p = s.properties.get(meta);
      if (p != null && checkMetadata && !p.type.equals("string")) {
        structuralErrors.add(FieldErrors.invalid(path + ".properties[" + meta + "].type", TextNode.valueOf(p.type),
            "must be string"));
      }
    }
    SchemaNode metadata = s.properties.get("metadata");
    if (metadata != null) {
      String mp = path + ".properties[metadata]";
      if (checkMetadata && !metadata.type.equals("object")) {
        structuralErrors.add(FieldErrors.invalid(mp + ".type", TextNode.valueOf(metadata.type), "must be object"));
      }
      if (lvl == Level.ROOT && !onlyNameConstraints(metadata.raw)) {
        structuralErrors.add(FieldErrors.forbidden(mp,
            "must not specify anything other than name and generateName, but metadata is implicitly specified"));
      }
    }
    if (s.embeddedResource && !s.preserveUnknownFields && s.properties.isEmpty()) {
      structuralErrors.add(FieldErrors.required(path + ".properties",
          "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
    }
  }

  /** Root metadata may only say {@code type: object} and constrain name and generateName. */
  private static boolean onlyNameConstraints(JsonNode metadata) {
    Iterator<String> keys = metadata.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (k.equals("type") || k.equals("default")) {
        continue;
      }
      if (!k.equals("properties")) {
        return false;
      }
      Iterator<String> props = metadata.get("properties").fieldNames();
      while (props.hasNext()) {
        String p = props.next();
        if (!p.equals("name") && !p.equals("generateName")) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isIntOrStringAnyOf(JsonNode anyOf) {
    return anyOf.size() == 2 && anyOf.get(0).size() == 1 && anyOf.get(1).size() == 1
        && anyOf.get(0).path("type").asText("").equals("integer")
        && anyOf.get(1).path("type").asText("").equals("string");
  }

  private void valueValidation(JsonNode v, boolean skipAnyOf, boolean skipFirstAllOfAnyOf, String path) {
    if (!skipAnyOf) {
      JsonNode anyOf = v.path("anyOf");
      for (int i = 0; i < anyOf.size(); i++) {
        nested(anyOf.get(i), false, path + ".anyOf[" + i + "]");
      }
    }
    JsonNode allOf = v.path("allOf");
    for (int i = 0; i < allOf.size(); i++) {
      nested(allOf.get(i), skipFirstAllOfAnyOf && i == 0, path + ".allOf[" + i + "]");
    }
    JsonNode oneOf = v.path("oneOf");
    for (int i = 0; i < oneOf.size(); i++) {
      nested(oneOf.get(i), false, path + ".oneOf[" + i + "]");
    }
    if (v.path("not").isObject()) {
      nested(v.get("not"), false, path + ".not");
    }
  }

  /** Inside anyOf/allOf/oneOf/not only value validations may appear, nothing that shapes the data. */
  private void nested(JsonNode v, boolean skipAnyOf, String path) {
    valueValidation(v, skipAnyOf, false, path);
    if (v.path("items").isObject()) {
      nested(v.get("items"), false, path + ".items");
    }
    Iterator<Map.Entry<String, JsonNode>> props = v.path("properties").fields();
    while (props.hasNext()) {
      Map.Entry<String, JsonNode> e = props.next();
      nested(e.getValue(), false, path + ".properties[" + e.getKey() + "]");
    }
    if (v.has("type")) {
      structuralErrors.add(FieldErrors.forbidden(path + ".type", "must be empty to be structural"));
    }
    if (v.has("additionalProperties")) {
      structuralErrors.add(FieldErrors.forbidden(path + ".additionalProperties", "must be undefined to be structural"));
    }
    if (v.has("default")) {
      structuralErrors.add(FieldErrors.forbidden(path + ".default", "must be undefined to be structural"));
    }
    if (!v.path("title").asText("").isEmpty()) {
      structuralErrors.add(FieldErrors.forbidden(path + ".title", "must be empty to be structural"));
    }
    if (!v.path("description").asText("").isEmpty()) {
      structuralErrors.add(FieldErrors.forbidden(path + ".description", "must be empty to be structural"));
    }
    if (v.path("nullable").asBoolean(false)) {
      structuralErrors.add(FieldErrors.forbidden(path + ".nullable", "must be false to be structural"));
    }
    for (String x : List.of("x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string")) {
      if (v.path(x).asBoolean(false)) {
        structuralErrors.add(FieldErrors.forbidden(path + "." + x, "must be false to be structural"));
      }
    }
    if (v.path("x-kubernetes-list-map-keys").size() > 0) {
      structuralErrors.add(FieldErrors.forbidden(path + ".x-kubernetes-list-map-keys", "must be empty to be structural"));
    }
    for (String x : List.of("x-kubernetes-list-type", "x-kubernetes-map-type")) {
      if (v.hasNonNull(x)) {
        structuralErrors.add(FieldErrors.forbidden(path + "." + x, "must be undefined to be structural"));
      }
    }
    if (v.path("properties").has("metadata")) {
      structuralErrors.add(FieldErrors.forbidden(path + ".properties[metadata]",
          "must not be specified in a nested context"));
    }
  }
}
