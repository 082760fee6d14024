package io.pontoon.sandbox.cluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FitErrorTest {
  @Test
  void countsReasonsSortedAndAddsWhatPreemptionWouldSay() {
    List<FilterResult> failures = List.of(
        FilterResult.unresolvable("node(s) had untolerated taint {dedicated: gpu}"),
        new FilterResult(List.of("Insufficient cpu"), true),
        new FilterResult(List.of("Insufficient cpu", "Insufficient memory"), true));
    assertThat(FitError.of(3, failures, false).message()).isEqualTo("0/3 nodes are available: 1 Insufficient "
        + "memory, 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are "
        + "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.");
  }

  @Test
  void preemptionPolicyNeverAndNoNodes() {
    assertThat(FitError.of(1, List.of(FilterResult.unresolvable("node(s) were unschedulable")), true).message())
        .isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable. preemption: not eligible due to "
            + "preemptionPolicy=Never.");
    assertThat(FitError.of(0, List.of(), false).message()).isEqualTo("no nodes available to schedule pods");
  }
}
