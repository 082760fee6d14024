package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of a quota: cpu and memory as the scheduler counts them (the larger of the
 * containers' sum and the biggest init container, plus overhead; a limit stands in for a
 * missing request, as Kubernetes defaults it) and one pod.
 */
record PodRequests(BigDecimal cpu, BigDecimal memory, long pods) {
  static final PodRequests ZERO = new PodRequests(BigDecimal.ZERO, BigDecimal.ZERO, 0);

  static PodRequests of(PodSpec spec) {
    if (spec == null) {
      return new PodRequests(BigDecimal.ZERO, BigDecimal.ZERO, 1);
    }
    BigDecimal cpu = sum(spec.getContainers(), "cpu");
    BigDecimal memory = sum(spec.getContainers(), "memory");
    if (spec.getInitContainers() != null) {
      for (Container c : spec.getInitContainers()) {
        cpu = cpu.max(request(c, "cpu"));
        memory = memory.max(request(c, "memory"));
      }
    }
    if (spec.getOverhead() != null) {
      cpu = cpu.add(amount(spec.getOverhead().get("cpu")));
      memory = memory.add(amount(spec.getOverhead().get("memory")));
    }
    return new PodRequests(cpu, memory, 1);
  }

  PodRequests plus(PodRequests other) {
    return new PodRequests(cpu.add(other.cpu), memory.add(other.memory), pods + other.pods);
  }

  PodRequests minus(PodRequests other) {
    return new PodRequests(cpu.subtract(other.cpu), memory.subtract(other.memory), pods - other.pods);
  }

  private static BigDecimal sum(List<Container> containers, String resource) {
    BigDecimal total = BigDecimal.ZERO;
    if (containers != null) {
      for (Container c : containers) {
        total = total.add(request(c, resource));
      }
    }
    return total;
  }

  private static BigDecimal request(Container c, String resource) {
    ResourceRequirements r = c.getResources();
    if (r == null) {
      return BigDecimal.ZERO;
    }
    Quantity q = get(r.getRequests(), resource);
    return amount(q != null ? q : get(r.getLimits(), resource));
  }

  private static Quantity get(Map<String, Quantity> map, String key) {
    return map == null ? null : map.get(key);
  }

  static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }
}
