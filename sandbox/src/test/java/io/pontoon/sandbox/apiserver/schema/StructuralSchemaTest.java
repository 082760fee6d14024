package io.pontoon.sandbox.apiserver.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuralSchemaTest {
  static JsonNode json(String s) {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  static ObjectNode obj(String s) {
    return (ObjectNode) json(s);
  }

  /** The causes as "field: message", the way they read in kube-apiserver's 422 message. */
  static List<String> lines(List<Cause> causes) {
    return causes.stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  private static final String SCHEMA = """
      {"type":"object","properties":{
        "spec":{"type":"object","required":["replicas","mode"],"properties":{
          "replicas":{"type":"integer","format":"int32","minimum":1,"maximum":10},
          "mode":{"type":"string","enum":["a","b"]},
          "name":{"type":"string","minLength":2,"maxLength":5,"pattern":"^[a-z]+$"},
          "ratio":{"type":"number","exclusiveMaximum":true,"maximum":1.5},
          "enabled":{"type":"boolean","default":true},
          "port":{"x-kubernetes-int-or-string":true},
          "note":{"type":"string","nullable":true},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "tags":{"type":"array","items":{"type":"string"},"maxItems":3,"minItems":1,
                  "x-kubernetes-list-type":"set"},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port"],
                   "items":{"type":"object","required":["port"],"properties":{
                     "port":{"type":"integer"},"protocol":{"type":"string","default":"TCP"}}}},
          "raw":{"type":"object","x-kubernetes-preserve-unknown-fields":true,
                 "properties":{"known":{"type":"object","properties":{"x":{"type":"string"}}}}},
          "template":{"type":"object","x-kubernetes-embedded-resource":true,
                      "x-kubernetes-preserve-unknown-fields":true},
          "nested":{"type":"array","items":{"type":"array","items":{"type":"object",
                    "properties":{"v":{"type":"integer","default":7}}}}}
        }},
        "status":{"type":"object","properties":{"phase":{"type":"string","enum":["Ready","Failed"]}}}
      }}
      """;

  private static StructuralSchema schema() {
    return StructuralSchema.from(json(SCHEMA), "spec.versions[0].schema.openAPIV3Schema");
  }

  private static ObjectNode valid() {
    return obj("""
        {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},
         "spec":{"replicas":3,"mode":"a","tags":["x"]}}
        """);
  }

  @Test
  void validObjectHasNoCauses() {
    assertThat(schema().validate(valid())).isEmpty();
  }

  @Test
  void typeErrorsReadAsInKube() {
    ObjectNode o = valid();
    ((ObjectNode) o.get("spec")).put("replicas", "three");
    List<Cause> causes = schema().validate(o);
    assertThat(lines(causes)).containsExactly(
        "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    assertThat(causes.get(0).reason()).isEqualTo("FieldValueTypeInvalid");

    o = valid();
    ((ObjectNode) o.get("spec")).put("enabled", "yes").set("labels", json("{\"a\":1}"));
    assertThat(lines(schema().validate(o))).containsExactlyInAnyOrder(
        "spec.enabled: Invalid value: \"string\": spec.enabled in body must be of type boolean: \"string\"",
        "spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\"");

    o = valid();
    o.put("spec", "flat");
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec: Invalid value: \"string\": spec in body must be of type object: \"string\"");
  }

  @Test
  void integralFloatsAreIntegers() {
    ObjectNode o = valid();
    ((ObjectNode) o.get("spec")).set("replicas", json("3.0"));
    assertThat(schema().validate(o)).isEmpty();
    ((ObjectNode) o.get("spec")).set("replicas", json("3.5"));
    // with a format, the OpenAPI validator complains about the format first
    assertThat(lines(schema().validate(o))).contains(
        "spec.replicas: Invalid value: \"float64\": spec.replicas in body must be of type int32: \"float64\"");
    StructuralSchema plain = StructuralSchema.from(json(
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}"));
    assertThat(lines(plain.validate(obj("{\"n\":2.5}")))).contains(
        "n: Invalid value: \"number\": n in body must be of type integer: \"number\"");
  }

  @Test
  void requiredAndEnum() {
    ObjectNode o = obj("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"spec\":{\"mode\":\"x\"}}");
    List<Cause> causes = schema().validate(o);
    assertThat(lines(causes)).containsExactlyInAnyOrder(
        "spec.mode: Unsupported value: \"x\": supported values: \"a\", \"b\"",
        "spec.replicas: Required value");
    assertThat(causes).extracting(Cause::reason).containsExactlyInAnyOrder("FieldValueNotSupported",
        "FieldValueRequired");
  }

  @Test
  void numbersAndRanges() {
    ObjectNode o = valid();
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.put("replicas", 0);
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1");
    spec.put("replicas", 11);
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
    spec.put("replicas", 3).set("ratio", json("1.5"));
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than 1.5");
    spec.remove("ratio");
    spec.put("replicas", 3_000_000_000L);
    assertThat(lines(schema().validate(o))).contains(
        "<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in spec.replicas");
  }

  @Test
  void strings() {
    ObjectNode o = valid();
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.put("name", "toolong");
    assertThat(lines(schema().validate(o))).containsExactly("spec.name: Too long: may not be more than 5 bytes");
    spec.put("name", "a");
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long");
    spec.put("name", "AB");
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'");
  }

  @Test
  void intOrString() {
    ObjectNode o = valid();
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.put("port", 80);
    assertThat(schema().validate(o)).isEmpty();
    spec.put("port", "http");
    assertThat(schema().validate(o)).isEmpty();
    spec.put("port", true);
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"");
  }

  @Test
  void nullable() {
    ObjectNode o = valid();
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.putNull("note");
    assertThat(schema().validate(o)).isEmpty();
    spec.putNull("name");
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.name: Invalid value: \"null\": spec.name in body must be of type string: \"null\"");
  }

  @Test
  void arrays() {
    ObjectNode o = valid();
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.set("tags", json("[]"));
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
    spec.set("tags", json("[\"a\",\"b\",\"c\",\"d\"]"));
    assertThat(lines(schema().validate(o))).containsExactly("spec.tags: Too many: 4: must have at most 3 items");
    spec.set("tags", json("[\"a\",\"b\",\"a\"]"));
    List<Cause> causes = schema().validate(o);
    assertThat(lines(causes)).containsExactly("spec.tags[2]: Duplicate value: \"a\"");
    assertThat(causes.get(0).reason()).isEqualTo("FieldValueDuplicate");
    spec.set("tags", json("[\"a\",1]"));
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: \"integer\"");
  }

  @Test
  void listMapsAndNestedArraysOfObjects() {
    ObjectNode o = valid();
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.set("ports", json("[{\"port\":80},{\"port\":443},{\"port\":80,\"protocol\":\"UDP\"},{}]"));
    assertThat(lines(schema().validate(o))).containsExactlyInAnyOrder(
        "spec.ports[3].port: Required value",
        "spec.ports[2]: Duplicate value: {\"port\":80}");
    spec.remove("ports");
    spec.set("nested", json("[[{\"v\":1}],[{\"v\":\"x\"}]]"));
    assertThat(lines(schema().validate(o))).containsExactly(
        "spec.nested[1][0].v: Invalid value: \"string\": spec.nested[1][0].v in body must be of type integer: \"string\"");
  }

  @Test
  void embeddedResources() {
    ObjectNode o = valid();
    ((ObjectNode) o.get("spec")).set("template", json("{\"metadata\":{\"name\":\"x\"},\"spec\":{}}"));
    assertThat(lines(schema().validate(o))).containsExactlyInAnyOrder(
        "spec.template.apiVersion: Required value", "spec.template.kind: Required value");
    ((ObjectNode) o.get("spec")).set("template", json("{\"apiVersion\":\"v1\",\"kind\":\"Pod_x\"}"));
    assertThat(lines(schema().validate(o))).singleElement().asString()
        .startsWith("spec.template.kind: Invalid value: \"Pod_x\": may have mixed case, but should otherwise match: "
            + "a DNS-1035 label");
    ((ObjectNode) o.get("spec")).set("template", json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"anything\":1}"));
    assertThat(schema().validate(o)).isEmpty();
  }

  @Test
  void statusValidation() {
    ObjectNode o = valid();
    o.set("status", json("{\"phase\":\"Gone\"}"));
    assertThat(lines(schema().validateStatus(o))).containsExactly(
        "status.phase: Unsupported value: \"Gone\": supported values: \"Ready\", \"Failed\"");
    assertThat(lines(schema().validate(o))).containsExactly(
        "status.phase: Unsupported value: \"Gone\": supported values: \"Ready\", \"Failed\"");
  }

  @Test
  void causesMakeKubesInvalidMessage() {
    ObjectNode o = obj("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"spec\":{\"mode\":\"a\"}}");
    ApiException e = ApiException.invalid("example.com", "Widget", "w", schema().validate(o));
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("Widget.example.com \"w\" is invalid: spec.replicas: Required value");
  }

  @Test
  void pruning() {
    ObjectNode o = obj("""
        {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","x":1},"extra":true,
         "spec":{"replicas":3,"mode":"a","foo":1,"labels":{"k":"v"},
                 "ports":[{"port":80,"junk":"j"}],
                 "nested":[[{"v":1,"w":2}]],
                 "raw":{"anything":{"deep":1},"known":{"x":"keep","y":"drop"}},
                 "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"any":1}}},
         "status":{"phase":"Ready","bogus":1}}
        """);
    List<String> pruned = schema().prune(o);
    assertThat(pruned).containsExactly("extra", "spec.foo", "spec.nested[0][0].w", "spec.ports[0].junk",
        "spec.raw.known.y", "status.bogus");
    assertThat(o.path("metadata").path("x").asInt()).isEqualTo(1); // metadata is left to ObjectMeta handling
    assertThat(o.path("spec").path("raw").path("anything").path("deep").asInt()).isEqualTo(1);
    assertThat(o.path("spec").path("raw").path("known").has("y")).isFalse();
    assertThat(o.path("spec").path("template").path("spec").path("any").asInt()).isEqualTo(1);
    assertThat(o.path("spec").path("labels").path("k").asText()).isEqualTo("v");
    assertThat(o.has("extra")).isFalse();
  }

  @Test
  void pruningMessagesForFieldValidation() {
    List<String> paths = List.of("spec.foo", "spec.bar");
    assertThat(StructuralSchema.unknownFieldWarnings(paths)).containsExactly(
        "unknown field \"spec.foo\"", "unknown field \"spec.bar\"");
    ApiException e = StructuralSchema.strictDecodingError(paths);
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo(
        "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.bar\"");
  }

  @Test
  void defaulting() {
    ObjectNode o = obj("""
        {"apiVersion":"example.com/v1","kind":"Widget",
         "spec":{"replicas":3,"mode":"a","name":null,"note":null,
                 "ports":[{"port":80},{"port":81,"protocol":"UDP"}],"nested":[[{},{"v":2}]]}}
        """);
    schema().applyDefaults(o);
    JsonNode spec = o.get("spec");
    assertThat(spec.get("enabled").asBoolean()).isTrue();
    assertThat(spec.has("name")).isFalse(); // non-nullable null without default is dropped
    assertThat(spec.get("note").isNull()).isTrue(); // nullable null stays
    assertThat(spec.path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    assertThat(spec.path("ports").get(1).path("protocol").asText()).isEqualTo("UDP");
    assertThat(spec.path("nested").get(0).get(0).path("v").asInt()).isEqualTo(7);
    assertThat(spec.path("nested").get(0).get(1).path("v").asInt()).isEqualTo(2);
  }

  @Test
  void defaultsReplaceNonNullableNullsAndAreThemselvesDefaulted() {
    StructuralSchema s = StructuralSchema.from(json("""
        {"type":"object","properties":{"spec":{"type":"object","default":{},"properties":{
          "a":{"type":"string","default":"x"},
          "b":{"type":"object","default":{"c":1},"properties":{"c":{"type":"integer"},"d":{"type":"integer","default":4}}}}}}}
        """));
    ObjectNode o = obj("{\"apiVersion\":\"v\",\"kind\":\"K\"}");
    s.applyDefaults(o);
    assertThat(o.get("spec")).isEqualTo(json("{\"a\":\"x\",\"b\":{\"c\":1,\"d\":4}}"));
    ObjectNode o2 = obj("{\"spec\":{\"a\":null}}");
    s.applyDefaults(o2);
    assertThat(o2.path("spec").path("a").asText()).isEqualTo("x");
  }

  @Test
  void combinators() {
    StructuralSchema s = StructuralSchema.from(json("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "v":{"type":"string","anyOf":[{"pattern":"^a"},{"pattern":"^b"}]},
          "w":{"type":"string","not":{"enum":["bad"]}}}}}}
        """));
    assertThat(s.validate(obj("{\"spec\":{\"v\":\"apple\",\"w\":\"ok\"}}"))).isEmpty();
    assertThat(lines(s.validate(obj("{\"spec\":{\"v\":\"cherry\"}}")))).contains(
        "<nil>: Invalid value: \"\": \"spec.v\" must validate at least one schema (anyOf)");
    assertThat(lines(s.validate(obj("{\"spec\":{\"w\":\"bad\"}}")))).containsExactly(
        "<nil>: Invalid value: \"\": \"spec.w\" must not validate the schema (not)");
  }

  @Test
  void formats() {
    StructuralSchema s = StructuralSchema.from(json("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "when":{"type":"string","format":"date-time"},"id":{"type":"string","format":"uuid"},
          "free":{"type":"string","format":"something-unknown"}}}}}
        """));
    assertThat(s.validate(obj("{\"spec\":{\"when\":\"2024-01-02T03:04:05Z\","
        + "\"id\":\"123e4567-e89b-12d3-a456-426614174000\",\"free\":\"?\"}}"))).isEmpty();
    assertThat(lines(s.validate(obj("{\"spec\":{\"when\":\"yesterday\"}}")))).containsExactly(
        "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"");
  }

  @Test
  void nonStructuralSchemasAreRejected() {
    String base = "spec.versions[0].schema.openAPIV3Schema";
    assertThatThrownBy(() -> StructuralSchema.from(json(
        "{\"type\":\"object\",\"properties\":{\"spec\":{\"properties\":{\"a\":{\"type\":\"string\"}}}}}"), base))
        .isInstanceOfSatisfying(NonStructuralSchemaException.class, e -> assertThat(lines(e.causes())).containsExactly(
            base + ".properties[spec].type: Required value: must not be empty for specified object fields"));

    List<String> problems = lines(StructuralSchema.problems(json("""
        {"properties":{"list":{"type":"array"},
          "items":{"type":"array","items":{}},
          "m":{"type":"object","additionalProperties":{"type":"string"},"properties":{"x":{"type":"string"}}},
          "u":{"type":"array","items":{"type":"string"},"uniqueItems":true},
          "n":{"type":"string","anyOf":[{"type":"string","description":"d"}]},
          "metadata":{"type":"object","properties":{"labels":{"type":"object"}}},
          "weird":{"type":"thing"}}}
        """), "s"));
    assertThat(problems).contains(
        "s.type: Required value: must not be empty at the root",
        "s.properties[list].items: Required value: must be specified",
        "s.properties[items].items.type: Required value: must not be empty for specified array items",
        "s.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
        "s.properties[u].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity "
            + "becomes quadratic",
        "s.properties[n].anyOf[0].type: Forbidden: must be empty to be structural",
        "s.properties[n].anyOf[0].description: Forbidden: must be empty to be structural",
        "s.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but "
            + "metadata is implicitly specified",
        "s.properties[weird].type: Unsupported value: \"thing\": supported values: \"array\", \"boolean\", "
            + "\"integer\", \"number\", \"object\", \"string\"");
  }

  @Test
  void structuralSpecialCases() {
    // int-or-string and preserve-unknown-fields may go without a type; the int-or-string anyOf pattern is allowed
    assertThat(StructuralSchema.problems(json("""
        {"type":"object","properties":{
          "p":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
          "q":{"x-kubernetes-preserve-unknown-fields":true},
          "metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":10}}}}}
        """), "s")).isEmpty();
    assertThat(lines(StructuralSchema.problems(json("""
        {"type":"object","additionalProperties":{"type":"string"},"properties":{
          "e":{"x-kubernetes-embedded-resource":true,"type":"object"},
          "i":{"x-kubernetes-int-or-string":true,"x-kubernetes-preserve-unknown-fields":true},
          "l":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},
               "x-kubernetes-list-type":"map"}}}
        """), "s"))).contains(
        "s.additionalProperties: Forbidden: must not be used at the root",
        "s.properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true "
            + "without x-kubernetes-preserve-unknown-fields",
        "s.properties[i].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if "
            + "x-kubernetes-int-or-string is true",
        "s.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type "
            + "is map");
  }

  @Test
  void crdObjectsAreCheckedPerVersion() {
    JsonNode crd = json("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"widgets.example.com"},
         "spec":{"versions":[
           {"name":"v1","schema":{"openAPIV3Schema":{"type":"object"}}},
           {"name":"v2","schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{}}}}}]}}
        """);
    assertThatThrownBy(() -> StructuralSchema.forCrd(crd))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("CustomResourceDefinition.apiextensions.k8s.io \"widgets.example.com\" "
              + "is invalid: spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not "
              + "be empty for specified object fields");
        });
  }
}
