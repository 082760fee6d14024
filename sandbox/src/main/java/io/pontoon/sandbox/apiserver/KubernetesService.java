package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.util.UUID;

/**
 * The {@code default/kubernetes} Service kube-apiserver keeps for itself: the first address of the
 * service range, port 443 (https) to the server's own port, with an Endpoints and an EndpointSlice
 * naming the server's address, as its endpoint reconciler writes them.
 */
final class KubernetesService {
  static final String NAME = "kubernetes";
  static final String NAMESPACE = "default";

  private KubernetesService() {}

  static void publish(ObjectStore store, ResourceRegistry registry, String clusterIp, String address, int port) {
    write(store, registry.byKey("services").orElseThrow(), service(clusterIp, port));
    write(store, registry.byKey("endpoints").orElseThrow(), endpoints(address, port));
    write(store, registry.byKey("endpointslices.discovery.k8s.io").orElseThrow(), endpointSlice(address, port));
  }

  private static ObjectNode service(String clusterIp, int port) {
    ObjectNode o = object("v1", "Service");
    ObjectNode labels = Meta.metadata(o).putObject("labels");
    labels.put("component", "apiserver");
    labels.put("provider", "kubernetes");
    ObjectNode spec = o.putObject("spec");
    spec.put("type", "ClusterIP");
    spec.put("clusterIP", clusterIp);
    spec.putArray("clusterIPs").add(clusterIp);
    spec.putArray("ipFamilies").add("IPv4");
    spec.put("ipFamilyPolicy", "SingleStack");
    spec.put("internalTrafficPolicy", "Cluster");
    spec.put("sessionAffinity", "None");
    ObjectNode p = spec.putArray("ports").addObject();
    p.put("name", "https");
    p.put("port", 443);
    p.put("protocol", "TCP");
    p.put("targetPort", port);
    o.putObject("status").putObject("loadBalancer");
    return o;
  }

  private static ObjectNode endpoints(String address, int port) {
    ObjectNode o = object("v1", "Endpoints");
    Meta.metadata(o).putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = o.putArray("subsets").addObject();
    subset.putArray("addresses").addObject().put("ip", address);
    ObjectNode p = subset.putArray("ports").addObject();
    p.put("name", "https");
    p.put("port", port);
    p.put("protocol", "TCP");
    return o;
  }

  private static ObjectNode endpointSlice(String address, int port) {
    ObjectNode o = object("discovery.k8s.io/v1", "EndpointSlice");
    Meta.metadata(o).putObject("labels").put("kubernetes.io/service-name", NAME);
    o.put("addressType", "IPv4");
    ObjectNode ep = o.putArray("endpoints").addObject();
    ep.putArray("addresses").add(address);
    ep.putObject("conditions").put("ready", true);
    ObjectNode p = o.putArray("ports").addObject();
    p.put("name", "https");
    p.put("port", port);
    p.put("protocol", "TCP");
    return o;
  }

  private static ObjectNode object(String apiVersion, String kind) {
    ObjectNode o = Json.object();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", NAME);
    meta.put("namespace", NAMESPACE);
    return o;
  }

  /** Creates the object, or brings an existing one back to what the server publishes. */
  private static void write(ObjectStore store, ResourceType type, ObjectNode desired) {
    ObjectNode current = store.get(type, NAMESPACE, NAME).orElse(null);
    ObjectNode meta = Meta.metadata(desired);
    if (current == null) {
      meta.put("uid", UUID.randomUUID().toString());
      meta.put("creationTimestamp", Meta.now());
      meta.put("generation", 1);
      store.create(type, desired);
      return;
    }
    for (String f : new String[] {"uid", "creationTimestamp", "generation", "resourceVersion"}) {
      if (current.path("metadata").has(f)) meta.set(f, current.path("metadata").get(f));
    }
    if (!desired.equals(current)) store.update(type, desired, ObjectStore.resourceVersionOf(current));
  }
}
