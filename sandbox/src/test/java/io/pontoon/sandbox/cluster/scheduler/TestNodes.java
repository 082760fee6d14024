package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes for tests, written as a kubelet would: the Node object, then its status through
 * nodes/status, and a Lease in kube-node-lease that the test renews (or stops renewing).
 */
public final class TestNodes {
  public static final String LEASE_NS = "kube-node-lease";

  private TestNodes() {}

  /** A node description; {@link #create} writes it. */
  public record Spec(String name, Map<String, String> labels, List<Taint> taints, boolean unschedulable,
      Map<String, String> allocatable, String ready) {
    public static Spec of(String name) {
      return new Spec(name, Map.of("kubernetes.io/hostname", name), List.of(), false,
          Map.of("cpu", "8", "memory", "32Gi", "pods", "110", "ephemeral-storage", "100Gi"), "True");
    }

    public Spec label(String k, String v) {
      Map<String, String> l = new HashMap<>(labels);
      l.put(k, v);
      return new Spec(name, l, taints, unschedulable, allocatable, ready);
    }

    public Spec taint(String key, String value, String effect) {
      List<Taint> t = new ArrayList<>(taints);
      t.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
      return new Spec(name, labels, t, unschedulable, allocatable, ready);
    }

    public Spec cordoned() {
      return new Spec(name, labels, taints, true, allocatable, ready);
    }

    public Spec allocatable(String resource, String amount) {
      Map<String, String> a = new HashMap<>(allocatable);
      a.put(resource, amount);
      return new Spec(name, labels, taints, unschedulable, a, ready);
    }

    public Spec ready(String status) {
      return new Spec(name, labels, taints, unschedulable, allocatable, status);
    }
  }

  public static Node create(KubernetesClient client, Spec spec) {
    Node node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(spec.name())
        .withLabels(spec.labels()).endMetadata()
        .withNewSpec().withTaints(spec.taints()).withUnschedulable(spec.unschedulable() ? true : null).endSpec()
        .build()).create();
    Map<String, Quantity> alloc = new HashMap<>();
    spec.allocatable().forEach((k, v) -> alloc.put(k, new Quantity(v)));
    var status = new io.fabric8.kubernetes.api.model.NodeStatusBuilder().withCapacity(alloc).withAllocatable(alloc)
        .withConditions(condition("Ready", spec.ready())).build();
    return writeStatus(client, spec.name(), n -> n.setStatus(status));
  }

  /** Status writes retried on conflict: controllers may write the node in between, as in a cluster. */
  private static Node writeStatus(KubernetesClient client, String name, java.util.function.Consumer<Node> change) {
    for (int attempt = 0; ; attempt++) {
      Node node = client.nodes().withName(name).get();
      change.accept(node);
      try {
        return client.nodes().resource(node).updateStatus();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) throw e;
      }
    }
  }

  /** Posts a fresh Ready condition, as a kubelet does on its status updates. */
  public static Node postReady(KubernetesClient client, String name, String status) {
    return writeStatus(client, name, node -> {
      List<NodeCondition> conditions = new ArrayList<>(node.getStatus().getConditions());
      conditions.removeIf(c -> "Ready".equals(c.getType()));
      conditions.add(condition("Ready", status));
      node.getStatus().setConditions(conditions);
    });
  }

  static NodeCondition condition(String type, String status) {
    String now = Instant.now().toString();
    return new NodeConditionBuilder().withType(type).withStatus(status)
        .withReason(status.equals("True") ? "KubeletReady" : "KubeletNotReady")
        .withMessage(status.equals("True") ? "kubelet is posting ready status" : "container runtime is down")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
  }

  /** Creates or renews the node's Lease, as a kubelet does every renew interval. */
  public static void renewLease(KubernetesClient client, String node) {
    ensureNamespace(client, LEASE_NS);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    Lease existing = client.leases().inNamespace(LEASE_NS).withName(node).get();
    if (existing == null) {
      client.leases().inNamespace(LEASE_NS).resource(new LeaseBuilder().withNewMetadata().withName(node).endMetadata()
          .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40).withRenewTime(now).endSpec().build()).create();
    } else {
      existing.getSpec().setRenewTime(now);
      client.leases().inNamespace(LEASE_NS).resource(existing).update();
    }
  }

  public static void ensureNamespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() != null) return;
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    try {
      client.namespaces().resource(ns).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
  }
}
