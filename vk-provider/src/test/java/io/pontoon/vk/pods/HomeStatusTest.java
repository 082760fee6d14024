package io.pontoon.vk.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HomeStatusTest {
  static Pod home() {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("n").endMetadata()
        .withNewStatus().withPhase("Pending").withQosClass("BestEffort")
        .addNewCondition().withType("PodScheduled").withStatus("True")
        .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
        .endStatus().build();
  }

  static PodStatus remote() {
    return new PodStatusBuilder().withPhase("Running").withPodIP("10.244.1.9").addNewPodIP("10.244.1.9")
        .withHostIP("192.168.5.5").withStartTime("2026-01-01T00:00:01Z")
        .addNewCondition().withType("PodScheduled").withStatus("True")
        .withLastTransitionTime("2026-01-01T00:00:00.5Z").endCondition()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("c").withReady(true).withRestartCount(0).endContainerStatus()
        .build();
  }

  @Test
  void copiesTheRemoteStatusWithTranslatedAddresses() {
    PodStatus s = HomeStatus.from(home(), remote(), IpRemap.of("10.244.0.0/16", "10.71.0.0/16"), "127.0.0.1");
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getPodIP()).isEqualTo("10.71.1.9");
    assertThat(s.getPodIPs()).extracting("ip").containsExactly("10.71.1.9");
    assertThat(s.getHostIP()).isEqualTo("127.0.0.1");
    assertThat(s.getStartTime()).isEqualTo("2026-01-01T00:00:01Z");
    assertThat(s.getContainerStatuses()).hasSize(1);
    // the home scheduler's PodScheduled stays; the provider's is not copied over it
    assertThat(s.getConditions()).filteredOn(c -> c.getType().equals("PodScheduled"))
        .singleElement().extracting("lastTransitionTime").isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void sameInputGivesAnEqualStatusSoNothingIsRewritten() {
    Pod pod = home();
    PodStatus once = HomeStatus.from(pod, remote(), IpRemap.IDENTITY, "127.0.0.1");
    pod.setStatus(once);
    assertThat(HomeStatus.from(pod, remote(), IpRemap.IDENTITY, "127.0.0.1")).isEqualTo(once);
  }

  @Test
  void unreachableMakesThePodNotReadyAndKeepsTheRest() {
    Pod pod = home();
    pod.setStatus(HomeStatus.from(pod, remote(), IpRemap.IDENTITY, "127.0.0.1"));
    PodStatus s = HomeStatus.unreachable(pod.getStatus(), "gone", Instant.parse("2026-01-01T00:01:00Z"));
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("ProviderUnreachable");
        });
    assertThat(s.getContainerStatuses().get(0).getReady()).isFalse();
    // and again: no change in the transition time
    assertThat(HomeStatus.unreachable(s, "gone", Instant.parse("2026-01-01T00:02:00Z"))).isEqualTo(s);
  }
}
