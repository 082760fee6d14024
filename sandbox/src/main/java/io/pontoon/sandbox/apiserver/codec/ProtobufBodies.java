package io.pontoon.sandbox.apiserver.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes protobuf request bodies ({@code application/vnd.kubernetes.protobuf}: the
 * {@code k8s\0} magic, a {@code runtime.Unknown} envelope, the typed message) into the JSON the
 * rest of the server works on. kubectl's typed clients (create deployment, auth can-i,
 * certificate approve, create token) send such bodies.
 */
public final class ProtobufBodies {
  public static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
  /** Go's zero time, which metav1.Time encodes for an unset timestamp. */
  private static final long GO_ZERO_SECONDS = -62135596800L;

  private final Map<String, Descriptor> byGroupVersionKind = new HashMap<>();

  public ProtobufBodies() {
    List<FileDescriptor> files = List.of(V1.getDescriptor(), V1Apps.getDescriptor(), V1Batch.getDescriptor(),
        V1Rbac.getDescriptor(), V1Certificates.getDescriptor(), V1Authentication.getDescriptor(),
        V1Authorization.getDescriptor(), V1Policy.getDescriptor(), V1Networking.getDescriptor(),
        V1Scheduling.getDescriptor(), V1Admissionregistration.getDescriptor(), V1Autoscaling.getDescriptor(),
        Meta.getDescriptor());
    for (FileDescriptor f : files) {
      String[] pkg = f.getPackage().split("\\.");
      String version = pkg[pkg.length - 1];
      String group = groupOf(f.getPackage());
      for (Descriptor d : f.getMessageTypes()) byGroupVersionKind.put(group + "/" + version + "/" + d.getName(), d);
    }
  }

  /** {@code k8s.io.api.apps.v1} → {@code apps}; {@code k8s.io.api.rbac.v1} → {@code rbac.authorization.k8s.io}. */
  private static String groupOf(String protoPackage) {
    if (protoPackage.startsWith("k8s.io.apimachinery.pkg.apis.meta")) return "meta.k8s.io";
    String name = protoPackage.replaceFirst("^k8s\\.io\\.api\\.", "").replaceFirst("\\.[^.]+$", "");
    return switch (name) {
      case "core" -> "";
      case "apps", "batch", "policy", "autoscaling" -> name;
      case "rbac", "authorization", "authentication", "certificates", "networking", "scheduling",
          "admissionregistration", "coordination", "discovery", "storage" ->
          (name.equals("rbac") ? "rbac.authorization" : name) + ".k8s.io";
      default -> name;
    };
  }

  public static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(CONTENT_TYPE);
  }

  /** Converts a protobuf body to JSON; an unknown kind or field is a 415 that says so. */
  public byte[] toJson(byte[] body) {
    if (body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2]
        || body[3] != MAGIC[3]) {
      throw ApiException.badRequest("the protobuf body does not start with the Kubernetes magic bytes");
    }
    try {
      Runtime.Unknown envelope = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, 4, body.length - 4));
      String apiVersion = envelope.getTypeMeta().getApiVersion();
      String kind = envelope.getTypeMeta().getKind();
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      Descriptor d = byGroupVersionKind.get(group + "/" + version + "/" + kind);
      if (d == null) throw unsupported("kind " + kind + " of " + apiVersion + " is not known in protobuf form");
      DynamicMessage m = DynamicMessage.parseFrom(d, envelope.getRaw());
      ObjectNode json = (ObjectNode) convert(m, kind);
      ObjectNode out = Json.object();
      out.put("apiVersion", apiVersion);
      out.put("kind", kind);
      out.setAll(json);
      return Json.bytes(out);
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
    }
  }

  private static ApiException unsupported(String why) {
    return ApiException.unsupportedMediaType("the body of the request was in an unknown format (" + why
        + ") - accepted media types include: application/json, application/yaml");
  }

  private JsonNode convert(Message m, String where) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      throw unsupported("a field of " + m.getDescriptorForType().getName() + " in " + where
          + " is newer than the sandbox's protobuf schema; send JSON instead");
    }
    switch (m.getDescriptorForType().getFullName()) {
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
      case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": {
        long seconds = (Long) field(m, "seconds", 0L);
        int nanos = (Integer) field(m, "nanos", 0);
        if (seconds <= GO_ZERO_SECONDS || seconds == 0 && nanos == 0) return null;
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        return Json.NODES.textNode(m.getDescriptorForType().getName().equals("Time")
            ? t.truncatedTo(ChronoUnit.SECONDS).toString() : t.truncatedTo(ChronoUnit.MICROS).toString());
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return Json.NODES.textNode((String) field(m, "string", ""));
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
        long type = ((Number) field(m, "type", 0L)).longValue();
        return type == 0 ? Json.NODES.numberNode((Integer) field(m, "intVal", 0))
            : Json.NODES.textNode((String) field(m, "strVal", ""));
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
      case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": {
        ByteString raw = (ByteString) field(m, "raw", ByteString.EMPTY);
        if (raw.isEmpty()) raw = (ByteString) field(m, "Raw", ByteString.EMPTY);
        return raw.isEmpty() ? null : Json.parse(raw.toByteArray());
      }
      default:
        break;
    }
    ObjectNode o = Json.object();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      JsonNode v;
      if (f.isMapField()) {
        ObjectNode map = Json.object();
        for (Object entry : (List<?>) e.getValue()) {
          Message me = (Message) entry;
          FieldDescriptor kf = me.getDescriptorForType().findFieldByName("key");
          FieldDescriptor vf = me.getDescriptorForType().findFieldByName("value");
          map.set(String.valueOf(me.getField(kf)), scalarOrMessage(vf, me.getField(vf), where));
        }
        v = map;
      } else if (f.isRepeated()) {
        ArrayNode arr = Json.NODES.arrayNode();
        for (Object item : (List<?>) e.getValue()) arr.add(scalarOrMessage(f, item, where));
        v = arr;
      } else {
        v = scalarOrMessage(f, e.getValue(), where);
      }
      if (v == null || v.isTextual() && v.asText().isEmpty() || v.isObject() && v.isEmpty() && !keepsEmpty(f)
          || isZero(v) && OMIT_ZERO.contains(f.getName())) {
        continue;
      }
      o.set(f.getName(), v);
    }
    return o;
  }

  /**
   * Scalars that Go keeps as plain (non-pointer) fields tagged {@code omitempty}: protobuf always
   * carries them, so a zero here means "unset", and kube-apiserver's JSON leaves them out
   * (a ClusterIP Service from {@code kubectl create service} has no {@code nodePort: 0}).
   */
  private static final java.util.Set<String> OMIT_ZERO = java.util.Set.of("nodePort", "healthCheckNodePort",
      "publishNotReadyAddresses", "hostPort", "readOnly", "stdin", "stdinOnce", "tty", "minReadySeconds", "paused");

  private static boolean isZero(JsonNode v) {
    return v.isNumber() && v.asDouble() == 0 || v.isBoolean() && !v.asBoolean();
  }

  /** Empty objects that carry meaning in JSON (an empty emptyDir, resources, securityContext). */
  private static boolean keepsEmpty(FieldDescriptor f) {
    return f.getName().equals("emptyDir") || f.getName().equals("resources");
  }

  private JsonNode scalarOrMessage(FieldDescriptor f, Object value, String where) {
    return switch (f.getJavaType()) {
      case MESSAGE -> convert((Message) value, where);
      case STRING -> Json.NODES.textNode((String) value);
      case INT -> Json.NODES.numberNode((Integer) value);
      case LONG -> Json.NODES.numberNode((Long) value);
      case BOOLEAN -> Json.NODES.booleanNode((Boolean) value);
      case DOUBLE -> Json.NODES.numberNode(BigDecimal.valueOf((Double) value));
      case FLOAT -> Json.NODES.numberNode(BigDecimal.valueOf((Float) value));
      case BYTE_STRING -> Json.NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> Json.NODES.textNode(value.toString());
    };
  }

  private static Object field(Message m, String name, Object fallback) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    if (f == null || !m.hasField(f)) return fallback;
    return m.getField(f);
  }
}
