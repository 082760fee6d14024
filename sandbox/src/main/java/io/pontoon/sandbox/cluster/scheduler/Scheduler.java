package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default scheduler: binds pending pods of {@code default-scheduler} to nodes through
 * {@code pods/binding}. Informers keep a {@link SchedulerCache} of nodes and of what bound pods
 * take; workers take pods from a de-duplicating queue, choose and assume a node under the cache's
 * lock, and bind outside it, so several bindings are in flight at once. A pod that fits nowhere
 * gets {@code PodScheduled=False/Unschedulable} and a FailedScheduling event, and is tried again
 * when a node appears or changes, when a pod leaves a node, and every {@link #RETRY_PERIOD}.
 */
public final class Scheduler implements ClusterComponent {
  public static final String NAME = "default-scheduler";
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  /** kube retries unschedulable pods at the latest after 5 minutes; a sandbox is smaller. */
  static final Duration RETRY_PERIOD = Duration.ofSeconds(30);

  private final int workers;
  private final Clock clock;
  private final SchedulerCache cache = new SchedulerCache();
  private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
  private KubernetesClient client;
  private EventRecorder events;
  private ControllerLoop loop;
  private SharedIndexInformer<Node> nodeInformer;
  private SharedIndexInformer<Pod> podInformer;
  private ScheduledExecutorService timer;

  /**
   * 16 workers: a bind is one API round trip, and with 8 the benchmark's pods waited seconds for
   * one while 16 kept up with 16 creating clients (p50 created→bound ~0.1 s).
   */
  public Scheduler() {
    this(16, Clock.systemUTC());
  }

  public Scheduler(int workers, Clock clock) {
    this.workers = workers;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "scheduler";
  }

  @Override
  public void start(ClusterContext context) {
    client = context.client();
    events = new EventRecorder(client, NAME, clock);
    loop = new ControllerLoop("scheduler", this::reconcile);
    nodeInformer = client.nodes().inform(new NodeHandler());
    podInformer = context.informers().pods();
    podInformer.addEventHandler(new PodHandler());
    loop.start(workers);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scheduler-retry");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::retryUnschedulable, RETRY_PERIOD.toMillis(), RETRY_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("component=scheduler msg=\"started\" workers={} nodes={}", workers, cache.nodeCount());
  }

  /** Whether this scheduler owes the pod a node. */
  static boolean needsScheduling(Pod pod) {
    var spec = pod.getSpec();
    if (spec == null) return false;
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) return false;
    String schedulerName = spec.getSchedulerName();
    if (schedulerName != null && !schedulerName.isEmpty() && !schedulerName.equals(NAME)) return false;
    if (pod.getMetadata().getDeletionTimestamp() != null) return false;
    if (spec.getSchedulingGates() != null && !spec.getSchedulingGates().isEmpty()) return false;
    return !SchedulerCache.isTerminal(pod);
  }

  private Reconciler.Result reconcile(String key) {
    Pod pod = podInformer.getStore().getByKey(key);
    if (pod == null || !needsScheduling(pod)) {
      unschedulable.remove(key);
      return Reconciler.Result.done();
    }
    SchedulerCache.Decision d = cache.scheduleAndAssume(key, PodInfo.of(pod));
    if (d == null) return Reconciler.Result.done();
    if (d.node() == null) {
      unschedulable.add(key);
      String message = d.error().message();
      LOG.debug("component=scheduler pod={} msg=\"unschedulable\" reason=\"{}\"", key, message);
      markUnschedulable(pod, message);
      events.warning(pod, "FailedScheduling", message);
      return Reconciler.Result.done();
    }
    try {
      bind(pod, d.node());
    } catch (KubernetesClientException e) {
      cache.forgetAssumed(key);
      // bound by someone else, or gone: the informer tells the cache what happened
      if (e.getCode() == 409 || e.getCode() == 404) return Reconciler.Result.done();
      throw e;
    } catch (RuntimeException e) {
      cache.forgetAssumed(key);
      throw e;
    }
    unschedulable.remove(key);
    String ns = pod.getMetadata().getNamespace();
    events.normal(pod, "Scheduled", "Successfully assigned " + ns + "/" + pod.getMetadata().getName() + " to "
        + d.node());
    return Reconciler.Result.done();
  }

  private void bind(Pod pod, String node) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Binding binding = new BindingBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .withUid(pod.getMetadata().getUid()).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget().build();
    // fabric8 has no typed call for the pods/binding subresource (bindings() posts to the
    // namespace's bindings collection instead)
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + ns + "/pods/"
        + name + "/binding";
    String response = client.raw(url, "POST", binding);
    if (response == null) throw new KubernetesClientException("pod " + ns + "/" + name + " not found", 404, null);
  }

  /** Writes PodScheduled=False through pods/status, unless it already says the same. */
  private void markUnschedulable(Pod pod, String message) {
    PodCondition current = pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
        : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
            .orElse(null);
    if (current != null && "False".equals(current.getStatus()) && "Unschedulable".equals(current.getReason())
        && message.equals(current.getMessage())) {
      return;
    }
    String transition = current != null && "False".equals(current.getStatus()) && current.getLastTransitionTime() != null
        ? current.getLastTransitionTime() : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    String patch = "{\"status\":{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
        + "\"reason\":\"Unschedulable\",\"message\":" + jsonString(message) + ",\"lastProbeTime\":null,"
        + "\"lastTransitionTime\":\"" + transition + "\"}]}}";
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  static String jsonString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  private void retryUnschedulable() {
    for (String key : List.copyOf(unschedulable)) loop.enqueue(key);
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private final class NodeHandler implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node node) {
      if (cache.upsertNode(node)) retryUnschedulable();
    }

    @Override
    public void onUpdate(Node oldNode, Node newNode) {
      // heartbeats change nothing the scheduler reads: only retry when the node's view changed
      if (cache.upsertNode(newNode)) retryUnschedulable();
    }

    @Override
    public void onDelete(Node node, boolean deletedFinalStateUnknown) {
      cache.removeNode(node.getMetadata().getName());
    }
  }

  private final class PodHandler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      String key = key(pod);
      cache.observe(key, pod);
      if (needsScheduling(pod)) loop.enqueue(key);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      String key = key(newPod);
      if (cache.observe(key, newPod)) retryUnschedulable();
      if (!needsScheduling(newPod)) return;
      // our own status writes must not loop: a pod known unschedulable is retried only when its
      // spec or labels changed (or by the triggers above)
      if (!unschedulable.contains(key) || !Objects.equals(oldPod.getSpec(), newPod.getSpec())
          || !Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())) {
        loop.enqueue(key);
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      String key = key(pod);
      unschedulable.remove(key);
      if (cache.forgetPod(key)) retryUnschedulable();
    }
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
    if (loop != null) loop.close();
    if (nodeInformer != null) nodeInformer.close();
    if (events != null) events.close();
  }
}
