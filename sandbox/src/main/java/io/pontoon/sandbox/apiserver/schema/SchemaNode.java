package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One node of a CRD's {@code openAPIV3Schema}, read once into fields so that validation, pruning
 * and defaulting do not re-interpret JSON. Unknown keywords are ignored here; the structural checks
 * look at the raw node where they need to.
 */
final class SchemaNode {
  final JsonNode raw;
  final String type;
  final String format;
  final boolean nullable;
  final Map<String, SchemaNode> properties;
  /** The schema of map values, when additionalProperties is a schema (or {@code true}: any value). */
  final SchemaNode additionalProperties;
  /** {@code additionalProperties: false}. */
  final boolean additionalPropertiesForbidden;
  final SchemaNode items;
  final List<String> required;
  final List<JsonNode> enumValues;
  final BigDecimal minimum;
  final BigDecimal maximum;
  final boolean exclusiveMinimum;
  final boolean exclusiveMaximum;
  final BigDecimal multipleOf;
  final Long minLength;
  final Long maxLength;
  final Long minItems;
  final Long maxItems;
  final Long minProperties;
  final Long maxProperties;
  final boolean uniqueItems;
  final String pattern;
  final Pattern compiledPattern;
  final String patternError;
  final JsonNode defaultValue;
  final boolean preserveUnknownFields;
  final boolean embeddedResource;
  final boolean intOrString;
  final String listType;
  final List<String> listMapKeys;
  final List<SchemaNode> allOf;
  final List<SchemaNode> anyOf;
  final List<SchemaNode> oneOf;
  final SchemaNode not;

  private SchemaNode(JsonNode n) {
    raw = n;
    type = n.path("type").asText("");
    format = n.path("format").asText("");
    nullable = n.path("nullable").asBoolean(false);
    Map<String, SchemaNode> props = new LinkedHashMap<>();
    n.path("properties").fields().forEachRemaining(e -> props.put(e.getKey(), of(e.getValue())));
    properties = Collections.unmodifiableMap(props);
    JsonNode ap = n.get("additionalProperties");
    if (ap != null && ap.isObject()) {
      additionalProperties = of(ap);
      additionalPropertiesForbidden = false;
    } else if (ap != null && ap.isBoolean() && ap.booleanValue()) {
      additionalProperties = of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
          .put("x-kubernetes-preserve-unknown-fields", true));
      additionalPropertiesForbidden = false;
    } else {
      additionalProperties = null;
      additionalPropertiesForbidden = ap != null && ap.isBoolean();
    }
    JsonNode it = n.get("items");
    items = it != null && it.isObject() ? of(it) : null;
    required = strings(n.path("required"));
    enumValues = n.has("enum") && n.get("enum").isArray() ? list(n.get("enum")) : null;
    minimum = decimal(n.get("minimum"));
    maximum = decimal(n.get("maximum"));
    exclusiveMinimum = n.path("exclusiveMinimum").asBoolean(false);
    exclusiveMaximum = n.path("exclusiveMaximum").asBoolean(false);
    multipleOf = decimal(n.get("multipleOf"));
    minLength = integer(n.get("minLength"));
    maxLength = integer(n.get("maxLength"));
    minItems = integer(n.get("minItems"));
    maxItems = integer(n.get("maxItems"));
    minProperties = integer(n.get("minProperties"));
    maxProperties = integer(n.get("maxProperties"));
    uniqueItems = n.path("uniqueItems").asBoolean(false);
    pattern = n.path("pattern").asText("");
    Pattern compiled = null;
    String error = null;
    if (!pattern.isEmpty()) {
      try {
        compiled = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        error = e.getDescription();
      }
    }
    compiledPattern = compiled;
    patternError = error;
    defaultValue = n.get("default");
    preserveUnknownFields = n.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    embeddedResource = n.path("x-kubernetes-embedded-resource").asBoolean(false);
    intOrString = n.path("x-kubernetes-int-or-string").asBoolean(false);
    listType = n.hasNonNull("x-kubernetes-list-type") ? n.get("x-kubernetes-list-type").asText() : null;
    listMapKeys = strings(n.path("x-kubernetes-list-map-keys"));
    allOf = schemas(n.path("allOf"));
    anyOf = schemas(n.path("anyOf"));
    oneOf = schemas(n.path("oneOf"));
    not = n.has("not") && n.get("not").isObject() ? of(n.get("not")) : null;
  }

  static SchemaNode of(JsonNode n) {
    return new SchemaNode(n);
  }

  /** The types a value may have: int-or-string allows two, an empty type allows any. */
  List<String> types() {
    if (intOrString) {
      return List.of("integer", "string");
    }
    return type.isEmpty() ? List.of() : List.of(type);
  }

  /** The schema of a field of an object value: a property, else additionalProperties, else none. */
  SchemaNode fieldSchema(String name) {
    SchemaNode p = properties.get(name);
    return p != null ? p : additionalProperties;
  }

  private static List<SchemaNode> schemas(JsonNode arr) {
    List<SchemaNode> out = new ArrayList<>();
    if (arr.isArray()) {
      arr.forEach(x -> out.add(of(x)));
    }
    return List.copyOf(out);
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr.isArray()) {
      arr.forEach(x -> out.add(x.asText()));
    }
    return List.copyOf(out);
  }

  private static List<JsonNode> list(JsonNode arr) {
    List<JsonNode> out = new ArrayList<>();
    arr.forEach(out::add);
    return Collections.unmodifiableList(out);
  }

  private static BigDecimal decimal(JsonNode n) {
    return n != null && n.isNumber() ? n.decimalValue() : null;
  }

  private static Long integer(JsonNode n) {
    return n != null && n.isNumber() ? n.longValue() : null;
  }
}
