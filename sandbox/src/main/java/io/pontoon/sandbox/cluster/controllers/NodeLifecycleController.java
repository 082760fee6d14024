package io.pontoon.sandbox.cluster.controllers;

import io.pontoon.api.controller.NodeLease;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.scheduler.EventRecorder;
import io.pontoon.sandbox.cluster.scheduler.NodeView;
import io.pontoon.sandbox.cluster.scheduler.Taints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's node lifecycle controller and taint eviction controller, in one pass
 * every {@code nodeMonitorPeriod}:
 *
 * <ol>
 *   <li>health: a node whose Lease renewTime and Ready heartbeat have not changed for
 *       {@code nodeMonitorGracePeriod} (measured on this controller's clock, when it saw them
 *       change) gets its kubelet-owned conditions set to Unknown through nodes/status, and the pods
 *       on it are marked Ready=False;</li>
 *   <li>taints: not-ready / unreachable NoExecute (with timeAdded) and NoSchedule taints follow the
 *       Ready condition, as do the NoSchedule taints of pressure conditions and cordoning; they
 *       are removed once the node is healthy;</li>
 *   <li>eviction: pods on a node with NoExecute taints they do not tolerate are deleted at once;
 *       pods tolerating them for tolerationSeconds are deleted once that long has passed since the
 *       taint's timeAdded; pods tolerating them without a limit stay.</li>
 * </ol>
 *
 * Writes carry the resourceVersion of the informer's copy; on a conflict the next pass retries.
 * Not done (as kube does): rate-limited evictions per zone and zone disruption states.
 */
public final class NodeLifecycleController implements ClusterComponent {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);
  static final String LEASE_NAMESPACE = NodeLease.NAMESPACE;
  private static final String NODE_INDEX = io.pontoon.sandbox.cluster.SharedInformers.PODS_BY_NODE;

  /** NoSchedule taints kube derives from conditions (type → status → taint key). */
  private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
      "Ready", Map.of("False", Taints.NOT_READY, "Unknown", Taints.UNREACHABLE),
      "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
      "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
      "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"),
      "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"));
  private static final Set<String> OWNED_NO_SCHEDULE = Set.of(Taints.NOT_READY, Taints.UNREACHABLE,
      "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure", "node.kubernetes.io/pid-pressure",
      "node.kubernetes.io/network-unavailable", Taints.UNSCHEDULABLE);
  private static final Set<String> OWNED_NO_EXECUTE = Set.of(Taints.NOT_READY, Taints.UNREACHABLE);
  /** Conditions the kubelet owns and that turn Unknown when it goes silent (not NetworkUnavailable). */
  private static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure",
      "PIDPressure");

  /** What was last seen of a node's liveness signals, and when (on this controller's clock). */
  private record Health(String renewTime, String heartbeat, Instant probeTimestamp) {}

  private final Clock clock;
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  private ClusterSpec.Timings timings;
  private KubernetesClient client;
  private EventRecorder events;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Lease> leases;
  private SharedIndexInformer<Pod> pods;
  private ScheduledExecutorService timer;

  public NodeLifecycleController() {
    this(Clock.systemUTC());
  }

  public NodeLifecycleController(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "node-lifecycle-controller";
  }

  @Override
  public void start(ClusterContext context) {
    timings = context.spec().timings();
    client = context.client();
    events = new EventRecorder(client, "node-controller", clock);
    nodes = client.nodes().inform();
    leases = client.leases().inNamespace(LEASE_NAMESPACE).inform();
    pods = context.informers().pods();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "node-lifecycle");
      t.setDaemon(true);
      return t;
    });
    long period = timings.nodeMonitorPeriod().toMillis();
    timer.scheduleWithFixedDelay(this::monitor, period, period, TimeUnit.MILLISECONDS);
    LOG.info("component=node-lifecycle-controller msg=\"started\" periodMs={} graceMs={}", period,
        timings.nodeMonitorGracePeriod().toMillis());
  }

  private void monitor() {
    Set<String> seen = new java.util.HashSet<>();
    for (Node node : nodes.getStore().list()) {
      String name = node.getMetadata().getName();
      seen.add(name);
      try {
        monitor(node);
      } catch (KubernetesClientException e) {
        LOG.debug("component=node-lifecycle-controller node={} msg=\"pass failed, retrying next period\" code={} "
            + "error=\"{}\"", name, e.getCode(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("component=node-lifecycle-controller node={} msg=\"pass failed\" error=\"{}\"", name, e.toString());
      }
    }
    health.keySet().retainAll(seen);
  }

  private void monitor(Node cached) {
    // never modify the informer's copy
    Node node = client.getKubernetesSerialization().clone(cached);
    String name = node.getMetadata().getName();
    Instant now = clock.instant();
    Lease lease = leases.getStore().getByKey(LEASE_NAMESPACE + "/" + name);
    String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
        : lease.getSpec().getRenewTime().toInstant().toString();
    String heartbeat = condition(node, "Ready").map(NodeCondition::getLastHeartbeatTime).orElse(null);
    Health h = health.compute(name, (k, old) -> old == null || !Objects.equals(old.renewTime, renew)
        || !Objects.equals(old.heartbeat, heartbeat) ? new Health(renew, heartbeat, now) : old);

    if (Duration.between(h.probeTimestamp, now).compareTo(timings.nodeMonitorGracePeriod()) > 0) {
      Optional<List<NodeCondition>> unknown = unknownConditions(node, now);
      if (unknown.isPresent()) {
        boolean wasReady = NodeView.readyStatus(node).equals("True");
        node.getStatus().setConditions(unknown.get());
        node = client.nodes().resource(node).updateStatus();
        LOG.info("component=node-lifecycle-controller node={} msg=\"kubelet stopped posting status, node "
            + "unknown\" silentForMs={}", name, Duration.between(h.probeTimestamp, now).toMillis());
        if (wasReady) events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
      }
    }

    List<Taint> desired = desiredTaints(node, now);
    if (!desired.equals(taints(node))) {
      node.getSpec().setTaints(desired);
      node = client.nodes().resource(node).update();
      LOG.info("component=node-lifecycle-controller node={} msg=\"taints updated\" taints=\"{}\"", name,
          desired.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList());
    }

    List<Pod> onNode = pods.getIndexer().byIndex(NODE_INDEX, name);
    if (NodeView.readyStatus(node).equals("Unknown")) markPodsNotReady(onNode, now);
    evict(node, onNode, now);
  }

  /** kube marks the pods of a node gone silent not ready, since nobody probes them any more. */
  private void markPodsNotReady(List<Pod> onNode, Instant now) {
    for (Pod pod : onNode) {
      if (pod.getStatus() == null || pod.getStatus().getConditions() == null) continue;
      boolean ready = pod.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) continue;
      patchPodStatus(pod, "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
          + "\"lastTransitionTime\":\"" + rfc3339(now) + "\"}]}}");
    }
  }

  private void evict(Node node, List<Pod> onNode, Instant now) {
    List<Taint> noExecute = taints(node).stream().filter(t -> Taints.NO_EXECUTE.equals(t.getEffect())).toList();
    if (noExecute.isEmpty()) return;
    for (Pod pod : onNode) {
      if (pod.getMetadata().getDeletionTimestamp() != null) continue;
      Optional<Instant> at = evictionTime(pod, noExecute, now);
      if (at.isEmpty() || at.get().isAfter(now)) continue;
      String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      LOG.info("component=node-lifecycle-controller node={} pod={} msg=\"evicting: NoExecute taint\"",
          node.getMetadata().getName(), key);
      events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + key);
      patchPodStatus(pod, "{\"status\":{\"conditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\","
          + "\"reason\":\"DeletionByTaintManager\",\"message\":\"Taint manager: deleting due to NoExecute taint\","
          + "\"lastTransitionTime\":\"" + rfc3339(now) + "\"}]}}");
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }
  }

  private void patchPodStatus(Pod pod, String patch) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  // ---- pure decisions, unit-tested

  /**
   * The node's conditions once its kubelet is presumed gone, or empty when they already say so:
   * kubelet-owned conditions become Unknown ({@code NodeStatusUnknown}), missing ones are added as
   * Unknown ({@code NodeStatusNeverUpdated}); heartbeats are kept.
   */
  static Optional<List<NodeCondition>> unknownConditions(Node node, Instant now) {
    List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    Map<String, NodeCondition> byType = new LinkedHashMap<>();
    current.forEach(c -> byType.put(c.getType(), c));
    boolean changed = false;
    String ts = rfc3339(now);
    for (String type : KUBELET_CONDITIONS) {
      NodeCondition c = byType.get(type);
      if (c == null) {
        String created = node.getMetadata().getCreationTimestamp();
        byType.put(type, new NodeConditionBuilder().withType(type).withStatus("Unknown")
            .withReason("NodeStatusNeverUpdated").withMessage("Kubelet never posted node status.")
            .withLastHeartbeatTime(created).withLastTransitionTime(ts).build());
        changed = true;
      } else if (!"Unknown".equals(c.getStatus())) {
        byType.put(type, new NodeConditionBuilder(c).withStatus("Unknown").withReason("NodeStatusUnknown")
            .withMessage("Kubelet stopped posting node status.").withLastTransitionTime(ts).build());
        changed = true;
      }
    }
    return changed ? Optional.of(new ArrayList<>(byType.values())) : Optional.empty();
  }

  /**
   * The node's taints with the controller-owned ones made to match its conditions: others are kept
   * in place, owned ones that still apply keep their timeAdded, new NoExecute ones get {@code now}.
   */
  static List<Taint> desiredTaints(Node node, Instant now) {
    List<Taint> want = new ArrayList<>();
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    for (NodeCondition c : conditions) {
      String key = CONDITION_TAINTS.getOrDefault(c.getType(), Map.of()).get(c.getStatus());
      if (key != null) want.add(taint(key, Taints.NO_SCHEDULE, null));
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      want.add(taint(Taints.UNSCHEDULABLE, Taints.NO_SCHEDULE, null));
    }
    String ready = NodeView.readyStatus(node);
    if (ready.equals("False")) want.add(taint(Taints.NOT_READY, Taints.NO_EXECUTE, rfc3339(now)));
    if (ready.equals("Unknown")) want.add(taint(Taints.UNREACHABLE, Taints.NO_EXECUTE, rfc3339(now)));

    List<Taint> result = new ArrayList<>();
    for (Taint t : taints(node)) {
      if (!owned(t)) {
        result.add(t);
        continue;
      }
      Optional<Taint> still = want.stream().filter(w -> Taints.sameTaint(w, t)).findFirst();
      if (still.isPresent()) {
        result.add(t);
        want.remove(still.get());
      }
    }
    result.addAll(want);
    return result;
  }

  /**
   * When a pod on a node with these NoExecute taints must go: at once when one is not tolerated,
   * never when all are tolerated without a limit, else the shortest tolerationSeconds after the
   * earliest timeAdded (taints without one count from {@code now}).
   */
  static Optional<Instant> evictionTime(Pod pod, List<Taint> noExecute, Instant now) {
    var tolerations = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
    if (Taints.firstUntolerated(noExecute, tolerations, Taints.NO_EXECUTE).isPresent()) return Optional.of(now);
    OptionalLong seconds = Taints.minTolerationSeconds(tolerations, noExecute);
    if (seconds.isEmpty()) return Optional.empty();
    Instant start = now;
    for (Taint t : noExecute) {
      Instant added = parse(t.getTimeAdded()).orElse(now);
      if (added.isBefore(start)) start = added;
    }
    return Optional.of(start.plusSeconds(seconds.getAsLong()));
  }

  private static boolean owned(Taint t) {
    return Taints.NO_SCHEDULE.equals(t.getEffect()) ? OWNED_NO_SCHEDULE.contains(t.getKey())
        : Taints.NO_EXECUTE.equals(t.getEffect()) && OWNED_NO_EXECUTE.contains(t.getKey());
  }

  private static Taint taint(String key, String effect, String timeAdded) {
    return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(timeAdded).build();
  }

  private static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  private static Optional<NodeCondition> condition(Node node, String type) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) return Optional.empty();
    return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Optional<Instant> parse(String ts) {
    if (ts == null || ts.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Instant.parse(ts));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static String rfc3339(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
    if (leases != null) leases.close();
    if (nodes != null) nodes.close();
    if (events != null) events.close();
  }
}
