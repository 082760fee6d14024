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
  private record Column(String name, String type, String format, String description,
      Function<ObjectNode, Object> value) {}

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
      d.put("priority", 0);
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object v = c.value().apply(o);
        if (v == null) cells.addNull();
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
            + "restarted.", TableConvertor::podRestarts));
        cols.add(age());
        cols.add(new Column("IP", "string", "", "IP address allocated to the pod.",
            o -> o.path("status").path("podIP").asText("<none>")));
        cols.add(new Column("Node", "string", "", "Name of the node the pod is assigned to.",
            o -> o.path("spec").path("nodeName").asText("<none>")));
      }
      case "nodes" -> {
        cols.add(new Column("Status", "string", "", "The status of the node", TableConvertor::nodeStatus));
        cols.add(new Column("Roles", "string", "", "The roles of the node", TableConvertor::nodeRoles));
        cols.add(age());
        cols.add(new Column("Version", "string", "", "Kubelet Version reported by the node.",
            o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
      }
      case "namespaces" -> {
        cols.add(new Column("Status", "string", "", "The status of the namespace",
            o -> o.path("status").path("phase").asText("")));
        cols.add(age());
      }
      case "deployments.apps" -> {
        cols.add(new Column("Ready", "string", "", "Number of the pod with ready state",
            o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(0)));
        cols.add(new Column("Up-to-date", "integer", "", "Total number of non-terminated pods targeted by this "
            + "deployment that have the desired template spec.", o -> o.path("status").path("updatedReplicas").asInt(0)));
        cols.add(new Column("Available", "integer", "", "Total number of available pods (ready for at least "
            + "minReadySeconds) targeted by this deployment.", o -> o.path("status").path("availableReplicas").asInt(0)));
        cols.add(age());
      }
      case "replicasets.apps" -> {
        cols.add(new Column("Desired", "integer", "", "Number of desired pods.",
            o -> o.path("spec").path("replicas").asInt(0)));
        cols.add(new Column("Current", "integer", "", "Number of actually running pods.",
            o -> o.path("status").path("replicas").asInt(0)));
        cols.add(new Column("Ready", "integer", "", "Number of ready pods.",
            o -> o.path("status").path("readyReplicas").asInt(0)));
        cols.add(age());
      }
      case "services" -> {
        cols.add(new Column("Type", "string", "", "The type of the service.", o -> o.path("spec").path("type").asText()));
        cols.add(new Column("Cluster-IP", "string", "", "The IP address of the service.",
            o -> o.path("spec").path("clusterIP").asText("<none>")));
        cols.add(new Column("External-IP", "string", "", "The external IP of the service.", o -> "<none>"));
        cols.add(new Column("Port(s)", "string", "", "The ports of the service.", TableConvertor::servicePorts));
        cols.add(age());
      }
      case "events" -> {
        cols.remove(0);
        cols.add(new Column("Last Seen", "string", "", "Time since the event was last seen.",
            o -> since(o.path("lastTimestamp").asText(o.path("eventTime").asText("")))));
        cols.add(new Column("Type", "string", "", "Type of the event.", o -> o.path("type").asText()));
        cols.add(new Column("Reason", "string", "", "Reason of the event.", o -> o.path("reason").asText()));
        cols.add(new Column("Object", "string", "", "The object the event is about.",
            o -> o.path("involvedObject").path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "/"
                + o.path("involvedObject").path("name").asText()));
        cols.add(new Column("Message", "string", "", "Message of the event.", o -> o.path("message").asText()));
      }
      case "certificatesigningrequests.certificates.k8s.io" -> {
        cols.add(age());
        cols.add(new Column("SignerName", "string", "", "The signer.", o -> o.path("spec").path("signerName").asText()));
        cols.add(new Column("Requestor", "string", "", "The requestor.", o -> o.path("spec").path("username").asText()));
        cols.add(new Column("Condition", "string", "", "The condition.", TableConvertor::csrCondition));
      }
      default -> {
        if (customResources.isCustom(type)) {
          for (JsonNode pc : customResources.printerColumns(type, type.preferredVersion())) {
            String path = pc.path("jsonPath").asText();
            String colType = pc.path("type").asText("string");
            cols.add(new Column(pc.path("name").asText(), colType, pc.path("format").asText(""),
                pc.path("description").asText(""), o -> {
                  JsonNode v = SimpleJsonPath.read(o, path);
                  if (v == null || v.isMissingNode() || v.isNull()) return null;
                  if (colType.equals("date")) return since(v.asText());
                  return v.isValueNode() ? v.asText() : Json.text(v);
                }));
          }
        }
        cols.add(new Column("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time "
            + "when this object was created.", o -> o.path("metadata").path("creationTimestamp").asText()));
      }
    }
    return cols;
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
      if (p.has("nodePort")) s += ":" + p.path("nodePort").asText();
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
