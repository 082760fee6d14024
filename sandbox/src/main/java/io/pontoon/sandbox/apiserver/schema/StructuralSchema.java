package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A CRD version's {@code openAPIV3Schema} checked to be structural, and what kube-apiserver does
 * with it to custom resources: {@link #prune}, {@link #applyDefaults} and {@link #validate}, in
 * that order on create and update. Instances are immutable and may be shared between threads.
 */
public final class StructuralSchema {
  private final SchemaNode root;

  private StructuralSchema(SchemaNode root) {
    this.root = root;
  }

  /** Like {@link #from(JsonNode, String)} with paths under "openAPIV3Schema". */
  public static StructuralSchema from(JsonNode openAPIV3Schema) {
    return from(openAPIV3Schema, "openAPIV3Schema");
  }

  /**
   * Reads a schema, rejecting what kube-apiserver rejects in a CRD. {@code fieldPath} is where the
   * schema sits in the CRD, e.g. {@code spec.versions[0].schema.openAPIV3Schema}; causes are
   * reported under it.
   *
   * @throws NonStructuralSchemaException with the causes, when the schema is not acceptable
   */
  public static StructuralSchema from(JsonNode openAPIV3Schema, String fieldPath) {
    List<Cause> problems = problems(openAPIV3Schema, fieldPath);
    if (!problems.isEmpty()) {
      throw new NonStructuralSchemaException(problems);
    }
    return new StructuralSchema(SchemaNode.of(openAPIV3Schema));
  }

  /** What is wrong with a schema (empty when it is acceptable), with field paths under {@code fieldPath}. */
  public static List<Cause> problems(JsonNode openAPIV3Schema, String fieldPath) {
    return StructuralChecks.check(openAPIV3Schema, fieldPath);
  }

  /**
   * Checks the schemas of every version of an apiextensions.k8s.io/v1 CRD object and returns one
   * per version (null for a version without a schema); any problem is the 422 kube-apiserver answers.
   */
  public static List<StructuralSchema> forCrd(JsonNode crd) {
    List<Cause> causes = new ArrayList<>();
    List<StructuralSchema> out = new ArrayList<>();
    JsonNode versions = crd.path("spec").path("versions");
    for (int i = 0; i < versions.size(); i++) {
      JsonNode schema = versions.get(i).path("schema").get("openAPIV3Schema");
      String path = "spec.versions[" + i + "].schema.openAPIV3Schema";
      if (schema == null) {
        causes.add(FieldErrors.required(path, "schemas are required"));
        out.add(null);
        continue;
      }
      List<Cause> p = problems(schema, path);
      causes.addAll(p);
      out.add(p.isEmpty() ? new StructuralSchema(SchemaNode.of(schema)) : null);
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid("apiextensions.k8s.io", "CustomResourceDefinition",
          crd.path("metadata").path("name").asText(""), causes);
    }
    return out;
  }

  /**
   * Validates a custom resource (after pruning and defaulting) the way kube-apiserver does on
   * create and update: the OpenAPI schema, embedded resources, then list-type uniqueness. An empty
   * list means valid; otherwise answer {@link ApiException#invalid} with the causes.
   */
  public List<Cause> validate(ObjectNode object) {
    Set<Cause> causes = new LinkedHashSet<>(ValueValidator.validate(root, object, null));
    causes.addAll(ListAndEmbeddedChecks.check(object, root, ""));
    return List.copyOf(causes);
  }

  /** Validates only {@code status}, as a status update does; paths start with "status". */
  public List<Cause> validateStatus(ObjectNode object) {
    JsonNode status = object.get("status");
    SchemaNode statusSchema = root.properties.get("status");
    if (status == null || statusSchema == null) {
      return List.of();
    }
    Set<Cause> causes = new LinkedHashSet<>(ValueValidator.validate(statusSchema, status, "status"));
    causes.addAll(ListAndEmbeddedChecks.check(status, statusSchema, "status"));
    return List.copyOf(causes);
  }

  /**
   * Removes, in place, every field the schema does not specify (apart from apiVersion, kind and
   * metadata at the root and in embedded resources, and anything under
   * {@code x-kubernetes-preserve-unknown-fields}). Returns the removed paths, sorted, e.g.
   * "spec.foo" or "spec.items[0].bar".
   */
  public List<String> prune(ObjectNode object) {
    return Pruner.pruneResource(object, root);
  }

  /** Drops non-nullable nulls that have no default, then fills in {@code default}s, in place. */
  public void applyDefaults(ObjectNode object) {
    Defaulter.apply(object, root);
  }

  /** The {@code Warning} header texts for fieldValidation=Warn: {@code unknown field "spec.foo"}. */
  public static List<String> unknownFieldWarnings(List<String> prunedPaths) {
    return prunedPaths.stream().map(p -> "unknown field " + FieldErrors.quote(p)).collect(Collectors.toList());
  }

  /** The 400 for fieldValidation=Strict: {@code strict decoding error: unknown field "spec.foo", ...}. */
  public static ApiException strictDecodingError(List<String> prunedPaths) {
    return ApiException.badRequest("strict decoding error: " + String.join(", ", unknownFieldWarnings(prunedPaths)));
  }
}
