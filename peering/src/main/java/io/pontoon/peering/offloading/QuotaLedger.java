package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per consumer (origin cluster ID), what its admitted, non-terminal ShadowPods use, kept up to
 * date incrementally so admission costs O(1) even with 10,000 ShadowPods (no list per
 * reconcile). Admission is atomic per consumer, so two workers never both take the last slot.
 * A pod once admitted stays admitted when the grant shrinks, as with a ResourceQuota.
 */
final class QuotaLedger {

  /** A grant: null fields are not limited. */
  record Grant(BigDecimal cpu, BigDecimal memory, Long pods) {
    static Grant of(Map<String, Quantity> resources) {
      if (resources == null) {
        return null;
      }
      Quantity cpu = resources.get("cpu");
      Quantity memory = resources.get("memory");
      Quantity pods = resources.get("pods");
      return new Grant(
          cpu == null ? null : cpu.getNumericalAmount(),
          memory == null ? null : memory.getNumericalAmount(),
          pods == null ? null : pods.getNumericalAmount().longValue());
    }
  }

  /** Outcome of an admission: admitted, or why not. */
  record Decision(boolean admitted, String message) {}

  private static final class Account {
    final Map<String, PodRequests> admitted = new HashMap<>();
    final Set<String> rejected = new HashSet<>();
    PodRequests used = PodRequests.ZERO;
  }

  private final Map<String, Account> accounts = new HashMap<>();

  /** Admits {@code key} when it fits in {@code grant} (null: no quota); idempotent per key. */
  synchronized Decision admit(String origin, String key, PodRequests requests, Grant grant) {
    Account a = accounts.computeIfAbsent(origin, o -> new Account());
    if (a.admitted.containsKey(key)) {
      return new Decision(true, "");
    }
    if (grant != null) {
      PodRequests after = a.used.plus(requests);
      StringBuilder over = new StringBuilder();
      check(over, "cpu", requests.cpu(), a.used.cpu(), after.cpu(), grant.cpu());
      check(over, "memory", requests.memory(), a.used.memory(), after.memory(), grant.memory());
      check(over, "pods", BigDecimal.valueOf(requests.pods()), BigDecimal.valueOf(a.used.pods()),
          BigDecimal.valueOf(after.pods()), grant.pods() == null ? null : BigDecimal.valueOf(grant.pods()));
      if (over.length() > 0) {
        a.rejected.add(key);
        return new Decision(false, "exceeds the resources granted to this consumer: " + over);
      }
    }
    a.rejected.remove(key);
    a.admitted.put(key, requests);
    a.used = a.used.plus(requests);
    return new Decision(true, "");
  }

  /** Records a pod that already exists (start-up, or a Pod found without a decision). */
  synchronized void record(String origin, String key, PodRequests requests) {
    Account a = accounts.computeIfAbsent(origin, o -> new Account());
    a.rejected.remove(key);
    if (a.admitted.putIfAbsent(key, requests) == null) {
      a.used = a.used.plus(requests);
    }
  }

  /**
   * Frees what {@code key} used; returns the consumer's rejected keys when that made room, so
   * the caller can queue them again.
   */
  synchronized Set<String> release(String origin, String key) {
    Account a = accounts.get(origin);
    if (a == null) {
      return Set.of();
    }
    a.rejected.remove(key);
    PodRequests r = a.admitted.remove(key);
    if (r == null) {
      return Set.of();
    }
    a.used = a.used.minus(r);
    return Set.copyOf(a.rejected);
  }

  /** {@link #release} under whichever consumer holds {@code key} (its ShadowPod is gone). */
  synchronized Set<String> forget(String key) {
    Set<String> requeue = new HashSet<>();
    for (Map.Entry<String, Account> e : accounts.entrySet()) {
      if (e.getValue().admitted.containsKey(key) || e.getValue().rejected.contains(key)) {
        requeue.addAll(release(e.getKey(), key));
      }
    }
    return requeue;
  }

  synchronized boolean isAdmitted(String origin, String key) {
    Account a = accounts.get(origin);
    return a != null && a.admitted.containsKey(key);
  }

  synchronized Optional<PodRequests> used(String origin) {
    Account a = accounts.get(origin);
    return a == null ? Optional.empty() : Optional.of(a.used);
  }

  private static void check(
      StringBuilder out, String resource, BigDecimal requested, BigDecimal used, BigDecimal after,
      BigDecimal granted) {
    if (granted == null || after.compareTo(granted) <= 0) {
      return;
    }
    if (out.length() > 0) {
      out.append("; ");
    }
    out.append(resource).append(" requested ").append(plain(requested))
        .append(" with ").append(plain(used)).append(" in use, granted ").append(plain(granted));
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
