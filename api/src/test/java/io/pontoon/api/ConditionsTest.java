package io.pontoon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.PontoonNames.Reasons;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2025-01-01T10:05:00Z");

  private final List<Condition> conditions = new ArrayList<>();

  @Test
  void setAddsANewConditionWithTheTransitionTimeAtSecondPrecision() {
    boolean changed =
        Conditions.set(
            conditions,
            Conditions.of(ConditionTypes.TUNNEL_UP, true, Reasons.SUCCEEDED, "handshake ok", 3L),
            T0);

    assertThat(changed).isTrue();
    Condition c = Conditions.find(conditions, ConditionTypes.TUNNEL_UP).orElseThrow();
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("Succeeded");
    assertThat(c.getMessage()).isEqualTo("handshake ok");
    assertThat(c.getObservedGeneration()).isEqualTo(3L);
    assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
  }

  @Test
  void sameStatusKeepsTheTransitionTimeButUpdatesReasonAndMessage() {
    Conditions.set(conditions, Conditions.of("Ready", false, "Pending", "waiting", 1L), T0);

    boolean changed =
        Conditions.set(conditions, Conditions.of("Ready", false, "InProgress", "still", 2L), T1);

    assertThat(changed).isTrue();
    assertThat(conditions).hasSize(1);
    Condition c = conditions.get(0);
    assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
    assertThat(c.getReason()).isEqualTo("InProgress");
    assertThat(c.getMessage()).isEqualTo("still");
    assertThat(c.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void statusChangeMovesTheTransitionTime() {
    Conditions.set(conditions, Conditions.of("Ready", false, "Pending", "", 1L), T0);

    Conditions.set(conditions, Conditions.of("Ready", true, "Succeeded", "", 1L), T1);

    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T10:05:00Z");
    assertThat(Conditions.isTrue(conditions, "Ready")).isTrue();
    assertThat(Conditions.isFalse(conditions, "Ready")).isFalse();
  }

  @Test
  void settingTheSameConditionAgainChangesNothing() {
    Condition desired = Conditions.of("Ready", true, "Succeeded", "ok", 1L);
    Conditions.set(conditions, desired, T0);

    assertThat(Conditions.set(conditions, desired, T1)).isFalse();
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
  }

  @Test
  void setDoesNotModifyTheDesiredCondition() {
    Condition desired = Conditions.of("Ready", true, "Succeeded", "ok", 1L);
    Conditions.set(conditions, desired, T0);
    assertThat(desired.getLastTransitionTime()).isNull();
  }

  @Test
  void conditionsOfOtherTypesAreLeftAlone() {
    Conditions.set(conditions, Conditions.of("A", true, "R", "", null), T0);
    Conditions.set(conditions, Conditions.of("B", false, "R", "", null), T1);

    assertThat(conditions).extracting(Condition::getType).containsExactly("A", "B");
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
  }

  @Test
  void unknownStatusAndAbsentConditions() {
    Conditions.set(
        conditions,
        Conditions.of("Ready", PontoonNames.ConditionStatus.UNKNOWN, "Pending", null, null),
        T0);
    assertThat(Conditions.isTrue(conditions, "Ready")).isFalse();
    assertThat(Conditions.isFalse(conditions, "Ready")).isFalse();
    assertThat(Conditions.isTrue(conditions, "Missing")).isFalse();
    assertThat(Conditions.find(null, "Ready")).isEmpty();
  }

  @Test
  void removeDropsTheConditionOfThatType() {
    Conditions.set(conditions, Conditions.of("A", true, "R", "", null), T0);
    assertThat(Conditions.remove(conditions, "A")).isTrue();
    assertThat(Conditions.remove(conditions, "A")).isFalse();
    assertThat(conditions).isEmpty();
  }

  @Test
  void reasonIsRequired() {
    assertThatThrownBy(() -> Conditions.of("Ready", true, null, "", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void anEmptyMessageIsStillSerialized() {
    // metav1.Condition requires message; an absent one would be refused by the API server.
    Conditions.set(conditions, Conditions.of("Ready", true, "Succeeded", null, null), T0);
    assertThat(Serialization.asJson(conditions.get(0))).contains("\"message\":\"\"");
  }
}
