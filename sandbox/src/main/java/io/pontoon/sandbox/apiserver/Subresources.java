package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.util.List;

/** Subresources with their own shapes: scale, binding, eviction. */
final class Subresources {
  private Subresources() {}

  static ObjectNode read(ResourceHandler h, ResourceType type, RequestInfo info) {
    ObjectNode obj = h.get(type, info.namespace(), info.name());
    if (info.subresource().equals("scale") && type.subresources().contains("scale")) return scaleOf(type, obj);
    if (info.subresource().equals("approval") || info.subresource().equals("finalize")) return obj;
    throw ApiException.notFound(type.group(), type.plural() + "/" + info.subresource(), info.name());
  }

  /** {@code autoscaling/v1 Scale} of a workload. */
  static ObjectNode scaleOf(ResourceType type, ObjectNode obj) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (obj.path("metadata").has(f)) meta.set(f, obj.path("metadata").get(f));
    }
    scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(0));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    JsonNode labels = obj.path("spec").path("selector").path("matchLabels");
    StringBuilder sel = new StringBuilder();
    labels.fields().forEachRemaining(e -> {
      if (sel.length() > 0) sel.append(',');
      sel.append(e.getKey()).append('=').append(e.getValue().asText());
    });
    status.put("selector", sel.toString());
    return scale;
  }

  static ObjectNode writeScale(ResourceHandler h, ApiRequest req, ResourceType type, ObjectNode old,
      ObjectNode scale) {
    if (!scale.path("spec").path("replicas").canConvertToInt() || scale.path("spec").path("replicas").asInt() < 0) {
      throw ApiException.invalid("autoscaling", "Scale", req.info().name(), List.of(new ApiException.Cause(
          "FieldValueInvalid", "Invalid value: must be greater than or equal to 0", "spec.replicas")));
    }
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(old.path("metadata").path("resourceVersion").asText())) {
      throw ApiException.conflict(type.group(), type.plural(), req.info().name(),
          "the object has been modified; please apply your changes to the latest version and try again");
    }
    ObjectNode next = old.deepCopy();
    next.with("spec").put("replicas", scale.path("spec").path("replicas").asInt());
    ApiRequest asMain = new ApiRequest(req.method(), new RequestInfo(true, req.info().path(), "update",
        req.info().group(), req.info().version(), req.info().resource(), req.info().namespace(), req.info().name(),
        "", List.of()), req.query(), req.contentType(), req.accept(), req.body(), req.user());
    return scaleOf(type, h.write(asMain, type, old, next));
  }

  static ObjectNode create(ResourceHandler h, ApiRequest req, ResourceType type, ObjectNode body) {
    RequestInfo info = req.info();
    return switch (type.key() + "/" + info.subresource()) {
      case "pods/binding" -> bind(h, type, info.namespace(), info.name(), body);
      case "pods/eviction" -> evict(h, req, type, info.namespace(), info.name());
      default -> throw new ApiException(405, "MethodNotAllowed",
          "the server does not allow this method on the requested resource");
    };
  }

  /**
   * {@code pods/binding}: sets spec.nodeName once, as the scheduler's bind; a bound pod cannot be
   * bound again (409).
   */
  static ObjectNode bind(ResourceHandler h, ResourceType type, String namespace, String podName, ObjectNode binding) {
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      throw ApiException.invalid("", "Binding", podName, List.of(new ApiException.Cause("FieldValueRequired",
          "Required value", "target.name")));
    }
    ObjectStore store = h.store();
    for (int attempt = 0; ; attempt++) {
      ObjectNode pod = h.get(type, namespace, podName);
      if (Meta.isDeleting(pod)) {
        throw ApiException.conflict("", "pods", podName, "pod " + podName + " is being deleted, cannot be assigned to a host");
      }
      String bound = pod.path("spec").path("nodeName").asText("");
      if (!bound.isEmpty()) {
        throw ApiException.conflict("", "pods", podName, "pod " + podName + " is already assigned to node \"" + bound
            + "\"");
      }
      ObjectNode next = pod.deepCopy();
      next.with("spec").put("nodeName", node);
      ArrayNode conditions = next.with("status").withArray("conditions");
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if (conditions.get(i).path("type").asText().equals("PodScheduled")) conditions.remove(i);
      }
      ObjectNode c = conditions.addObject();
      c.put("type", "PodScheduled");
      c.put("status", "True");
      c.putNull("lastProbeTime");
      c.put("lastTransitionTime", Meta.now());
      try {
        store.update(type, next, ObjectStore.resourceVersionOf(pod));
        return Status.success("", "pods", podName, Meta.uid(pod));
      } catch (ApiException e) {
        if (e.code() != 409 || attempt > 5) throw e;
      }
    }
  }

  private static ObjectNode evict(ResourceHandler h, ApiRequest req, ResourceType type, String namespace,
      String name) {
    h.get(type, namespace, name);
    ApiRequest asDelete = new ApiRequest("DELETE", req.info(), req.query(), req.contentType(), req.accept(),
        new byte[0], req.user());
    Deleter.Options options = Deleter.Options.of(asDelete);
    JsonNode body = Json.parse(req.body());
    Long grace = body.path("deleteOptions").hasNonNull("gracePeriodSeconds")
        ? body.path("deleteOptions").get("gracePeriodSeconds").asLong() : null;
    new Deleter(h.store()).delete(type, namespace, name,
        new Deleter.Options(grace, options.propagationPolicy(), null, null, options.dryRun()));
    return Status.success("", "pods", name, "");
  }
}
