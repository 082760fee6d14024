package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.selection.FieldSelector;
import io.pontoon.sandbox.apiserver.selection.LabelSelector;
import java.util.function.Predicate;

/** The {@code labelSelector} and {@code fieldSelector} of a list, watch or deletecollection. */
final class Selection {
  private Selection() {}

  static Predicate<ObjectNode> of(ApiRequest req, ResourceType type) {
    Predicate<ObjectNode> p = o -> true;
    String ls = req.param("labelSelector");
    if (ls != null && !ls.isBlank()) {
      LabelSelector sel = LabelSelector.parse(ls);
      p = p.and(o -> sel.matches(Meta.labels(o)));
    }
    String fs = req.param("fieldSelector");
    if (fs != null && !fs.isBlank()) {
      FieldSelector sel = FieldSelector.forResource(type.group(), type.plural(), fs);
      p = p.and(sel::matches);
    }
    return p;
  }

  /** The node a pod watch's field selector pins with {@code spec.nodeName=NODE}, or null. */
  static String pinnedNodeName(ApiRequest req, ResourceType type) {
    String fs = req.param("fieldSelector");
    if (fs == null || fs.isBlank() || !type.group().isEmpty() || !type.plural().equals("pods")) return null;
    return FieldSelector.forResource(type.group(), type.plural(), fs).exactValue("spec.nodeName").orElse(null);
  }
}
