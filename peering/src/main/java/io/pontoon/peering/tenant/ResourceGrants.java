package io.pontoon.peering.tenant;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pontoon.api.PontoonNames;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a provider grants a consumer: a percentage of its free allocatable (allocatable of its
 * real nodes minus the requests of their non-terminated pods, the consumer's own offloaded pods
 * excepted so its grant does not shrink as it uses it), capped by what the consumer asked for.
 */
public final class ResourceGrants {
  public static final List<String> KINDS = List.of("cpu", "memory", "pods", "ephemeral-storage");

  private ResourceGrants() {}

  public static Map<String, Quantity> grant(List<Node> nodes, List<Pod> pods, int sharingPercentage,
      Map<String, Quantity> requested, String consumerId) {
    Map<String, BigDecimal> free = new HashMap<>();
    Map<String, Boolean> realNode = new HashMap<>();
    for (Node n : nodes) {
      boolean virtual = n.getMetadata().getLabels() != null
          && PontoonNames.TYPE_VIRTUAL_NODE.equals(n.getMetadata().getLabels().get(PontoonNames.LABEL_TYPE));
      if (virtual || n.getStatus() == null || n.getStatus().getAllocatable() == null) continue;
      realNode.put(n.getMetadata().getName(), true);
      for (String k : KINDS) {
        Quantity q = n.getStatus().getAllocatable().get(k);
        if (q != null) free.merge(k, q.getNumericalAmount(), BigDecimal::add);
      }
    }
    for (Pod p : pods) {
      if (p.getSpec() == null || p.getSpec().getNodeName() == null || !realNode.containsKey(p.getSpec().getNodeName())) continue;
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) continue;
      Map<String, String> labels = p.getMetadata().getLabels();
      if (consumerId != null && labels != null && consumerId.equals(labels.get(PontoonNames.LABEL_ORIGIN_CLUSTER_ID))) continue;
      free.merge("pods", BigDecimal.ONE.negate(), BigDecimal::add);
      for (Container c : p.getSpec().getContainers()) {
        if (c.getResources() == null || c.getResources().getRequests() == null) continue;
        for (String k : List.of("cpu", "memory", "ephemeral-storage")) {
          Quantity q = c.getResources().getRequests().get(k);
          if (q != null) free.merge(k, q.getNumericalAmount().negate(), BigDecimal::add);
        }
      }
    }
    BigDecimal share = BigDecimal.valueOf(sharingPercentage).movePointLeft(2);
    Map<String, Quantity> out = new LinkedHashMap<>();
    for (String k : KINDS) {
      if (!free.containsKey(k)) continue;
      BigDecimal v = free.get(k).max(BigDecimal.ZERO).multiply(share);
      Quantity asked = requested == null ? null : requested.get(k);
      if (asked != null) v = v.min(asked.getNumericalAmount());
      out.put(k, format(k, v));
    }
    return out;
  }

  /** CPU in millicores, pods whole, bytes in Mi: readable and stable between refreshes. */
  static Quantity format(String kind, BigDecimal v) {
    return switch (kind) {
      case "cpu" -> new Quantity(v.movePointRight(3).setScale(0, RoundingMode.DOWN).toPlainString() + "m");
      case "pods" -> new Quantity(v.setScale(0, RoundingMode.DOWN).toPlainString());
      default -> new Quantity(v.divide(BigDecimal.valueOf(1024L * 1024L), 0, RoundingMode.DOWN).toPlainString() + "Mi");
    };
  }
}
