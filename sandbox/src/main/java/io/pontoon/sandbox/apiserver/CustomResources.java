package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.schema.StructuralSchema;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CustomResourceDefinitions at run time: a CRD that passes validation is served under its
 * group at once (Established), its objects are pruned, defaulted and validated against the
 * structural schema of their version, and deleting the CRD deletes every object of it.
 */
final class CustomResources {
  static final String CRD_KEY = "customresourcedefinitions.apiextensions.k8s.io";

  private final ResourceRegistry registry;
  private final ObjectStore store;
  /** resource key → version → schema. */
  private final Map<String, Map<String, StructuralSchema>> schemas = new ConcurrentHashMap<>();
  private final Set<String> customKeys = ConcurrentHashMap.newKeySet();

  CustomResources(ResourceRegistry registry, ObjectStore store) {
    this.registry = registry;
    this.store = store;
  }

  boolean isCustom(ResourceType type) {
    return customKeys.contains(type.key());
  }

  /** Validates a CRD itself (create and update). */
  List<Cause> validateDefinition(ObjectNode crd) {
    List<Cause> causes = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    JsonNode names = spec.path("names");
    String plural = names.path("plural").asText("");
    if (group.isEmpty()) causes.add(new Cause("FieldValueRequired", "Required value", "spec.group"));
    else if (!Meta.isDns1123Subdomain(group) || !group.contains(".")) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + group
          + "\": should be a domain with at least one dot", "spec.group"));
    }
    if (plural.isEmpty()) causes.add(new Cause("FieldValueRequired", "Required value", "spec.names.plural"));
    if (names.path("kind").asText("").isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.names.kind"));
    }
    if (!plural.isEmpty() && !group.isEmpty() && !Meta.name(crd).equals(plural + "." + group)) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + Meta.name(crd)
          + "\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
    }
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + scope
          + "\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
    }
    JsonNode versions = spec.path("versions");
    if (!versions.isArray() || versions.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value: must have exactly one version marked as storage "
          + "version", "spec.versions"));
      return causes;
    }
    int storage = 0;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      if (v.path("storage").asBoolean(false)) storage++;
      JsonNode schema = v.path("schema").path("openAPIV3Schema");
      if (schema.isMissingNode()) {
        causes.add(new Cause("FieldValueRequired", "Required value: schemas are required",
            "spec.versions[" + i + "].schema.openAPIV3Schema"));
        continue;
      }
      try {
        StructuralSchema.from(schema);
      } catch (ApiException e) {
        causes.add(new Cause("FieldValueInvalid", e.getMessage(),
            "spec.versions[" + i + "].schema.openAPIV3Schema"));
      }
    }
    if (storage != 1) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: must have exactly one version marked as storage "
          + "version", "spec.versions"));
    }
    return causes;
  }

  /** Prunes, defaults and validates a custom resource; unknown fields follow {@code fieldValidation}. */
  List<Cause> validate(ResourceType type, ApiRequest req, ObjectNode obj) {
    StructuralSchema schema = schemas.getOrDefault(type.key(), Map.of()).get(req.info().version());
    if (schema == null) return List.of();
    List<String> pruned = schema.prune(obj);
    String mode = req.param("fieldValidation", "Ignore");
    if (!pruned.isEmpty() && mode.equals("Strict")) {
      StringBuilder msg = new StringBuilder("strict decoding error: ");
      for (int i = 0; i < pruned.size(); i++) {
        if (i > 0) msg.append(", ");
        msg.append("unknown field \"").append(pruned.get(i)).append('"');
      }
      throw ApiException.badRequest(msg.toString());
    }
    schema.applyDefaults(obj);
    return schema.validate(obj);
  }

  /** Keeps the registry in step with stored CRDs; runs on the controller thread. */
  void sync(ObjectNode crd, WatchEvent.Type event) {
    String name = Meta.name(crd);
    String key = name;
    if (event == WatchEvent.Type.DELETED) {
      return;
    }
    if (Meta.isDeleting(crd)) {
      registry.byKey(key).ifPresent(store::removeAll);
      registry.unregister(key);
      schemas.remove(key);
      customKeys.remove(key);
      finishDeletion(crd);
      return;
    }
    ResourceType type = typeOf(crd);
    Map<String, StructuralSchema> byVersion = new ConcurrentHashMap<>();
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (!v.path("served").asBoolean(true)) continue;
      byVersion.put(v.path("name").asText(), StructuralSchema.from(v.path("schema").path("openAPIV3Schema")));
    }
    schemas.put(key, byVersion);
    customKeys.add(key);
    registry.register(type);
    markEstablished(crd);
  }

  static ResourceType typeOf(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<String> versions = new ArrayList<>();
    Set<String> subresources = new HashSet<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) continue;
      if (v.path("storage").asBoolean(false)) versions.add(0, v.path("name").asText());
      else versions.add(v.path("name").asText());
      if (v.path("subresources").has("status")) subresources.add("status");
      if (v.path("subresources").has("scale")) subresources.add("scale");
    }
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    List<String> categories = new ArrayList<>();
    names.path("categories").forEach(n -> categories.add(n.asText()));
    String kind = names.path("kind").asText();
    return new ResourceType(spec.path("group").asText(), versions, kind, names.path("plural").asText(),
        names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT)),
        spec.path("scope").asText().equals("Namespaced"), shortNames, categories, subresources,
        ResourceType.ALL_VERBS, ResourceType.Storage.STORED);
  }

  /** Printer columns of a CRD version, for Table answers. */
  List<JsonNode> printerColumns(ResourceType type, String version) {
    ResourceType crdType = registry.byKey(CRD_KEY).orElseThrow();
    return store.get(crdType, "", type.key()).map(crd -> {
      List<JsonNode> cols = new ArrayList<>();
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("name").asText().equals(version)) v.path("additionalPrinterColumns").forEach(cols::add);
      }
      return cols;
    }).orElse(List.of());
  }

  private void markEstablished(ObjectNode crd) {
    ResourceType crdType = registry.byKey(CRD_KEY).orElseThrow();
    for (int attempt = 0; attempt < 5; attempt++) {
      ObjectNode current = store.get(crdType, "", Meta.name(crd)).orElse(null);
      if (current == null || Meta.isDeleting(current)) return;
      ObjectNode next = current.deepCopy();
      ObjectNode status = next.with("status");
      ArrayNode conditions = status.putArray("conditions");
      for (String t : List.of("NamesAccepted", "Established")) {
        ObjectNode c = conditions.addObject();
        c.put("type", t);
        c.put("status", "True");
        c.put("lastTransitionTime", existingTransition(current, t));
        c.put("reason", t.equals("Established") ? "InitialNamesAccepted" : "NoConflicts");
        c.put("message", t.equals("Established") ? "the initial names have been accepted"
            : "no conflicts found");
      }
      status.set("acceptedNames", current.path("spec").path("names").deepCopy());
      ArrayNode stored = status.putArray("storedVersions");
      Set<String> sv = new LinkedHashSet<>();
      current.path("status").path("storedVersions").forEach(v -> sv.add(v.asText()));
      for (JsonNode v : current.path("spec").path("versions")) {
        if (v.path("storage").asBoolean(false)) sv.add(v.path("name").asText());
      }
      sv.forEach(stored::add);
      if (next.equals(current)) return;
      try {
        store.update(crdType, next, ObjectStore.resourceVersionOf(current));
        return;
      } catch (ApiException e) {
        if (e.code() != 409) throw e;
      }
    }
  }

  private static String existingTransition(ObjectNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) return c.path("lastTransitionTime").asText(Meta.now());
    }
    return Meta.now();
  }

  /** Removes the {@code customresourcecleanup} finalizer once every object is gone. */
  private void finishDeletion(ObjectNode crd) {
    ResourceType crdType = registry.byKey(CRD_KEY).orElseThrow();
    for (int attempt = 0; attempt < 5; attempt++) {
      ObjectNode current = store.get(crdType, "", Meta.name(crd)).orElse(null);
      if (current == null) return;
      ObjectNode next = current.deepCopy();
      Meta.removeFinalizer(next, "customresourcecleanup.apiextensions.k8s.io");
      try {
        if (!Meta.hasFinalizers(next)) store.remove(crdType, "", Meta.name(crd), ObjectStore.resourceVersionOf(current));
        else store.update(crdType, next, ObjectStore.resourceVersionOf(current));
        return;
      } catch (ApiException e) {
        if (e.code() != 409) throw e;
      }
    }
  }
}
