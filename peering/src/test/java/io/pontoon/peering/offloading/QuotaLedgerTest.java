package io.pontoon.peering.offloading;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaLedgerTest {
  private static final QuotaLedger.Grant GRANT =
      QuotaLedger.Grant.of(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi"), "pods", new Quantity("2")));

  @Test
  void admitsWithinTheGrantAndSaysWhatIsOver() {
    QuotaLedger l = new QuotaLedger();
    assertThat(l.admit("o", "a", PodRequests.of(Fixtures.server("600m")), GRANT).admitted()).isTrue();
    QuotaLedger.Decision d = l.admit("o", "b", PodRequests.of(Fixtures.server("600m")), GRANT);
    assertThat(d.admitted()).isFalse();
    assertThat(d.message()).contains("cpu requested 0.6 with 0.6 in use, granted 1").doesNotContain("pods");
    assertThat(l.release("o", "a")).containsExactly("b");
    assertThat(l.admit("o", "b", PodRequests.of(Fixtures.server("600m")), GRANT).admitted()).isTrue();
    assertThat(l.admit("o", "c", PodRequests.of(Fixtures.server("600m")), GRANT).admitted()).isFalse();
    assertThat(l.forget("c")).isEmpty();
    assertThat(l.forget("b")).isEmpty();
    assertThat(l.used("o")).hasValueSatisfying(u -> assertThat(u.pods()).isZero());
  }

  @Test
  void admissionIsIdempotentAndCountsPods() {
    QuotaLedger l = new QuotaLedger();
    assertThat(l.admit("o", "a", PodRequests.of(Fixtures.server("0")), GRANT).admitted()).isTrue();
    assertThat(l.admit("o", "a", PodRequests.of(Fixtures.server("0")), GRANT).admitted()).isTrue();
    assertThat(l.admit("o", "b", PodRequests.of(Fixtures.server("0")), GRANT).admitted()).isTrue();
    assertThat(l.admit("o", "c", PodRequests.of(Fixtures.server("0")), GRANT).message()).contains("pods requested 1 with 2 in use, granted 2");
    assertThat(l.admit("other", "c", PodRequests.of(Fixtures.server("0")), GRANT).admitted()).isTrue();
    assertThat(l.admit("o", "d", PodRequests.of(Fixtures.server("5")), null).admitted()).as("no grant, no quota").isTrue();
  }

  @Test
  void initContainersAndLimitsCountAsTheSchedulerCountsThem() {
    var spec = Fixtures.server("100m");
    spec.getContainers().get(0).getResources().getLimits().put("memory", new Quantity("256Mi"));
    spec.setInitContainers(java.util.List.of(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("init")
        .withNewResources().addToRequests("cpu", new Quantity("2")).endResources().build()));
    PodRequests r = PodRequests.of(spec);
    assertThat(r.cpu()).isEqualByComparingTo("2");
    assertThat(r.memory()).isEqualByComparingTo(String.valueOf(256L * 1024 * 1024));
  }
}
