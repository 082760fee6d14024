package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service registry's address allocation, as kube-apiserver does it: cluster IPs from the
 * service CIDR and node ports from 30000-32767, allocated when a Service is written, released
 * when it goes.
 *
 * <p>The bitmaps follow the stored Services (a store listener sees every create, update and
 * delete, whatever path made it: REST, garbage collector, namespace deletion). An allocation made
 * during admission is "pending" until the store holds it; a write that fails afterwards abandons
 * it, and a pending allocation that never lands is dropped after a while (kube's repair loop).
 */
final class ServiceAddresses {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAddresses.class);
  static final int NODE_PORT_BASE = 30000;
  static final int NODE_PORT_SIZE = 2768;
  private static final Duration PENDING_TTL = Duration.ofSeconds(60);

  private record Pending(String uid, long sinceNanos) {}

  /** What one write allocated, so a failed admission can give it back. */
  private final class Taken {
    final List<Integer> ips = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();

    void rollback() {
      ips.forEach(o -> {
        pendingIps.remove(o);
        ipBitmap.release(o);
      });
      ports.forEach(o -> {
        pendingPorts.remove(o);
        portBitmap.release(o);
      });
    }
  }

  private final ServiceCidr cidr;
  private final RangeAllocator ipBitmap;
  private final RangeAllocator portBitmap;
  private final Map<Integer, Pending> pendingIps = new HashMap<>();
  private final Map<Integer, Pending> pendingPorts = new HashMap<>();

  ServiceAddresses(ServiceCidr cidr, RandomGenerator random) {
    this.cidr = cidr;
    this.ipBitmap = new RangeAllocator(cidr.size(), RangeAllocator.ipLowerBand(cidr.size()), random);
    this.portBitmap = new RangeAllocator(NODE_PORT_SIZE, RangeAllocator.portLowerBand(NODE_PORT_SIZE), random);
  }

  /** Rebuilds the bitmaps from the stored Services, then follows every change. */
  void start(ObjectStore store, List<ObjectNode> storedServices) {
    store.addListener(this::onChange);
    synchronized (this) {
      ipBitmap.mark(0); // the kubernetes service's, before the server publishes it
      for (ObjectNode svc : storedServices) {
        ips(svc).forEach(ipBitmap::mark);
        ports(svc).forEach(portBitmap::mark);
      }
    }
  }

  ServiceCidr cidr() {
    return cidr;
  }

  /** The first address of the range, kept for the {@code kubernetes} service. */
  String kubernetesServiceIp() {
    return cidr.addressAt(0);
  }

  synchronized int freeIps() {
    return ipBitmap.free();
  }

  synchronized int freeNodePorts() {
    return portBitmap.free();
  }

  // ---- store changes ----------------------------------------------------------------------

  private void onChange(ObjectStore.Change change) {
    ObjectNode any = change.previous() != null ? change.previous() : change.current();
    if (!any.path("kind").asText().equals("Service") || !any.path("apiVersion").asText().equals("v1")) return;
    ObjectNode cur = change.type() == WatchEvent.Type.DELETED ? null : change.current();
    Set<Integer> prevIps = ips(change.previous());
    Set<Integer> curIps = ips(cur);
    Set<Integer> prevPorts = ports(change.previous());
    Set<Integer> curPorts = ports(cur);
    synchronized (this) {
      for (int o : prevIps) if (!curIps.contains(o) && !pendingIps.containsKey(o)) ipBitmap.release(o);
      for (int o : prevPorts) if (!curPorts.contains(o) && !pendingPorts.containsKey(o)) portBitmap.release(o);
      for (int o : curIps) {
        ipBitmap.mark(o);
        pendingIps.remove(o);
      }
      for (int o : curPorts) {
        portBitmap.mark(o);
        pendingPorts.remove(o);
      }
    }
  }

  private Set<Integer> ips(ObjectNode svc) {
    Set<Integer> out = new HashSet<>();
    if (svc == null) return out;
    List<String> all = new ArrayList<>();
    all.add(svc.path("spec").path("clusterIP").asText(""));
    svc.path("spec").path("clusterIPs").forEach(ip -> all.add(ip.asText("")));
    for (String ip : all) {
      ServiceCidr.parseIp(ip).map(cidr::offsetOf).filter(o -> o >= 0).ifPresent(out::add);
    }
    return out;
  }

  private static Set<Integer> ports(ObjectNode svc) {
    Set<Integer> out = new HashSet<>();
    if (svc == null) return out;
    for (JsonNode p : svc.path("spec").path("ports")) {
      int np = p.path("nodePort").asInt(0);
      if (np >= NODE_PORT_BASE && np < NODE_PORT_BASE + NODE_PORT_SIZE) out.add(np - NODE_PORT_BASE);
    }
    int hc = svc.path("spec").path("healthCheckNodePort").asInt(0);
    if (hc >= NODE_PORT_BASE && hc < NODE_PORT_BASE + NODE_PORT_SIZE) out.add(hc - NODE_PORT_BASE);
    return out;
  }

  // ---- admission --------------------------------------------------------------------------

  /**
   * Fills in and allocates the cluster IP and node ports of a Service being created or updated
   * ({@code old} null on create); throws 422 as kube-apiserver when a requested address is taken,
   * out of range or changed. A dry run checks and fills in but keeps nothing.
   */
  synchronized void admit(ObjectNode svc, ObjectNode old, boolean dryRun) {
    expirePending();
    String uid = Meta.uid(svc);
    Taken taken = new Taken();
    List<Cause> causes = new ArrayList<>();
    ObjectNode spec = svc.with("spec");
    JsonNode oldSpec = old == null ? Json.object() : old.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    clusterIp(spec, oldSpec, type, uid, taken, causes);
    nodePorts(spec, oldSpec, type, uid, taken, causes);
    if (!causes.isEmpty()) {
      taken.rollback();
      throw ApiException.invalid("", "Service", Meta.name(svc), causes);
    }
    if (dryRun) {
      taken.rollback();
    } else if (!taken.ips.isEmpty() || !taken.ports.isEmpty()) {
      LOG.debug("service={}/{} clusterIP={} newNodePorts={}", Meta.namespace(svc), Meta.name(svc),
          spec.path("clusterIP").asText(""), taken.ports.stream().map(p -> p + NODE_PORT_BASE).toList());
    }
  }

  /** The write that followed {@link #admit} did not happen: its allocations go back. */
  synchronized void abandon(ObjectNode svc) {
    String uid = Meta.uid(svc);
    release(pendingIps, ipBitmap, p -> p.uid().equals(uid));
    release(pendingPorts, portBitmap, p -> p.uid().equals(uid));
  }

  private void expirePending() {
    long now = System.nanoTime();
    release(pendingIps, ipBitmap, p -> now - p.sinceNanos() > PENDING_TTL.toNanos());
    release(pendingPorts, portBitmap, p -> now - p.sinceNanos() > PENDING_TTL.toNanos());
  }

  private static void release(Map<Integer, Pending> pending, RangeAllocator bitmap,
      java.util.function.Predicate<Pending> which) {
    for (Iterator<Map.Entry<Integer, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Pending> e = it.next();
      if (which.test(e.getValue())) {
        bitmap.release(e.getKey());
        it.remove();
      }
    }
  }

  private void clusterIp(ObjectNode spec, JsonNode oldSpec, String type, String uid, Taken taken,
      List<Cause> causes) {
    String requested = spec.path("clusterIP").asText("");
    if (requested.isEmpty() && spec.path("clusterIPs").size() > 0) requested = spec.path("clusterIPs").get(0).asText("");
    String oldIp = oldSpec.path("clusterIP").asText("");
    if (type.equals("ExternalName")) {
      // changing to ExternalName drops the address the user did not touch (kube's dropTypeDependentFields)
      if (requested.equals(oldIp)) {
        spec.remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"));
      } else if (!requested.isEmpty()) {
        causes.add(new Cause("FieldValueForbidden", "Forbidden: may not be set for ExternalName services",
            "spec.clusterIP"));
      }
      return;
    }
    if (!oldIp.isEmpty()) {
      if (requested.isEmpty()) requested = oldIp;
      if (!requested.equals(oldIp)) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: []string{\"" + requested
            + "\"}: may not change once set", "spec.clusterIPs[0]"));
        return;
      }
      setClusterIp(spec, requested);
      return;
    }
    if (requested.equals("None")) {
      if (type.equals("NodePort") || type.equals("LoadBalancer")) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"None\": may not be set to 'None' for "
            + type + " services", "spec.clusterIPs[0]"));
        return;
      }
      setClusterIp(spec, "None");
      return;
    }
    if (requested.isEmpty()) {
      OptionalInt next = ipBitmap.allocateNext();
      if (next.isEmpty()) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: []string{}: failed to allocate IP: range is full",
            "spec.clusterIPs"));
        return;
      }
      take(pendingIps, next.getAsInt(), uid, taken.ips);
      setClusterIp(spec, cidr.addressAt(next.getAsInt()));
      return;
    }
    Optional<Long> ip = ServiceCidr.parseIp(requested);
    String listed = "Invalid value: []string{\"" + requested + "\"}: ";
    if (ip.isEmpty()) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + requested
          + "\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", "spec.clusterIPs[0]"));
      return;
    }
    int offset = cidr.offsetOf(ip.get());
    if (offset < 0) {
      causes.add(new Cause("FieldValueInvalid", listed + "failed to allocate IP " + requested + ": the provided IP ("
          + requested + ") is not in the valid range. The range of valid IPs is " + cidr, "spec.clusterIPs"));
      return;
    }
    if (!ipBitmap.allocate(offset)) {
      causes.add(new Cause("FieldValueInvalid", listed + "failed to allocate IP " + requested
          + ": provided IP is already allocated", "spec.clusterIPs"));
      return;
    }
    take(pendingIps, offset, uid, taken.ips);
    setClusterIp(spec, requested);
  }

  private static void setClusterIp(ObjectNode spec, String ip) {
    spec.put("clusterIP", ip);
    spec.putArray("clusterIPs").add(ip);
  }

  private void nodePorts(ObjectNode spec, JsonNode oldSpec, String type, String uid, Taken taken,
      List<Cause> causes) {
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
    if (type.equals("LoadBalancer") && !spec.has("allocateLoadBalancerNodePorts")) {
      spec.put("allocateLoadBalancerNodePorts", true);
    }
    if (external && !spec.has("externalTrafficPolicy")) spec.put("externalTrafficPolicy", "Cluster");
    boolean needed = type.equals("NodePort")
        || type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
    Set<Integer> oldPorts = new HashSet<>();
    oldSpec.path("ports").forEach(p -> {
      if (p.path("nodePort").asInt(0) != 0) oldPorts.add(p.path("nodePort").asInt());
    });
    Map<Integer, String> usedHere = new HashMap<>();
    int i = 0;
    for (JsonNode p : spec.path("ports")) {
      String field = "spec.ports[" + i++ + "].nodePort";
      if (!(p instanceof ObjectNode port)) continue;
      int np = port.path("nodePort").asInt(0);
      String protocol = port.path("protocol").asText("TCP");
      if (!external) {
        if (np == 0) continue;
        if (oldPorts.contains(np)) {
          port.remove("nodePort"); // the type no longer has node ports; kube drops the untouched ones
        } else {
          causes.add(new Cause("FieldValueForbidden", "Forbidden: may not be used when `type` is '" + type + "'",
              field));
        }
        continue;
      }
      if (np == 0 && !needed) continue;
      if (np == 0) np = previousNodePort(oldSpec, port);
      if (np != 0) {
        port.put("nodePort", np);
        String sameProtocol = usedHere.get(np);
        if (sameProtocol != null) {
          if (sameProtocol.equals(protocol)) causes.add(new Cause("FieldValueDuplicate", "Duplicate value: " + np, field));
          continue;
        }
        usedHere.put(np, protocol);
        if (oldPorts.contains(np)) continue;
        requestPort(np, field, uid, taken, causes);
        continue;
      }
      OptionalInt next = portBitmap.allocateNext();
      if (next.isEmpty()) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: 0: failed to allocate a nodePort: range is full",
            field));
        continue;
      }
      take(pendingPorts, next.getAsInt(), uid, taken.ports);
      port.put("nodePort", NODE_PORT_BASE + next.getAsInt());
      usedHere.put(NODE_PORT_BASE + next.getAsInt(), protocol);
    }
    healthCheckNodePort(spec, oldSpec, type, uid, taken, causes);
  }

  /** A port whose nodePort was left out of an update keeps the one it had (kube's patchAllocatedValues). */
  private static int previousNodePort(JsonNode oldSpec, JsonNode port) {
    for (JsonNode old : oldSpec.path("ports")) {
      if (old.path("port").asInt() == port.path("port").asInt()
          && old.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"))) {
        return old.path("nodePort").asInt(0);
      }
    }
    return 0;
  }

  private void requestPort(int np, String field, String uid, Taken taken, List<Cause> causes) {
    int offset = np - NODE_PORT_BASE;
    if (!portBitmap.inRange(offset)) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: " + np + ": provided port is not in the valid range. "
          + "The range of valid ports is " + NODE_PORT_BASE + "-" + (NODE_PORT_BASE + NODE_PORT_SIZE - 1), field));
    } else if (!portBitmap.allocate(offset)) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: " + np + ": provided port is already allocated",
          field));
    } else {
      take(pendingPorts, offset, uid, taken.ports);
    }
  }

  /** LoadBalancer services with externalTrafficPolicy Local get a health check node port. */
  private void healthCheckNodePort(ObjectNode spec, JsonNode oldSpec, String type, String uid, Taken taken,
      List<Cause> causes) {
    boolean wanted = type.equals("LoadBalancer") && spec.path("externalTrafficPolicy").asText("").equals("Local");
    int hc = spec.path("healthCheckNodePort").asInt(0);
    int oldHc = oldSpec.path("healthCheckNodePort").asInt(0);
    if (!wanted) {
      if (hc != 0 && hc == oldHc) spec.remove("healthCheckNodePort");
      return;
    }
    if (hc == 0) hc = oldHc;
    if (hc != 0) {
      if (hc != oldHc) requestPort(hc, "spec.healthCheckNodePort", uid, taken, causes);
      spec.put("healthCheckNodePort", hc);
      return;
    }
    OptionalInt next = portBitmap.allocateNext();
    if (next.isPresent()) {
      take(pendingPorts, next.getAsInt(), uid, taken.ports);
      spec.put("healthCheckNodePort", NODE_PORT_BASE + next.getAsInt());
    } else {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: 0: failed to allocate a nodePort: range is full",
          "spec.healthCheckNodePort"));
    }
  }

  private static void take(Map<Integer, Pending> pending, int offset, String uid, List<Integer> into) {
    pending.put(offset, new Pending(uid, System.nanoTime()));
    into.add(offset);
  }
}
