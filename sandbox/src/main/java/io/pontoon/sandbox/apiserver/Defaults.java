package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import java.util.List;

/**
 * The defaulting kube-apiserver applies when it decodes built-in objects (SetDefaults_* of
 * k8s.io/kubernetes/pkg/apis/.../v1). Idempotent: applying twice changes nothing.
 */
final class Defaults {
  private Defaults() {}

  static void apply(ResourceType type, ObjectNode o) {
    omitEmptyMetadata(o);
    switch (type.key()) {
      case "pods" -> {
        podSpec(o.with("spec"));
        ObjectNode status = o.with("status");
        if (!status.has("phase")) status.put("phase", "Pending");
        if (!status.has("qosClass")) status.put("qosClass", qosClass(o.get("spec")));
      }
      case "namespaces" -> {
        // SetDefaults_Namespace: the immutable name label on every namespace, set by the server
        String name = o.path("metadata").path("name").asText("");
        if (!name.isEmpty()) o.with("metadata").with("labels").put("kubernetes.io/metadata.name", name);
        ObjectNode spec = o.with("spec");
        if (!spec.has("finalizers") && !Meta.isDeleting(o)) spec.putArray("finalizers").add("kubernetes");
        ObjectNode status = o.with("status");
        if (!status.has("phase")) status.put("phase", "Active");
      }
      case "services" -> service(o.with("spec"));
      case "deployments.apps" -> {
        ObjectNode spec = o.with("spec");
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = spec.with("strategy");
        if (!strategy.has("type")) strategy.put("type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
          ObjectNode ru = strategy.with("rollingUpdate");
          if (!ru.has("maxUnavailable")) ru.put("maxUnavailable", "25%");
          if (!ru.has("maxSurge")) ru.put("maxSurge", "25%");
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        template(spec);
      }
      case "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "replicationcontrollers" -> {
        ObjectNode spec = o.with("spec");
        if (!type.key().equals("daemonsets.apps")) putIfAbsent(spec, "replicas", 1);
        template(spec);
      }
      case "jobs.batch" -> {
        ObjectNode spec = o.with("spec");
        putIfAbsent(spec, "backoffLimit", 6);
        putIfAbsent(spec, "completions", 1);
        putIfAbsent(spec, "parallelism", 1);
        template(spec);
        ObjectNode podSpec = spec.with("template").with("spec");
        if (podSpec.path("restartPolicy").asText("").equals("Always")) podSpec.put("restartPolicy", "Never");
      }
      case "secrets" -> {
        if (!o.has("type")) o.put("type", "Opaque");
        // stringData is write-only: v1 conversion merges it into data (base64), overriding keys
        JsonNode stringData = o.remove("stringData");
        if (stringData != null && stringData.isObject()) {
          ObjectNode data = o.with("data");
          stringData.fields().forEachRemaining(e -> data.put(e.getKey(), java.util.Base64.getEncoder()
              .encodeToString(e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
      }
      case "certificatesigningrequests.certificates.k8s.io" -> {
        ObjectNode spec = o.with("spec");
        if (!spec.has("usages")) spec.putArray("usages").add("digital signature").add("key encipherment");
      }
      default -> { }
    }
  }

  /**
   * Labels, annotations, finalizers and owner references are {@code omitempty} in Go: once the
   * last one is removed, kube-apiserver's JSON has no such field, not an empty one.
   */
  private static void omitEmptyMetadata(ObjectNode o) {
    if (!(o.get("metadata") instanceof ObjectNode meta)) return;
    for (String f : List.of("labels", "annotations", "finalizers", "ownerReferences")) {
      JsonNode v = meta.get(f);
      if (v != null && (v.isNull() || v.isContainerNode() && v.isEmpty())) meta.remove(f);
    }
  }

  private static void template(ObjectNode spec) {
    if (spec.has("template")) podSpec(spec.with("template").with("spec"));
  }

  private static void podSpec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    putIfAbsent(spec, "enableServiceLinks", true);
    if (!spec.has("securityContext")) spec.putObject("securityContext");
    for (String list : new String[] {"containers", "initContainers"}) {
      for (JsonNode c : spec.path(list)) {
        if (!(c instanceof ObjectNode container)) continue;
        putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(container, "terminationMessagePolicy", "File");
        if (!container.has("imagePullPolicy")) {
          String image = container.path("image").asText("");
          String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/')
              ? image.substring(image.lastIndexOf(':') + 1) : "latest";
          container.put("imagePullPolicy", tag.equals("latest") ? "Always" : "IfNotPresent");
        }
        if (!container.has("resources")) container.putObject("resources");
        for (JsonNode p : container.path("ports")) {
          if (p instanceof ObjectNode port) putIfAbsent(port, "protocol", "TCP");
        }
      }
    }
  }

  private static void service(ObjectNode spec) {
    putIfAbsent(spec, "type", "ClusterIP");
    putIfAbsent(spec, "sessionAffinity", "None");
    for (JsonNode p : spec.path("ports")) {
      if (!(p instanceof ObjectNode port)) continue;
      putIfAbsent(port, "protocol", "TCP");
      if (!port.has("targetPort") && port.has("port")) port.set("targetPort", port.get("port"));
    }
    if (!spec.path("type").asText().equals("ExternalName")) {
      if (!spec.has("ipFamilies")) spec.putArray("ipFamilies").add("IPv4");
      putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
      putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    }
  }

  /** Guaranteed when every container sets equal cpu and memory requests and limits. */
  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode c : spec.path("containers")) {
      JsonNode req = c.path("resources").path("requests");
      JsonNode lim = c.path("resources").path("limits");
      if (req.size() > 0 || lim.size() > 0) any = true;
      for (String r : new String[] {"cpu", "memory"}) {
        JsonNode l = lim.get(r);
        JsonNode q = req.has(r) ? req.get(r) : l;
        if (l == null || q == null || !l.asText().equals(q.asText())) guaranteed = false;
      }
    }
    if (!any) return "BestEffort";
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static void putIfAbsent(ObjectNode o, String f, Object v) {
    if (o.has(f) && !o.get(f).isNull()) return;
    if (v instanceof Integer i) o.put(f, i);
    else if (v instanceof Boolean b) o.put(f, b);
    else o.put(f, v.toString());
  }

  static ArrayNode array(ObjectNode o, String f) {
    return o.has(f) && o.get(f).isArray() ? (ArrayNode) o.get(f) : o.putArray(f);
  }
}
