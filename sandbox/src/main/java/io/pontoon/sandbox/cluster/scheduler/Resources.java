package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An amount of schedulable resources: cpu in millicores, memory and ephemeral storage in bytes,
 * extended resources (anything else, e.g. {@code example.com/gpu}) in their integer units.
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, Map<String, Long> scalar) {
  public static final Resources ZERO = new Resources(0, 0, 0, Map.of());

  /** kube-scheduler scores a pod without requests as if it asked for 100m and 200Mi. */
  static final long DEFAULT_MILLI_CPU = 100;
  static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

  public Resources {
    scalar = Map.copyOf(scalar);
  }

  public boolean isZero() {
    return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalar.values().stream().allMatch(v -> v == 0);
  }

  public Resources plus(Resources o) {
    return combine(o, 1);
  }

  public Resources minus(Resources o) {
    return combine(o, -1);
  }

  private Resources combine(Resources o, int sign) {
    Map<String, Long> s = new HashMap<>(scalar);
    o.scalar.forEach((k, v) -> s.merge(k, sign * v, Long::sum));
    return new Resources(milliCpu + sign * o.milliCpu, memory + sign * o.memory,
        ephemeralStorage + sign * o.ephemeralStorage, s);
  }

  /** Per-resource maximum, as for init containers, which run one at a time. */
  public Resources max(Resources o) {
    Map<String, Long> s = new HashMap<>(scalar);
    o.scalar.forEach((k, v) -> s.merge(k, v, Math::max));
    return new Resources(Math.max(milliCpu, o.milliCpu), Math.max(memory, o.memory),
        Math.max(ephemeralStorage, o.ephemeralStorage), s);
  }

  public long scalar(String name) {
    return scalar.getOrDefault(name, 0L);
  }

  /** A node's allocatable (or capacity) map; {@code pods} is read separately. */
  public static Resources of(Map<String, Quantity> list) {
    if (list == null || list.isEmpty()) return ZERO;
    long cpu = 0;
    long mem = 0;
    long eph = 0;
    Map<String, Long> s = new HashMap<>();
    for (Map.Entry<String, Quantity> e : list.entrySet()) {
      switch (e.getKey()) {
        case "cpu" -> cpu = milli(e.getValue());
        case "memory" -> mem = units(e.getValue());
        case "ephemeral-storage" -> eph = units(e.getValue());
        case "pods" -> { }
        default -> s.put(e.getKey(), units(e.getValue()));
      }
    }
    return new Resources(cpu, mem, eph, s);
  }

  /**
   * What a pod asks for, as kube-scheduler computes it: the sum of its containers and sidecars
   * (init containers with restartPolicy Always), or the largest init container plus the sidecars
   * started before it if that is more, plus the pod overhead.
   */
  public static Resources requestsOf(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) return ZERO;
    Resources sum = ZERO;
    for (Container c : nullSafe(spec.getContainers())) sum = sum.plus(requestsOf(c));
    Resources sidecars = ZERO;
    Resources initPeak = ZERO;
    for (Container c : nullSafe(spec.getInitContainers())) {
      Resources r = requestsOf(c);
      if ("Always".equals(c.getRestartPolicy())) {
        sidecars = sidecars.plus(r);
        initPeak = initPeak.max(sidecars);
      } else {
        initPeak = initPeak.max(sidecars.plus(r));
      }
    }
    Resources total = sum.plus(sidecars).max(initPeak);
    if (spec.getOverhead() != null) total = total.plus(of(spec.getOverhead()));
    return total;
  }

  /** Requests with kube's non-zero defaults for cpu and memory, used only for scoring. */
  public static Resources nonZeroRequestsOf(Pod pod) {
    Resources r = requestsOf(pod);
    return new Resources(r.milliCpu == 0 ? DEFAULT_MILLI_CPU : r.milliCpu, r.memory == 0 ? DEFAULT_MEMORY : r.memory,
        r.ephemeralStorage, Map.of());
  }

  private static Resources requestsOf(Container c) {
    if (c.getResources() == null) return ZERO;
    Map<String, Quantity> requests = c.getResources().getRequests();
    // as the API server's defaulting does: limits without requests count as requests
    Map<String, Quantity> effective = new HashMap<>();
    if (c.getResources().getLimits() != null) effective.putAll(c.getResources().getLimits());
    if (requests != null) effective.putAll(requests);
    return of(effective);
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }

  static long milli(Quantity q) {
    return q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
  }

  static long units(Quantity q) {
    return q.getNumericalAmount().setScale(0, RoundingMode.CEILING).longValue();
  }
}
