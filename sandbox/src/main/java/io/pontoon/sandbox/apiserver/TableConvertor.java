package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing: {@code meta.k8s.io/v1 Table} answers for {@code kubectl get}, with the
 * columns kube-apiserver prints for the common built-ins and {@code additionalPrinterColumns}
 * for custom resources.
 */
final class TableConvertor {
  /** A column; priority 1 columns are printed by kubectl only with {@code -o wide}. */
  private record Column(String name, String type, String format, String description, int priority,
      Function<ObjectNode, Object> value) {
    Column(String name, String type, String format, String description, Function<ObjectNode, Object> value) {
      this(name, type, format, description, 0, value);
    }

    Column wide() {
      return new Column(name, type, format, description, 1, value);
    }
  }

  private final CustomResources customResources;

  TableConvertor(CustomResources customResources) {
    this.customResources = customResources;
  }

  ObjectNode single(ResourceType type, ObjectNode obj) {
    return table(type, List.of(obj), obj.path("metadata").path("resourceVersion").asText(), null);
  }

  ObjectNode list(ResourceType type, ObjectStore.Page page, long rv) {
    return table(type, page.items(), Long.toString(rv), page.continueAfter() == null ? null
        : new ResourceHandler.ContinueToken(rv, page.continueAfter()).encode());
  }

  /** A one-row table for a watch event (kubectl get -w). */
  ObjectNode event(ResourceType type, ObjectNode obj) {
    return single(type, obj);
  }

  private ObjectNode table(ResourceType type, List<ObjectNode> items, String rv, String cont) {
    List<Column> columns = columns(type);
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = t.putObject("metadata");
    meta.put("resourceVersion", rv);
    if (cont != null) meta.put("continue", cont);
    ArrayNode defs = t.putArray("columnDefinitions");
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      ObjectNode d = defs.addObject();
      d.put("name", c.name());
      d.put("type", c.type());
      d.put("format", c.format());
      d.put("description", c.description());
      d.put("priority", c.priority());
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object v = c.value().apply(o);
        if (v == null) cells.addNull();
        else if (v instanceof Boolean b) cells.add(b);
        else if (v instanceof Double d) cells.add(d);
        else if (v instanceof Number n) cells.add(n.longValue());
        else cells.add(v.toString());
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata"));
    }
    return t;
  }

  private List<Column> columns(ResourceType type) {
    List<Column> cols = new ArrayList<>();
    cols.add(new Column("Name", "string", "name", "Name must be unique within a namespace.", Meta::name));
    switch (type.key()) {
      case "pods" -> {
        cols.add(new Column("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.",
            TableConvertor::podReady));
        cols.add(new Column("Status", "string", "", "The aggregate status of the containers in this pod.",
            TableConvertor::podStatus));
        cols.add(new Column("Restarts", "string", "", "The number of times the containers in this pod have been "
            + "restarted and when the last container in this pod has restarted.",
            o -> Integer.toString(podRestarts(o))));
        cols.add(age());
        cols.add(new Column("IP", "string", "", "IP address allocated to the pod.", TableConvertor::podIp).wide());
        cols.add(new Column("Node", "string", "", "Name of the node the pod is assigned to.",
            o -> orNone(o.path("spec").path("nodeName").asText(""))).wide());
        cols.add(new Column("Nominated Node", "string", "", "The node the scheduler nominated for this pod.",
            o -> orNone(o.path("status").path("nominatedNodeName").asText(""))).wide());
        cols.add(new Column("Readiness Gates", "string", "", "Readiness gates of the pod.",
            TableConvertor::readinessGates).wide());
      }
      case "nodes" -> {
        cols.add(new Column("Status", "string", "", "The status of the node", TableConvertor::nodeStatus));
        cols.add(new Column("Roles", "string", "", "The roles of the node", TableConvertor::nodeRoles));
        cols.add(age());
        cols.add(new Column("Version", "string", "", "Kubelet Version reported by the node.",
            o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
        cols.add(new Column("Internal-IP", "string", "", "List of addresses reachable to the node.",
            o -> nodeAddress(o, "InternalIP")).wide());
        cols.add(new Column("External-IP", "string", "", "List of addresses reachable to the node.",
            o -> nodeAddress(o, "ExternalIP")).wide());
        cols.add(new Column("OS-Image", "string", "", "OS Image reported by the node.",
            o -> orUnknown(o.path("status").path("nodeInfo").path("osImage").asText(""))).wide());
        cols.add(new Column("Kernel-Version", "string", "", "Kernel Version reported by the node.",
            o -> orUnknown(o.path("status").path("nodeInfo").path("kernelVersion").asText(""))).wide());
        cols.add(new Column("Container-Runtime", "string", "", "ContainerRuntime Version reported by the node.",
            o -> orUnknown(o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText(""))).wide());
      }
      case "namespaces" -> {
        cols.add(new Column("Status", "string", "", "The status of the namespace",
            o -> o.path("status").path("phase").asText("")));
        cols.add(age());
      }
      case "deployments.apps" -> {
        cols.add(new Column("Ready", "string", "", "Number of the pod with ready state",
            o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(0)));
        cols.add(new Column("Up-to-date", "string", "", "Total number of non-terminated pods targeted by this "
            + "deployment that have the desired template spec.", o -> o.path("status").path("updatedReplicas").asInt(0)));
        cols.add(new Column("Available", "string", "", "Total number of available pods (ready for at least "
            + "minReadySeconds) targeted by this deployment.", o -> o.path("status").path("availableReplicas").asInt(0)));
        cols.add(age());
        cols.addAll(templateColumns());
      }
      case "replicasets.apps" -> {
        cols.add(new Column("Desired", "integer", "", "Number of desired pods.",
            o -> o.path("spec").path("replicas").asInt(0)));
        cols.add(new Column("Current", "integer", "", "Number of actually running pods.",
            o -> o.path("status").path("replicas").asInt(0)));
        cols.add(new Column("Ready", "integer", "", "Number of ready pods.",
            o -> o.path("status").path("readyReplicas").asInt(0)));
        cols.add(age());
        cols.addAll(templateColumns());
      }
      case "services" -> {
        cols.add(new Column("Type", "string", "", "The type of the service.", o -> o.path("spec").path("type").asText()));
        cols.add(new Column("Cluster-IP", "string", "", "The IP address of the service.",
            o -> orNone(o.path("spec").path("clusterIP").asText(""))));
        cols.add(new Column("External-IP", "string", "", "The external IP of the service.",
            TableConvertor::serviceExternalIp));
        cols.add(new Column("Port(s)", "string", "", "The ports of the service.", TableConvertor::servicePorts));
        cols.add(age());
        cols.add(new Column("Selector", "string", "", "Route service traffic to pods with label keys and values "
            + "matching this selector.", o -> mapSelector(o.path("spec").path("selector"))).wide());
      }
      case "events" -> {
        Column name = cols.remove(0);
        cols.add(new Column("Last Seen", "string", "", "The time at which the most recent occurrence of this event "
            + "was recorded.", TableConvertor::eventLastSeen));
        cols.add(new Column("Type", "string", "", "Type of this event (Normal, Warning).", o -> o.path("type").asText()));
        cols.add(new Column("Reason", "string", "", "Reason of the event.", o -> o.path("reason").asText()));
        cols.add(new Column("Object", "string", "", "The object that this event is about.",
            TableConvertor::eventObject));
        cols.add(new Column("Subobject", "string", "", "The field of the object the event is about.",
            o -> o.path("involvedObject").path("fieldPath").asText("")).wide());
        cols.add(new Column("Source", "string", "", "The component reporting this event.",
            TableConvertor::eventSource).wide());
        cols.add(new Column("Message", "string", "", "A human-readable description of the status of this operation.",
            o -> o.path("message").asText()));
        cols.add(new Column("First Seen", "string", "", "The time at which the event was first recorded.",
            TableConvertor::eventFirstSeen).wide());
        cols.add(new Column("Count", "string", "", "The number of times this event has occurred.",
            o -> o.path("count").asLong(0) == 0 ? 1 : o.path("count").asLong()).wide());
        cols.add(name.wide());
      }
      case "configmaps" -> {
        cols.add(new Column("Data", "string", "", "Data contains the configuration data.",
            o -> o.path("data").size() + o.path("binaryData").size()));
        cols.add(age());
      }
      case "secrets" -> {
        cols.add(new Column("Type", "string", "", "Used to facilitate programmatic handling of secret data.",
            o -> o.path("type").asText("Opaque")));
        cols.add(new Column("Data", "string", "", "Data contains the secret data.",
            o -> o.path("data").size() + o.path("stringData").size()));
        cols.add(age());
      }
      case "serviceaccounts" -> {
        cols.add(new Column("Secrets", "string", "", "Secrets of the service account.",
            o -> o.path("secrets").size()));
        cols.add(age());
      }
      case "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io" -> {
        cols.add(new Column("Role", "string", "", "RoleRef can reference a Role in the current namespace or a "
            + "ClusterRole in the global namespace.", o -> o.path("roleRef").path("kind").asText() + "/"
                + o.path("roleRef").path("name").asText()));
        cols.add(age());
        cols.add(new Column("Users", "string", "", "Users in the binding", o -> subjects(o, "User")).wide());
        cols.add(new Column("Groups", "string", "", "Groups in the binding", o -> subjects(o, "Group")).wide());
        cols.add(new Column("ServiceAccounts", "string", "", "ServiceAccounts in the binding",
            o -> subjects(o, "ServiceAccount")).wide());
      }
      case "leases.coordination.k8s.io" -> {
        cols.add(new Column("Holder", "string", "", "holderIdentity contains the identity of the holder of a current "
            + "lease.", o -> o.path("spec").path("holderIdentity").asText("")));
        cols.add(age());
      }
      case "certificatesigningrequests.certificates.k8s.io" -> {
        cols.add(age());
        cols.add(new Column("SignerName", "string", "", "The signer.", o -> o.path("spec").path("signerName").asText()));
        cols.add(new Column("Requestor", "string", "", "The requestor.", o -> o.path("spec").path("username").asText()));
        cols.add(new Column("RequestedDuration", "string", "", "The requested duration of the certificate.",
            o -> o.path("spec").has("expirationSeconds")
                ? humanDuration(o.path("spec").path("expirationSeconds").asLong()) : "<none>"));
        cols.add(new Column("Condition", "string", "", "The condition.", TableConvertor::csrCondition));
      }
      default -> {
        if (customResources.isCustom(type)) {
          cols.addAll(customColumns(type));
        } else {
          cols.add(new Column("Created At", "date", "", "CreationTimestamp is a timestamp representing the server "
              + "time when this object was created.", o -> o.path("metadata").path("creationTimestamp").asText()));
        }
      }
    }
    return cols;
  }

  /**
   * A custom resource's additionalPrinterColumns, or a single Age column when it declares none,
   * as the apiextensions server does. A value of the wrong type for its column is empty.
   */
  private List<Column> customColumns(ResourceType type) {
    List<JsonNode> declared = customResources.printerColumns(type, type.preferredVersion());
    if (declared.isEmpty()) return List.of(age());
    List<Column> cols = new ArrayList<>();
    for (JsonNode pc : declared) {
      String path = pc.path("jsonPath").asText();
      String colType = pc.path("type").asText("string");
      cols.add(new Column(pc.path("name").asText(), colType, pc.path("format").asText(""),
          pc.path("description").asText(""), pc.path("priority").asInt(0), o -> {
            JsonNode v = SimpleJsonPath.read(o, path);
            if (v == null || v.isMissingNode() || v.isNull()) return null;
            return switch (colType) {
              case "integer" -> v.isIntegralNumber() || v.isNumber() ? (Object) v.asLong() : null;
              case "number" -> v.isNumber() ? (Object) v.asDouble() : null;
              case "boolean" -> v.isBoolean() ? (Object) v.asBoolean() : null;
              case "date" -> v.isTextual() ? since(v.asText()) : null;
              case "string" -> v.isTextual() ? v.asText() : null;
              default -> v.isValueNode() ? v.asText() : Json.text(v);
            };
          }));
    }
    return cols;
  }

  private static List<Column> templateColumns() {
    return List.of(
        new Column("Containers", "string", "", "Names of each container in the template.",
            o -> joinContainers(o, "name")).wide(),
        new Column("Images", "string", "", "Images referenced by each container in the template.",
            o -> joinContainers(o, "image")).wide(),
        new Column("Selector", "string", "", "Label selector for pods.",
            o -> labelSelector(o.path("spec").path("selector"))).wide());
  }

  private static String joinContainers(ObjectNode o, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) out.add(c.path(field).asText());
    return String.join(",", out);
  }

  /** A metav1.LabelSelector as kubectl prints it: {@code app=web,tier in (a,b)}; empty selects everything. */
  private static String labelSelector(JsonNode sel) {
    List<String> parts = new ArrayList<>();
    new java.util.TreeMap<String, String>(Json.MAPPER.convertValue(sel.path("matchLabels").isObject()
        ? sel.path("matchLabels") : Json.object(), java.util.Map.class)).forEach((k, v) -> parts.add(k + "=" + v));
    for (JsonNode e : sel.path("matchExpressions")) {
      String key = e.path("key").asText();
      List<String> values = new ArrayList<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      java.util.Collections.sort(values);
      switch (e.path("operator").asText()) {
        case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
        case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
        case "Exists" -> parts.add(key);
        case "DoesNotExist" -> parts.add("!" + key);
        default -> { }
      }
    }
    return parts.isEmpty() ? "<none>" : String.join(",", parts);
  }

  private static String mapSelector(JsonNode map) {
    if (!map.isObject() || map.isEmpty()) return "<none>";
    List<String> parts = new ArrayList<>();
    map.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    java.util.Collections.sort(parts);
    return String.join(",", parts);
  }

  private static String subjects(ObjectNode o, String kind) {
    List<String> names = new ArrayList<>();
    for (JsonNode s : o.path("subjects")) {
      if (!s.path("kind").asText().equals(kind)) continue;
      names.add(kind.equals("ServiceAccount") ? s.path("namespace").asText("") + ":" + s.path("name").asText()
          : s.path("name").asText());
    }
    return String.join(", ", names);
  }

  private static String orNone(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  private static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "<unknown>" : s;
  }

  private static String podIp(ObjectNode o) {
    JsonNode ips = o.path("status").path("podIPs");
    if (ips.size() > 0) return orNone(ips.get(0).path("ip").asText(""));
    return orNone(o.path("status").path("podIP").asText(""));
  }

  private static String readinessGates(ObjectNode o) {
    JsonNode gates = o.path("spec").path("readinessGates");
    if (gates.size() == 0) return "<none>";
    int ok = 0;
    for (JsonNode g : gates) {
      for (JsonNode c : o.path("status").path("conditions")) {
        if (c.path("type").asText().equals(g.path("conditionType").asText())) {
          if (c.path("status").asText().equals("True")) ok++;
          break;
        }
      }
    }
    return ok + "/" + gates.size();
  }

  private static String nodeAddress(ObjectNode o, String type) {
    for (JsonNode a : o.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) return a.path("address").asText();
    }
    return "<none>";
  }

  private static String serviceExternalIp(ObjectNode o) {
    String type = o.path("spec").path("type").asText("ClusterIP");
    List<String> ips = new ArrayList<>();
    o.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asText()));
    if (type.equals("LoadBalancer")) {
      for (JsonNode in : o.path("status").path("loadBalancer").path("ingress")) {
        ips.add(in.has("ip") ? in.path("ip").asText() : in.path("hostname").asText());
      }
      if (ips.isEmpty()) return "<pending>";
    }
    if (type.equals("ExternalName")) return o.path("spec").path("externalName").asText("<none>");
    return ips.isEmpty() ? "<none>" : String.join(",", ips);
  }

  private static String eventObject(ObjectNode o) {
    JsonNode io = o.path("involvedObject");
    String kind = io.path("kind").asText().toLowerCase(java.util.Locale.ROOT);
    return io.path("name").asText("").isEmpty() ? kind : kind + "/" + io.path("name").asText();
  }

  private static String eventSource(ObjectNode o) {
    String component = o.path("source").path("component").asText(o.path("reportingComponent").asText(""));
    String host = o.path("source").path("host").asText("");
    return host.isEmpty() ? component : component + ", " + host;
  }

  private static String eventFirstSeen(ObjectNode o) {
    String first = o.path("firstTimestamp").asText("");
    return since(first.isEmpty() ? o.path("eventTime").asText("") : first);
  }

  private static String eventLastSeen(ObjectNode o) {
    if (o.path("series").has("lastObservedTime")) return since(o.path("series").path("lastObservedTime").asText());
    String last = o.path("lastTimestamp").asText("");
    return last.isEmpty() ? eventFirstSeen(o) : since(last);
  }

  private static String humanDuration(long seconds) {
    return since(Instant.now().minusSeconds(seconds).toString());
  }

  private static Column age() {
    return new Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this "
        + "object was created.", o -> since(o.path("metadata").path("creationTimestamp").asText("")));
  }

  /** The short human duration kubectl prints (2d3h, 5m10s, 45s). */
  static String since(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) return "<unknown>";
    try {
      Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
      if (d.isNegative()) d = Duration.ZERO;
      long s = d.getSeconds();
      if (s < 120) return s + "s";
      long m = s / 60;
      if (m < 10) return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
      if (m < 180) return m + "m";
      long h = m / 60;
      if (h < 48) return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
      long days = h / 24;
      if (days < 8) return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
      return days + "d";
    } catch (Exception e) {
      return "<invalid>";
    }
  }

  private static String podReady(ObjectNode o) {
    int total = o.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      if (cs.path("ready").asBoolean(false)) ready++;
    }
    return ready + "/" + total;
  }

  /** The STATUS column as kubectl computes it from phase, reasons and container states. */
  private static String podStatus(ObjectNode o) {
    JsonNode status = o.path("status");
    String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
    for (JsonNode cs : status.path("containerStatuses")) {
      JsonNode state = cs.path("state");
      if (state.has("waiting") && !state.path("waiting").path("reason").asText("").isEmpty()) {
        reason = state.path("waiting").path("reason").asText();
      } else if (state.has("terminated")) {
        String r = state.path("terminated").path("reason").asText("");
        reason = r.isEmpty() ? "ExitCode:" + state.path("terminated").path("exitCode").asInt() : r;
      }
    }
    if (Meta.isDeleting(o)) reason = "Terminating";
    return reason;
  }

  private static int podRestarts(ObjectNode o) {
    int n = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) n += cs.path("restartCount").asInt(0);
    return n;
  }

  private static String nodeStatus(ObjectNode o) {
    String s = "Unknown";
    for (JsonNode c : o.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) s = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
    }
    if (o.path("spec").path("unschedulable").asBoolean(false)) s += ",SchedulingDisabled";
    return s;
  }

  private static String nodeRoles(ObjectNode o) {
    List<String> roles = new ArrayList<>();
    Meta.labels(o).forEach((k, v) -> {
      if (k.startsWith("node-role.kubernetes.io/")) roles.add(k.substring("node-role.kubernetes.io/".length()));
      else if (k.equals("kubernetes.io/role")) roles.add(v);
    });
    return roles.isEmpty() ? "<none>" : String.join(",", roles.stream().sorted().toList());
  }

  private static String servicePorts(ObjectNode o) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : o.path("spec").path("ports")) {
      String s = p.path("port").asText();
      if (p.path("nodePort").asInt(0) > 0) s += ":" + p.path("nodePort").asText();
      ports.add(s + "/" + p.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String csrCondition(ObjectNode o) {
    List<String> c = new ArrayList<>();
    for (JsonNode cond : o.path("status").path("conditions")) c.add(cond.path("type").asText());
    if (o.path("status").has("certificate")) c.add("Issued");
    return c.isEmpty() ? "Pending" : String.join(",", c);
  }
}
