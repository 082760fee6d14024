package io.pontoon.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Finds and sets conditions in the {@code metav1.Condition} shape, with the API conventions:
 * one condition per type, and {@code lastTransitionTime} moves only when the status changes.
 */
public final class Conditions {

  private Conditions() {}

  /** A condition with no transition time yet; {@link #set} fills it in. */
  public static Condition of(
      String type, boolean status, String reason, String message, Long observedGeneration) {
    return of(
        type,
        status ? PontoonNames.ConditionStatus.TRUE : PontoonNames.ConditionStatus.FALSE,
        reason,
        message,
        observedGeneration);
  }

  /** A condition with an explicit status ({@code True}, {@code False} or {@code Unknown}). */
  public static Condition of(
      String type, String status, String reason, String message, Long observedGeneration) {
    return new ConditionBuilder()
        .withType(Objects.requireNonNull(type, "type"))
        .withStatus(Objects.requireNonNull(status, "status"))
        .withReason(Objects.requireNonNull(reason, "reason"))
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(observedGeneration)
        .build();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return hasStatus(conditions, type, PontoonNames.ConditionStatus.TRUE);
  }

  public static boolean isFalse(List<Condition> conditions, String type) {
    return hasStatus(conditions, type, PontoonNames.ConditionStatus.FALSE);
  }

  private static boolean hasStatus(List<Condition> conditions, String type, String status) {
    return find(conditions, type).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  /** {@link #set(List, Condition, Instant)} at the current time. */
  public static boolean set(List<Condition> conditions, Condition desired) {
    return set(conditions, desired, Instant.now());
  }

  /**
   * Puts {@code desired} into {@code conditions} (a mutable list), replacing the condition of
   * the same type. The transition time is {@code now} when the status changes or the type is
   * new, and the previous one otherwise; {@code desired} itself is not modified.
   *
   * @return whether the list changed, so callers can skip a status update that does nothing
   */
  public static boolean set(List<Condition> conditions, Condition desired, Instant now) {
    Objects.requireNonNull(conditions, "conditions");
    Objects.requireNonNull(desired.getType(), "condition type");
    Condition next = new ConditionBuilder(desired).build();
    for (int i = 0; i < conditions.size(); i++) {
      Condition current = conditions.get(i);
      if (!desired.getType().equals(current.getType())) {
        continue;
      }
      boolean transition = !Objects.equals(current.getStatus(), desired.getStatus());
      next.setLastTransitionTime(
          transition || current.getLastTransitionTime() == null
              ? timestamp(now)
              : current.getLastTransitionTime());
      if (next.equals(current)) {
        return false;
      }
      conditions.set(i, next);
      return true;
    }
    next.setLastTransitionTime(timestamp(now));
    conditions.add(next);
    return true;
  }

  /** Removes the condition of {@code type}; returns whether there was one. */
  public static boolean remove(List<Condition> conditions, String type) {
    return conditions != null && conditions.removeIf(c -> type.equals(c.getType()));
  }

  /** RFC 3339 at second precision, as {@code metav1.Time} serializes. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
