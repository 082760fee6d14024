package io.pontoon.sandbox.cluster.scheduler;

import static io.pontoon.sandbox.cluster.scheduler.Models.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintsTest {
  private static final Taint GPU = new TaintBuilder().withKey("gpu").withValue("yes").withEffect("NoSchedule").build();

  @Test
  void equalNeedsKeyValueAndEffect() {
    assertThat(Taints.tolerates(toleration("gpu", "Equal", "yes", "NoSchedule"), GPU)).isTrue();
    assertThat(Taints.tolerates(toleration("gpu", null, "yes", "NoSchedule"), GPU)).isTrue();
    assertThat(Taints.tolerates(toleration("gpu", "Equal", "no", "NoSchedule"), GPU)).isFalse();
    assertThat(Taints.tolerates(toleration("gpu", "Equal", "yes", "NoExecute"), GPU)).isFalse();
    assertThat(Taints.tolerates(toleration("cpu", "Equal", "yes", "NoSchedule"), GPU)).isFalse();
  }

  @Test
  void existsIgnoresTheValueAndAnEmptyEffectMatchesAll() {
    assertThat(Taints.tolerates(toleration("gpu", "Exists", null, null), GPU)).isTrue();
    assertThat(Taints.tolerates(toleration("gpu", "Exists", null, "PreferNoSchedule"), GPU)).isFalse();
  }

  @Test
  void emptyKeyWithExistsToleratesEverythingButNotWithEqual() {
    assertThat(Taints.tolerates(toleration(null, "Exists", null, null), GPU)).isTrue();
    assertThat(Taints.tolerates(toleration("", "Equal", "", null), GPU)).isFalse();
  }

  @Test
  void firstUntoleratedLooksOnlyAtTheGivenEffects() {
    Taint prefer = new TaintBuilder().withKey("p").withEffect("PreferNoSchedule").build();
    Taint exec = new TaintBuilder().withKey("e").withEffect("NoExecute").build();
    assertThat(Taints.firstUntolerated(List.of(prefer, GPU, exec), List.of(toleration("gpu", "Exists", null, null)),
        "NoSchedule", "NoExecute")).contains(exec);
    assertThat(Taints.firstUntolerated(List.of(prefer), List.of(), "NoSchedule", "NoExecute")).isEmpty();
  }

  @Test
  void minTolerationSecondsIsTheShortestOfTheUsedTolerationsOrForever() {
    Taint unreachable = new TaintBuilder().withKey(Taints.UNREACHABLE).withEffect("NoExecute").build();
    var forever = new TolerationBuilder().withKey(Taints.UNREACHABLE).withOperator("Exists").build();
    var fiveMinutes = new TolerationBuilder().withKey(Taints.UNREACHABLE).withOperator("Exists")
        .withEffect("NoExecute").withTolerationSeconds(300L).build();
    var unrelated = new TolerationBuilder().withKey("other").withOperator("Exists").withTolerationSeconds(1L).build();
    assertThat(Taints.minTolerationSeconds(List.of(forever), List.of(unreachable))).isEmpty();
    assertThat(Taints.minTolerationSeconds(List.of(forever, fiveMinutes, unrelated), List.of(unreachable)))
        .hasValue(300);
    var negative = new TolerationBuilder(fiveMinutes).withTolerationSeconds(-5L).build();
    assertThat(Taints.minTolerationSeconds(List.of(negative), List.of(unreachable))).hasValue(0);
  }
}
