package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicePlanTest {
  private static final List<EndpointPort> HTTP = List.of(new EndpointPortBuilder().withName("http").withPort(8080)
      .withProtocol("TCP").build());

  private static Endpoint ep(int i, boolean ready) {
    return new EndpointBuilder().withAddresses("10.0.0." + i).withNewConditions().withReady(ready).endConditions()
        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName("p" + i).withUid("u" + i).build()).build();
  }

  private static List<Endpoint> eps(int from, int to) {
    return new ArrayList<>(IntStream.range(from, to).mapToObj(i -> ep(i, true)).toList());
  }

  private static EndpointSlice slice(String name, List<EndpointPort> ports, List<Endpoint> endpoints) {
    return new EndpointSliceBuilder().withNewMetadata().withName(name).endMetadata().withPorts(ports)
        .withEndpoints(endpoints).build();
  }

  @Test
  void splitsIntoSlicesOfAtMostMax() {
    SlicePlan plan = SlicePlan.plan(Map.of(HTTP, eps(0, 250)), List.of(), 100);
    assertThat(plan.toCreate()).extracting(n -> n.endpoints().size()).containsExactly(100, 100, 50);
    assertThat(plan.toUpdate()).isEmpty();
    assertThat(plan.toDelete()).isEmpty();
  }

  @Test
  void unchangedSlicesAreLeftAlone() {
    EndpointSlice s = slice("s", HTTP, eps(0, 3));
    SlicePlan plan = SlicePlan.plan(Map.of(HTTP, eps(0, 3)), List.of(s), 100);
    assertThat(plan.toCreate()).isEmpty();
    assertThat(plan.toUpdate()).isEmpty();
    assertThat(plan.toDelete()).isEmpty();
  }

  @Test
  void changesUpdateInPlaceAndNewEndpointsFillFreeRoom() {
    EndpointSlice s = slice("s", HTTP, eps(0, 3));
    List<Endpoint> want = eps(1, 5);
    want.set(0, ep(1, false));
    SlicePlan plan = SlicePlan.plan(Map.of(HTTP, want), List.of(s), 100);
    assertThat(plan.toCreate()).isEmpty();
    assertThat(plan.toUpdate()).containsExactly(s);
    assertThat(s.getEndpoints()).extracting(e -> e.getTargetRef().getUid()).containsExactly("u1", "u2", "u3", "u4");
    assertThat(s.getEndpoints().get(0).getConditions().getReady()).isFalse();
  }

  @Test
  void portChangesReplaceSlicesAndNoEndpointsLeaveOnePlaceholder() {
    List<EndpointPort> other = List.of(new EndpointPortBuilder().withName("http").withPort(9090).withProtocol("TCP")
        .build());
    EndpointSlice s = slice("s", HTTP, eps(0, 2));
    SlicePlan moved = SlicePlan.plan(Map.of(other, eps(0, 2)), List.of(s), 100);
    assertThat(moved.toDelete()).containsExactly(s);
    assertThat(moved.toCreate()).singleElement().satisfies(n -> assertThat(n.ports()).isEqualTo(other));
    EndpointSlice a = slice("a", HTTP, eps(0, 2));
    EndpointSlice b = slice("b", HTTP, eps(2, 4));
    SlicePlan none = SlicePlan.plan(new LinkedHashMap<>(), List.of(a, b), 100);
    assertThat(none.toDelete()).containsExactly(b);
    assertThat(none.toUpdate()).containsExactly(a);
    assertThat(a.getEndpoints()).isEmpty();
    assertThat(a.getPorts()).isEmpty();
    assertThat(SlicePlan.plan(new LinkedHashMap<>(), List.of(), 100).toCreate()).singleElement()
        .satisfies(n -> assertThat(n.endpoints()).isEmpty());
  }
}
