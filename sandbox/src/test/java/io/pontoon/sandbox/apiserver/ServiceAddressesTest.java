package io.pontoon.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAddressesTest {
  private final ResourceType services = new ResourceRegistry().byKey("services").orElseThrow();
  private ObjectStore store;
  private ServiceAddresses addresses;

  @BeforeEach
  void setUp() {
    store = new ObjectStore(1000, 1000);
    addresses = new ServiceAddresses(ServiceCidr.parse("10.96.0.0/24"), new Random(7));
    addresses.start(store, List.of());
  }

  private static ObjectNode svc(String name, String type, String clusterIp, Integer... nodePorts) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "v1");
    o.put("kind", "Service");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", "ns");
    meta.put("uid", UUID.randomUUID().toString());
    ObjectNode spec = o.putObject("spec");
    spec.put("type", type);
    if (clusterIp != null) spec.put("clusterIP", clusterIp);
    int port = 80;
    for (Integer np : nodePorts.length == 0 ? new Integer[] {null} : nodePorts) {
      ObjectNode p = spec.withArray("ports").addObject();
      p.put("port", port++);
      p.put("protocol", "TCP");
      if (np != null) p.put("nodePort", np);
    }
    return o;
  }

  private ObjectNode create(ObjectNode o) {
    addresses.admit(o, null, false);
    return store.create(services, o);
  }

  @Test
  void cidrOffsetsSkipTheNetworkAddress() {
    ServiceCidr cidr = ServiceCidr.parse("10.96.0.0/12");
    assertThat(cidr.size()).isEqualTo((1 << 20) - 2);
    assertThat(cidr.addressAt(0)).isEqualTo("10.96.0.1");
    assertThat(cidr.offsetOf(ServiceCidr.parseIp("10.96.0.10").orElseThrow())).isEqualTo(9);
    assertThat(cidr.offsetOf(ServiceCidr.parseIp("10.96.0.0").orElseThrow())).isEqualTo(-1);
    assertThat(cidr.offsetOf(ServiceCidr.parseIp("10.112.0.1").orElseThrow())).isEqualTo(-1);
    assertThat(ServiceCidr.parseIp("10.96.0.01")).isEmpty();
    assertThat(ServiceCidr.parseIp("300.1.1.1")).isEmpty();
  }

  @Test
  void dynamicAllocationPrefersTheUpperBandAndFillsTheRange() {
    RangeAllocator r = new RangeAllocator(100, 16, new Random(1));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 84; i++) seen.add(r.allocateNext().orElseThrow());
    assertThat(seen).hasSize(84).allMatch(o -> o >= 16);
    for (int i = 0; i < 16; i++) seen.add(r.allocateNext().orElseThrow());
    assertThat(seen).hasSize(100);
    assertThat(r.allocateNext()).isEmpty();
    r.release(42);
    assertThat(r.allocateNext()).hasValue(42);
    assertThat(RangeAllocator.ipLowerBand((1 << 20) - 2)).isEqualTo(256);
    assertThat(RangeAllocator.portLowerBand(2768)).isEqualTo(86);
  }

  @Test
  void allocatesAClusterIpAndKeepsTheFirstForKubernetes() {
    ObjectNode a = create(svc("a", "ClusterIP", null));
    String ip = a.path("spec").path("clusterIP").asText();
    assertThat(ip).startsWith("10.96.0.").isNotEqualTo("10.96.0.1");
    assertThat(a.path("spec").path("clusterIPs").get(0).asText()).isEqualTo(ip);
    assertThat(addresses.kubernetesServiceIp()).isEqualTo("10.96.0.1");
    assertThatThrownBy(() -> addresses.admit(svc("k", "ClusterIP", "10.96.0.1"), null, false))
        .hasMessageContaining("provided IP is already allocated");
  }

  @Test
  void honoursARequestedFreeIpAndRefusesATakenOrForeignOne() {
    create(svc("dns", "ClusterIP", "10.96.0.10"));
    assertThatThrownBy(() -> addresses.admit(svc("other", "ClusterIP", "10.96.0.10"), null, false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageContaining("spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP "
            + "10.96.0.10: provided IP is already allocated");
    assertThatThrownBy(() -> addresses.admit(svc("far", "ClusterIP", "10.0.0.5"), null, false))
        .hasMessageContaining("is not in the valid range. The range of valid IPs is 10.96.0.0/24");
    assertThatThrownBy(() -> addresses.admit(svc("bad", "ClusterIP", "nope"), null, false))
        .hasMessageContaining("must be a valid IP address");
  }

  @Test
  void headlessStaysNoneAndTakesNothing() {
    int free = addresses.freeIps();
    ObjectNode h = create(svc("h", "ClusterIP", "None"));
    assertThat(h.path("spec").path("clusterIP").asText()).isEqualTo("None");
    assertThat(h.path("spec").path("clusterIPs").get(0).asText()).isEqualTo("None");
    assertThat(addresses.freeIps()).isEqualTo(free);
    assertThatThrownBy(() -> addresses.admit(svc("hn", "NodePort", "None"), null, false))
        .hasMessageContaining("may not be set to 'None' for NodePort services");
  }

  @Test
  void releasesOnDeleteAndRebuildsFromStoredServices() {
    ObjectNode a = create(svc("a", "NodePort", "10.96.0.20", 30080));
    assertThatThrownBy(() -> addresses.admit(svc("b", "NodePort", null, 30080), null, false))
        .hasMessageContaining("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    ServiceAddresses rebuilt = new ServiceAddresses(ServiceCidr.parse("10.96.0.0/24"), new Random(3));
    rebuilt.start(new ObjectStore(10, 10), store.all(services));
    assertThatThrownBy(() -> rebuilt.admit(svc("c", "ClusterIP", "10.96.0.20"), null, false))
        .hasMessageContaining("provided IP is already allocated");
    store.remove(services, "ns", "a", ObjectStore.resourceVersionOf(a));
    create(svc("b", "NodePort", "10.96.0.20", 30080));
  }

  @Test
  void nodePortsAreAllocatedInRangeAndCheckedForRange() {
    ObjectNode np = create(svc("np", "NodePort", null, null, null));
    int p0 = np.path("spec").path("ports").get(0).path("nodePort").asInt();
    int p1 = np.path("spec").path("ports").get(1).path("nodePort").asInt();
    assertThat(List.of(p0, p1)).allMatch(p -> p >= 30000 && p <= 32767).doesNotHaveDuplicates();
    assertThat(np.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThatThrownBy(() -> addresses.admit(svc("low", "NodePort", null, 29999), null, false))
        .hasMessageContaining("provided port is not in the valid range. The range of valid ports is 30000-32767");
    assertThatThrownBy(() -> addresses.admit(svc("cip", "ClusterIP", null, 30500), null, false))
        .hasMessageContaining("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    ObjectNode lb = create(svc("lb", "LoadBalancer", null));
    assertThat(lb.path("spec").path("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
    assertThat(lb.path("spec").path("ports").get(0).path("nodePort").asInt()).isBetween(30000, 32767);
  }

  @Test
  void updatesKeepAllocationsAndRefuseAChangedClusterIp() {
    ObjectNode a = create(svc("a", "NodePort", null, (Integer) null));
    String ip = a.path("spec").path("clusterIP").asText();
    int port = a.path("spec").path("ports").get(0).path("nodePort").asInt();
    ObjectNode update = svc("a", "NodePort", null, (Integer) null);
    update.set("metadata", a.get("metadata").deepCopy());
    addresses.admit(update, a, false);
    assertThat(update.path("spec").path("clusterIP").asText()).isEqualTo(ip);
    assertThat(update.path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(port);
    ObjectNode moved = a.deepCopy();
    moved.with("spec").put("clusterIP", "10.96.0.77");
    assertThatThrownBy(() -> addresses.admit(moved, a, false))
        .hasMessageContaining("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.77\"}: may not change once set");
    // back to ClusterIP: the node port is dropped and released once stored
    ObjectNode plain = a.deepCopy();
    plain.with("spec").put("type", "ClusterIP");
    addresses.admit(plain, a, false);
    assertThat(plain.path("spec").path("ports").get(0).has("nodePort")).isFalse();
    store.update(services, plain, ObjectStore.resourceVersionOf(a));
    create(svc("b", "NodePort", null, port));
  }

  @Test
  void dryRunsAndAbandonedWritesKeepNothing() {
    int free = addresses.freeIps();
    addresses.admit(svc("d", "ClusterIP", "10.96.0.30"), null, true);
    assertThat(addresses.freeIps()).isEqualTo(free);
    ObjectNode lost = svc("lost", "ClusterIP", "10.96.0.31");
    addresses.admit(lost, null, false);
    assertThat(addresses.freeIps()).isEqualTo(free - 1);
    addresses.abandon(lost);
    assertThat(addresses.freeIps()).isEqualTo(free);
    create(svc("again", "ClusterIP", "10.96.0.31"));
  }
}
