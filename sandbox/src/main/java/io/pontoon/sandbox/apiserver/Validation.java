package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.selection.LabelRules;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in validation that matters for Pontoon's objects: names, labels, the pod fields a
 * kubelet depends on and the immutability of a running pod's spec.
 */
final class Validation {
  /** Kinds whose names are DNS-1123 labels rather than subdomains. */
  private static final Set<String> LABEL_NAMED = Set.of("namespaces", "services");
  /** Kinds whose names are path segments, validated only for "/" and "%" and "." / "..". */
  private static final Set<String> PATH_NAMED = Set.of("roles.rbac.authorization.k8s.io",
      "rolebindings.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io",
      "clusterrolebindings.rbac.authorization.k8s.io");

  List<Cause> validate(ResourceType type, ObjectNode o, ObjectNode old, String subresource) {
    List<Cause> causes = new ArrayList<>();
    String name = Meta.name(o);
    if (old == null) validateName(type, name, causes);
    validateLabels(o, causes);
    switch (type.key()) {
      case "pods" -> {
        if (old == null) validatePodSpec(o.path("spec"), "spec", causes);
        else if (subresource.isEmpty()) validatePodUpdate(o, old, causes);
      }
      case "deployments.apps", "replicasets.apps" -> validateWorkload(o, causes);
      default -> { }
    }
    return causes;
  }

  private static void validateName(ResourceType type, String name, List<Cause> causes) {
    if (PATH_NAMED.contains(type.key())) {
      if (name.contains("/") || name.contains("%") || name.equals(".") || name.equals("..")) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + name
            + "\": may not contain '/' or '%' and may not be '.' or '..'", "metadata.name"));
      }
      return;
    }
    if (LABEL_NAMED.contains(type.key())) {
      if (!Meta.isDns1123Label(name)) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + name
            + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
            + "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')", "metadata.name"));
      }
    } else if (!Meta.isDns1123Subdomain(name)) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + name
          + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
          + "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
          + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", "metadata.name"));
    }
  }

  private static void validateLabels(ObjectNode o, List<Cause> causes) {
    for (Iterator<Map.Entry<String, JsonNode>> it = o.path("metadata").path("labels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (String problem : LabelRules.keyErrors(e.getKey())) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + e.getKey() + "\": " + problem,
            "metadata.labels"));
      }
      if (!e.getValue().isTextual()) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: label values must be strings",
            "metadata.labels"));
        continue;
      }
      for (String problem : LabelRules.valueErrors(e.getValue().asText())) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + e.getValue().asText() + "\": " + problem,
            "metadata.labels"));
      }
    }
  }

  private static void validatePodSpec(JsonNode spec, String path, List<Cause> causes) {
    JsonNode containers = spec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", path + ".containers"));
      return;
    }
    Set<String> names = new java.util.HashSet<>();
    int i = 0;
    for (JsonNode c : containers) {
      String p = path + ".containers[" + i++ + "]";
      String n = c.path("name").asText("");
      if (n.isEmpty()) causes.add(new Cause("FieldValueRequired", "Required value", p + ".name"));
      else if (!Meta.isDns1123Label(n)) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + n
            + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'", p + ".name"));
      } else if (!names.add(n)) {
        causes.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + n + "\"", p + ".name"));
      }
      if (c.path("image").asText("").isBlank()) {
        causes.add(new Cause("FieldValueRequired", "Required value", p + ".image"));
      }
    }
    String rp = spec.path("restartPolicy").asText("Always");
    if (!List.of("Always", "OnFailure", "Never").contains(rp)) {
      causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + rp
          + "\": supported values: \"Always\", \"OnFailure\", \"Never\"", path + ".restartPolicy"));
    }
  }

  /**
   * A pod's spec is immutable but for images, activeDeadlineSeconds, added tolerations and
   * terminationGracePeriodSeconds (kube's ValidatePodUpdate).
   */
  private static void validatePodUpdate(ObjectNode o, ObjectNode old, List<Cause> causes) {
    ObjectNode a = (ObjectNode) old.path("spec").deepCopy();
    ObjectNode b = o.path("spec") instanceof ObjectNode s ? s.deepCopy() : Json.object();
    for (ObjectNode s : List.of(a, b)) {
      for (String list : new String[] {"containers", "initContainers"}) {
        for (JsonNode c : s.path(list)) {
          if (c instanceof ObjectNode co) co.remove("image");
        }
      }
      s.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
    }
    if (!a.equals(b)) {
      causes.add(new Cause("FieldValueForbidden", "Forbidden: pod updates may not change fields other than "
          + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
          + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
          + "(allow it to be set to 1 if it was previously negative)", "spec"));
    }
  }

  private static void validateWorkload(ObjectNode o, List<Cause> causes) {
    JsonNode replicas = o.path("spec").path("replicas");
    if (replicas.isIntegralNumber() && replicas.asLong() < 0) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: " + replicas.asLong()
          + ": must be greater than or equal to 0", "spec.replicas"));
    }
    JsonNode selector = o.path("spec").path("selector");
    if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.selector"));
      return;
    }
    Map<String, String> templateLabels = Meta.labels(o.path("spec").path("template"));
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asText().equals(templateLabels.get(e.getKey()))) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: " + goStringMap(templateLabels)
            + ": `selector` does not match template `labels`",
            "spec.template.metadata.labels"));
        break;
      }
    }
    validatePodSpec(o.path("spec").path("template").path("spec"), "spec.template.spec", causes);
  }

  /** Go's {@code %#v} of a map[string]string, as kube's validation messages print it. */
  private static String goStringMap(Map<String, String> m) {
    StringBuilder sb = new StringBuilder("map[string]string{");
    new java.util.TreeMap<>(m).forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ", ")
        .append('"').append(k).append("\":\"").append(v).append('"'));
    return sb.append('}').toString();
  }
}
