package io.pontoon.sandbox.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The field labels one resource accepts in {@code fieldSelector}, and how each is read from a stored
 * (v1 JSON) object. This follows kube-apiserver: the field label conversion funcs registered per
 * kind (pkg/apis/{@literal *}/v1/conversion.go) decide what is accepted and with which error, the
 * registry strategies ({@code ToSelectableFields}) decide the values. Absent fields read as "".
 */
public final class SelectableFields {
  /** Groups served by kube-apiserver itself; every other group is taken to hold custom resources. */
  private static final Set<String> BUILT_IN_GROUPS = Set.of("", "admissionregistration.k8s.io", "apiextensions.k8s.io",
      "apiregistration.k8s.io", "apps", "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch",
      "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "extensions",
      "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy",
      "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
      "storagemigration.k8s.io");

  private enum Rejection {
    /** core/v1 and most registered conversion funcs. */
    NOT_SUPPORTED,
    /** kinds without a conversion func fall back to runtime.DefaultMetaV1FieldSelectorConversion. */
    DEFAULT_META,
    /** batch/v1 Job has its own wording. */
    JOB
  }

  /** Canonical field label to how it is read from an object. */
  private final Map<String, Function<ObjectNode, String>> readers;
  /** Field label a client may write to the canonical label it stands for. */
  private final Map<String, String> accepted;
  private final Rejection rejection;

  private SelectableFields(Map<String, Function<ObjectNode, String>> readers, Map<String, String> accepted,
      Rejection rejection) {
    this.readers = Map.copyOf(readers);
    this.accepted = Map.copyOf(accepted);
    this.rejection = rejection;
  }

  /**
   * The field labels of a resource given by API group and plural resource name. Resources of groups
   * that kube-apiserver does not serve itself are treated as namespaced custom resources; use
   * {@link #forCustomResource} to say more.
   */
  public static SelectableFields forResource(String group, String resource) {
    String g = group == null ? "" : group;
    if (!BUILT_IN_GROUPS.contains(g)) {
      return forCustomResource(false, List.of());
    }
    Builder b = new Builder();
    switch (g + "/" + resource) {
      case "/pods" -> {
        b.namespaced().text("spec.nodeName").text("spec.restartPolicy").text("spec.schedulerName")
            .text("spec.serviceAccountName")
            .field("spec.hostNetwork", o -> Boolean.toString(o.path("spec").path("hostNetwork").asBoolean(false)))
            .text("status.phase")
            .field("status.podIP", SelectableFields::primaryPodIp)
            // accepted by the conversion func, but not among the selectable fields: it only matches ""
            .field("status.podIPs", o -> "")
            .text("status.nominatedNodeName")
            .alias("spec.host", "spec.nodeName");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "/nodes" -> {
        b.clusterScoped()
            .field("spec.unschedulable", o -> Boolean.toString(o.path("spec").path("unschedulable").asBoolean(false)));
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "/namespaces" -> {
        b.clusterScoped().text("status.phase");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "/secrets" -> {
        b.namespaced().text("type");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "/services" -> {
        b.namespaced().text("spec.clusterIP").text("spec.type");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "/replicationcontrollers" -> {
        b.namespaced().field("status.replicas", o -> Long.toString(o.path("status").path("replicas").asLong(0)));
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "/events" -> {
        b.namespaced();
        for (String f : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
          b.field("involvedObject." + f, o -> text(o, "involvedObject." + f));
        }
        b.text("reason").text("reportingComponent")
            .field("source", o -> firstNonEmpty(text(o, "source.component"), text(o, "reportingComponent")))
            .text("type");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "events.k8s.io/events" -> {
        // Same storage as core events: the labels of events.k8s.io are mapped onto the core ones.
        b.namespaced();
        for (String f : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
          b.readOnly("involvedObject." + f, o -> text(o, "regarding." + f)).alias("regarding." + f, "involvedObject." + f);
        }
        b.text("reason").readOnly("reportingComponent", o -> text(o, "reportingController"))
            .alias("reportingController", "reportingComponent").text("type");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "certificates.k8s.io/certificatesigningrequests", "certificates.k8s.io/clustertrustbundles" -> {
        b.clusterScoped().text("spec.signerName");
        return b.build(Rejection.NOT_SUPPORTED);
      }
      case "batch/jobs" -> {
        b.namespaced().field("status.successful", o -> Long.toString(o.path("status").path("succeeded").asLong(0)));
        return b.build(Rejection.JOB);
      }
      default -> {
        // Includes apps/v1 replicasets: kube-apiserver registers no conversion func for them, so
        // status.replicas is rejected there even though the strategy lists it.
        b.namespaced();
        return b.build(Rejection.DEFAULT_META);
      }
    }
  }

  /**
   * A custom resource: {@code metadata.name}, {@code metadata.namespace} unless cluster-scoped, and
   * the CRD's {@code selectableFields} (JSON paths such as {@code .spec.color}).
   */
  public static SelectableFields forCustomResource(boolean clusterScoped, List<String> selectableFieldPaths) {
    Builder b = new Builder();
    if (clusterScoped) {
      b.clusterScoped();
    } else {
      b.namespaced();
    }
    for (String path : selectableFieldPaths) {
      String label = path.startsWith(".") ? path.substring(1) : path;
      b.field(label, o -> scalar(o, label));
    }
    return b.build(Rejection.NOT_SUPPORTED);
  }

  /** The canonical field label for a label given in a selector, or a 400 as kube-apiserver answers. */
  String canonicalLabel(String label) {
    String canonical = accepted.get(label);
    if (canonical != null) {
      return canonical;
    }
    throw ApiException.badRequest(switch (rejection) {
      case NOT_SUPPORTED -> "field label not supported: " + label;
      case DEFAULT_META -> LabelRules.quote(label) + " is not a known field selector: only \"metadata.name\", "
          + "\"metadata.namespace\"";
      case JOB -> "field label " + LabelRules.quote(label) + " not supported for batchv1.Job";
    });
  }

  /** The value of a canonical field label in an object ("" when absent). */
  String value(ObjectNode object, String canonicalLabel) {
    Function<ObjectNode, String> f = readers.get(canonicalLabel);
    return f == null ? "" : f.apply(object);
  }

  /** The field labels a client may use in a selector for this resource. */
  public Set<String> labels() {
    return accepted.keySet();
  }

  private static String primaryPodIp(ObjectNode pod) {
    JsonNode ips = pod.path("status").path("podIPs");
    if (ips.isArray() && ips.size() > 0) {
      return ips.get(0).path("ip").asText("");
    }
    return text(pod, "status.podIP");
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  static String text(ObjectNode object, String dottedPath) {
    JsonNode n = object;
    for (String part : dottedPath.split("\\.")) {
      n = n.path(part);
    }
    return n.isValueNode() && !n.isNull() ? n.asText() : "";
  }

  /** Custom resource fields may be strings, integers or booleans; all select by their text. */
  private static String scalar(ObjectNode object, String dottedPath) {
    return text(object, dottedPath);
  }

  private static final class Builder {
    private final Map<String, Function<ObjectNode, String>> readers = new LinkedHashMap<>();
    private final Map<String, String> accepted = new LinkedHashMap<>();

    Builder namespaced() {
      text("metadata.name");
      return text("metadata.namespace");
    }

    Builder clusterScoped() {
      return text("metadata.name");
    }

    Builder text(String label) {
      return field(label, o -> SelectableFields.text(o, label));
    }

    Builder field(String label, Function<ObjectNode, String> reader) {
      accepted.put(label, label);
      return readOnly(label, reader);
    }

    /** A canonical label that clients reach only through an alias. */
    Builder readOnly(String label, Function<ObjectNode, String> reader) {
      readers.put(label, reader);
      return this;
    }

    Builder alias(String given, String canonical) {
      accepted.put(given, canonical);
      return this;
    }

    SelectableFields build(Rejection rejection) {
      return new SelectableFields(readers, accepted, rejection);
    }
  }
}
