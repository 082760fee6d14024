package io.pontoon.peering.offloading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Sets an object's finalizers with a merge patch that carries the resourceVersion the decision
 * was made on, so a concurrent change makes it fail (409) and the reconcile run again, instead of
 * overwriting someone else's finalizer.
 */
final class Finalizers {
  private Finalizers() {}

  static Object patch(Resource<?> resource, ObjectMeta seen, List<String> finalizers) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = body.putObject("metadata");
    meta.put("resourceVersion", seen.getResourceVersion());
    ArrayNode list = meta.putArray("finalizers");
    finalizers.forEach(list::add);
    return resource.patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
  }

  static boolean has(ObjectMeta meta, String finalizer) {
    return meta.getFinalizers() != null && meta.getFinalizers().contains(finalizer);
  }
}
