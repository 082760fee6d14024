package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Taint and toleration matching, with the API's rules (shared by the scheduler and eviction). */
public final class Taints {
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

  private Taints() {}

  /**
   * A toleration tolerates a taint when the effects match (an empty effect matches all), the keys
   * match (an empty key with Exists matches all keys), and the value is equal unless the operator
   * is Exists.
   */
  public static boolean tolerates(Toleration t, Taint taint) {
    String effect = nz(t.getEffect());
    if (!effect.isEmpty() && !effect.equals(nz(taint.getEffect()))) return false;
    String key = nz(t.getKey());
    String op = nz(t.getOperator()).isEmpty() ? "Equal" : t.getOperator();
    if (key.isEmpty()) return op.equals("Exists");
    if (!key.equals(nz(taint.getKey()))) return false;
    return switch (op) {
      case "Exists" -> true;
      case "Equal" -> nz(t.getValue()).equals(nz(taint.getValue()));
      default -> false;
    };
  }

  public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    if (tolerations == null) return false;
    for (Toleration t : tolerations) {
      if (tolerates(t, taint)) return true;
    }
    return false;
  }

  /** The first taint with one of the given effects that the tolerations do not tolerate. */
  public static Optional<Taint> firstUntolerated(List<Taint> taints, List<Toleration> tolerations, String... effects) {
    if (taints == null) return Optional.empty();
    for (Taint taint : taints) {
      if (!List.of(effects).contains(nz(taint.getEffect()))) continue;
      if (!tolerated(tolerations, taint)) return Optional.of(taint);
    }
    return Optional.empty();
  }

  /**
   * How long a pod may stay on a node whose NoExecute taints it all tolerates, as kube's taint
   * manager computes it: the shortest tolerationSeconds among the tolerations used for those
   * taints (zero or negative means at once); empty means forever.
   */
  public static OptionalLong minTolerationSeconds(List<Toleration> tolerations, List<Taint> noExecuteTaints) {
    long min = Long.MAX_VALUE;
    for (Toleration t : tolerations == null ? List.<Toleration>of() : tolerations) {
      if (noExecuteTaints.stream().noneMatch(taint -> tolerates(t, taint))) continue;
      if (t.getTolerationSeconds() == null) continue;
      if (t.getTolerationSeconds() <= 0) return OptionalLong.of(0);
      min = Math.min(min, t.getTolerationSeconds());
    }
    return min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min);
  }

  public static boolean sameTaint(Taint a, Taint b) {
    return nz(a.getKey()).equals(nz(b.getKey())) && nz(a.getEffect()).equals(nz(b.getEffect()));
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }
}
