package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutMathTest {

  @ParameterizedTest
  @CsvSource({
      // value, total, roundUp, expected
      "25%, 10, true, 3",
      "25%, 10, false, 2",
      "25%, 4, true, 1",
      "25%, 4, false, 1",
      "25%, 1, true, 1",
      "25%, 1, false, 0",
      "100%, 7, false, 7",
      "0%, 7, true, 0",
      "33%, 3, true, 1",
      "33%, 3, false, 0"})
  void percentagesRoundLikeKube(String value, int total, boolean roundUp, int expected) {
    assertThat(RolloutMath.scaled(new IntOrString(value), total, roundUp)).isEqualTo(expected);
  }

  @Test
  void integersAreTakenAsIs() {
    assertThat(RolloutMath.scaled(new IntOrString(2), 100, true)).isEqualTo(2);
  }

  @Test
  void fencepostsNeverBothZero() {
    // 25% of 1: surge rounds up to 1, unavailable down to 0
    assertThat(RolloutMath.resolve(new IntOrString("25%"), new IntOrString("25%"), 1))
        .isEqualTo(new RolloutMath.Fenceposts(1, 0));
    // 0 and 0 would never progress: one may be unavailable
    assertThat(RolloutMath.resolve(new IntOrString(0), new IntOrString("10%"), 5))
        .isEqualTo(new RolloutMath.Fenceposts(0, 1));
    assertThat(RolloutMath.resolve(new IntOrString("25%"), new IntOrString("25%"), 10))
        .isEqualTo(new RolloutMath.Fenceposts(3, 2));
  }

  @Test
  void theNewSetGrowsWithinTheSurge() {
    // 10 desired, surge 3: old has 10, new 0 → new may have 3
    assertThat(RolloutMath.newReplicaSetReplicas(10, 3, 10, 0)).isEqualTo(3);
    // already at the ceiling: no growth
    assertThat(RolloutMath.newReplicaSetReplicas(10, 3, 13, 3)).isEqualTo(3);
    // never past the desired count
    assertThat(RolloutMath.newReplicaSetReplicas(10, 3, 9, 9)).isEqualTo(10);
  }

  @Test
  void oldSetsShrinkOnlyAsAvailabilityAllows() {
    // 10 desired, 2 may be unavailable, 13 pods in all, new has 3 with none available: 2 old may go
    assertThat(RolloutMath.maxScaledDown(13, 10, 2, 3, 0)).isEqualTo(2);
    // 12 in all (new 2 unavailable): none may go
    assertThat(RolloutMath.maxScaledDown(10, 10, 2, 2, 0)).isEqualTo(0);
    // the 3 new ones are available: 3 old may go
    assertThat(RolloutMath.maxScaledDown(13, 10, 2, 3, 3)).isEqualTo(5);
  }

  @Test
  void proportionsRoundHalfAwayFromZero() {
    // a set of 5 in a deployment growing from max 10 to max 15 → 7.5 → 8: three more
    assertThat(RolloutMath.proportion(5, 15, 10)).isEqualTo(3);
    assertThat(RolloutMath.proportion(5, 5, 10)).isEqualTo(-2); // 2.5 → 3
    assertThat(RolloutMath.proportion(5, 5, 0)).isZero();
  }
}
