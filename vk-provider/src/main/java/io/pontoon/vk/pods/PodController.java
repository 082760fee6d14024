package io.pontoon.vk.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.PontoonNames.Reasons;
import io.pontoon.api.client.LeanWrites;
import io.pontoon.api.controller.CompactStore;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Handlers;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.vk.VkMetrics;
import io.pontoon.vk.node.ProviderHealth;
import io.pontoon.vk.pods.ShadowPodCaches.HomeKey;
import io.pontoon.vk.pods.ShadowPodCaches.TwinNamespaceUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod loop of the virtual kubelet. For each home pod bound to the virtual node it keeps
 * exactly one ShadowPod on the provider (same name, in the twin namespace; the home pod's UID
 * label decides whose it is), copies the remote status back, and carries deletions through
 * both clusters. Every decision is made from the two caches, so a restart at any point converges:
 * missing ShadowPods are created, orphans deleted, nothing duplicated.
 */
public final class PodController implements Reconciler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodController.class);
  /** Per-pod steps with timestamps, at DEBUG, to see where a pod's time goes (benchmark traces). */
  private static final Logger TRACE = LoggerFactory.getLogger(PodController.class.getName() + ".trace");

  private final KubernetesClient home;
  private final KubernetesClient foreign;
  private final ClusterIdentity origin;
  private final String nodeName;
  private final String nodeIp;
  private final ProviderHealth health;
  private final Supplier<IpRemap> remap;
  private final VkMetrics metrics;
  private final HomeEvents events;
  private final SharedIndexInformer<Pod> homePods;
  private final TwinNamespaces twins;
  private final ShadowPodCaches shadows;
  private final ControllerLoop loop;
  private final LeanWrites homeWrites;
  private final LeanWrites foreignWrites;
  private final int workers;
  /**
   * Full home pods (spec included) from watch events, kept only until their ShadowPod exists: the
   * cache holds no specs, and reading each new pod back from the API server cost a round trip
   * per pod on the way to its ShadowPod.
   */
  private final Map<String, Pod> awaitingShadow = new ConcurrentHashMap<>();

  public PodController(KubernetesClient home, KubernetesClient foreign, ClusterIdentity origin,
      String nodeName, String nodeIp, TwinNamespaces twins, ProviderHealth health,
      Supplier<IpRemap> remap, VkMetrics metrics, int workers) {
    this.home = home;
    this.foreign = foreign;
    this.origin = origin;
    this.nodeName = nodeName;
    this.nodeIp = nodeIp;
    this.twins = twins;
    this.health = health;
    this.remap = remap;
    this.metrics = metrics;
    this.workers = workers;
    this.events = new HomeEvents(home, nodeName);
    this.homeWrites = new LeanWrites(home);
    this.foreignWrites = new LeanWrites(foreign);
    this.loop = new ControllerLoop("virtual-kubelet-pods", metrics.timed(this));
    metrics.queueDepth(loop::depth);
    this.shadows = new ShadowPodCaches(foreign, origin.id(), key -> loop.enqueue(key.key()));
    this.homePods = home.pods().inAnyNamespace()
        .withField("spec.nodeName", nodeName)
        .runnableInformer(0);
    // The pod loop reads metadata and status; the spec only when it makes the ShadowPod, and
    // then fetches the pod. Keeping no specs in the cache halves its memory at 10,000 pods.
    homePods.itemStore(new CompactStore<>(Pod.class, home.getKubernetesSerialization(),
        "metadata", "spec.nodeName", "spec.terminationGracePeriodSeconds", "status"));
    homePods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        String key = Handlers.key(p);
        // watch events carry the whole pod; the start-up list hands out the reduced copies
        if (p.getSpec() != null && p.getSpec().getContainers() != null && !p.getSpec().getContainers().isEmpty()) {
          awaitingShadow.put(key, p);
        }
        TRACE.debug("event=pod-added key={}", key);
        loop.enqueue(key);
      }

      @Override
      public void onUpdate(Pod before, Pod p) {
        String key = Handlers.key(p);
        awaitingShadow.computeIfPresent(key, (k, old) -> p.getSpec() != null
            && Objects.equals(old.getMetadata().getUid(), p.getMetadata().getUid()) ? p : null);
        loop.enqueue(key);
      }

      @Override
      public void onDelete(Pod p, boolean finalStateUnknown) {
        String key = Handlers.key(p);
        awaitingShadow.remove(key);
        loop.enqueue(key);
      }
    });
    metrics.offloadedPods(shadows::size);
    health.onChange(state -> enqueueAll());
  }

  /**
   * Lists home pods first (so no ShadowPod is taken for an orphan before its home pod is known),
   * then watches the twin namespaces already in use, whose ShadowPods are all looked at once:
   * that is the start-up resync.
   */
  public void start() throws Exception {
    homePods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Set<String> namespaces = new HashSet<>(twins.known());
    for (String key : homePods.getStore().listKeys()) namespaces.add(twins.of(Handlers.namespaceOf(key)));
    for (String ns : namespaces) {
      try {
        shadows.informer(ns);
      } catch (TwinNamespaceUnavailable e) {
        LOG.info("event=twin-namespace-unavailable namespace={} message=\"{}\"", ns, e.getMessage());
      }
    }
    loop.start(workers);
    LOG.info("event=pod-loop-started node={} homePods={} twinNamespaces={}", nodeName,
        homePods.getStore().listKeys().size(), shadows.watchedNamespaces());
  }

  /** Looks at every known pod again (provider came back, network remap changed…). */
  public void enqueueAll() {
    // keys only: listing the reduced cache would rebuild every pod
    for (String key : homePods.getStore().listKeys()) loop.enqueue(key);
    for (ShadowPod s : shadows.all()) {
      HomeKey k = ShadowPodCaches.homeKey(s);
      if (k != null) loop.enqueue(k.key());
    }
  }

  /** Pods of home namespace {@code namespace}: its twin namespace may have changed. */
  public void enqueueNamespace(String namespace) {
    String prefix = namespace + "/";
    for (String key : homePods.getStore().listKeys()) {
      if (key.startsWith(prefix)) loop.enqueue(key);
    }
  }

  public int queueDepth() {
    return loop.depth();
  }

  public SharedIndexInformer<Pod> homePods() {
    return homePods;
  }

  @Override
  public Result reconcile(String key) {
    TRACE.debug("event=reconcile key={}", key);
    int slash = key.indexOf('/');
    String namespace = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Pod pod = homePods.getStore().getByKey(key);
    String twin = twins.of(namespace);
    ShadowPod shadow;
    try {
      shadow = shadows.get(twin, name);
    } catch (TwinNamespaceUnavailable e) {
      if (pod != null && pod.getMetadata().getDeletionTimestamp() == null) {
        backOff(pod, e.getMessage());
      } else if (pod != null && !health.reachable()) {
        return Result.after(Duration.ofSeconds(5));
      } else if (pod != null) {
        // no twin namespace, so nothing runs remotely: finish the deletion here
        finishHomeDeletion(pod);
        return Result.done();
      }
      throw e;
    }
    if (pod == null) {
      awaitingShadow.remove(key);
      deleteOrphan(shadow);
      return Result.done();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      awaitingShadow.remove(key);
      return delete(pod, twin, shadow);
    }
    if (shadow != null && !Objects.equals(uid(shadow), pod.getMetadata().getUid())) {
      // a ShadowPod of an earlier pod with the same name (a StatefulSet's, say): remove it first
      deleteOrphan(shadow);
      return Result.after(Duration.ofMillis(200));
    }
    if (shadow == null) {
      if (isTerminal(pod)) {
        awaitingShadow.remove(key);
        return Result.done();
      }
      Pod full = awaitingShadow.get(key);
      if (full == null || !Objects.equals(full.getMetadata().getUid(), pod.getMetadata().getUid())) {
        // known only from the start-up list (no spec kept): read it
        full = home.pods().inNamespace(namespace).withName(name).get();
        if (full == null || full.getMetadata().getDeletionTimestamp() != null) return Result.done(); // events follow
      }
      Optional<String> refusal = ShadowPods.refusal(full);
      if (refusal.isPresent()) {
        awaitingShadow.remove(key);
        reject(full, refusal.get());
        return Result.done();
      }
      Result r = create(full, twin);
      if (r.requeueAfter().isEmpty()) awaitingShadow.remove(key, full); // created, or refused for good
      return r;
    }
    awaitingShadow.remove(key);
    syncLabels(pod, shadow);
    syncStatus(pod, shadow);
    return Result.done();
  }

  private Result create(Pod pod, String twin) {
    if (!health.reachable()) {
      backOff(pod, health.state().message());
      return Result.after(Duration.ofSeconds(2));
    }
    ShadowPod shadow = ShadowPods.of(pod, twin, origin);
    try {
      TRACE.debug("event=shadowpod-create key={}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      foreignWrites.create(shadow);
      metrics.shadowPodCreated(pod);
      TRACE.debug("event=shadowpod-created key={}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      LOG.debug("event=shadowpod-created pod={}/{} twinNamespace={}", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), twin);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return Result.done(); // it exists; its informer event brings it here
      if (e.getCode() == 404 || e.getCode() == 403) {
        backOff(pod, "cannot create the ShadowPod in twin namespace " + twin + " on the provider ("
            + e.getStatus().getMessage() + "); is namespace " + pod.getMetadata().getNamespace()
            + " offloaded? Try: pontoon offload namespace " + pod.getMetadata().getNamespace());
      } else if (e.getCode() == 422) {
        reject(pod, "the provider refused the pod: " + e.getStatus().getMessage());
        return Result.done();
      }
      throw e;
    }
    return Result.done();
  }

  private Result delete(Pod pod, String twin, ShadowPod shadow) {
    if (shadow == null) {
      // the cache may lag a just-created ShadowPod: ask before finishing the home deletion
      ShadowPod live;
      try {
        live = foreign.resources(ShadowPod.class).inNamespace(twin).withName(pod.getMetadata().getName()).get();
      } catch (KubernetesClientException e) {
        if (!health.reachable()) return Result.after(Duration.ofSeconds(2));
        throw e;
      }
      if (live != null && Objects.equals(uid(live), pod.getMetadata().getUid())) {
        shadow = live;
      } else {
        finishHomeDeletion(pod);
        return Result.done();
      }
    }
    if (!Objects.equals(uid(shadow), pod.getMetadata().getUid())) {
      finishHomeDeletion(pod);
      return Result.done();
    }
    if (shadow.getMetadata().getDeletionTimestamp() == null) {
      long grace = gracePeriod(pod);
      foreign.resources(ShadowPod.class).inNamespace(twin).withName(shadow.getMetadata().getName())
          .edit(s -> {
            s.getMetadata().setAnnotations(with(s.getMetadata().getAnnotations(),
                PontoonNames.ANNOTATION_DELETION_GRACE_PERIOD, Long.toString(grace)));
            return s;
          });
      foreign.resources(ShadowPod.class).inNamespace(twin).withName(shadow.getMetadata().getName())
          .withGracePeriod(grace).delete();
      LOG.debug("event=shadowpod-deleting pod={}/{} gracePeriodSeconds={}", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), grace);
    } else if (shadow.getStatus() != null && shadow.getStatus().getPod() != null) {
      syncStatus(pod, shadow);
    }
    // the ShadowPod's removal is an informer event that brings this key back
    return Result.after(Duration.ofSeconds(30));
  }

  private void finishHomeDeletion(Pod pod) {
    String options = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
        + "\"preconditions\":{\"uid\":\"" + pod.getMetadata().getUid() + "\"}}";
    try {
      homeWrites.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), options);
      metrics.podDeleted();
      LOG.debug("event=home-pod-deleted pod={}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      // 404: already gone; 409: the UID differs, so it is another pod that is not ours to delete
      if (e.getCode() != 404 && e.getCode() != 409) throw e;
    }
  }

  private void deleteOrphan(ShadowPod shadow) {
    if (shadow == null || shadow.getMetadata().getDeletionTimestamp() != null) return;
    try {
      foreign.resources(ShadowPod.class).inNamespace(shadow.getMetadata().getNamespace())
          .withName(shadow.getMetadata().getName()).delete();
      LOG.info("event=orphan-shadowpod-deleted shadowPod={}/{} homePodUID={}", shadow.getMetadata().getNamespace(),
          shadow.getMetadata().getName(), uid(shadow));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  private void syncLabels(Pod pod, ShadowPod shadow) {
    Map<String, String> desired = ShadowPods.podLabels(pod, origin);
    if (Objects.equals(desired, shadow.getSpec().getLabels())) return;
    foreign.resources(ShadowPod.class).inNamespace(shadow.getMetadata().getNamespace())
        .withName(shadow.getMetadata().getName())
        .edit(s -> {
          s.getSpec().setLabels(desired);
          return s;
        });
  }

  private void syncStatus(Pod pod, ShadowPod shadow) {
    PodStatus desired;
    if (!health.reachable()) {
      desired = HomeStatus.unreachable(pod.getStatus(), health.state().message(), Instant.now());
    } else if (shadow.getStatus() != null && shadow.getStatus().getPod() != null) {
      desired = HomeStatus.from(pod, shadow.getStatus().getPod(), remap.get(), nodeIp);
    } else if (shadow.getStatus() != null
        && Conditions.isFalse(shadow.getStatus().getConditions(), ConditionTypes.ADMITTED)) {
      String message = Conditions.find(shadow.getStatus().getConditions(), ConditionTypes.ADMITTED)
          .map(c -> c.getReason() + ": " + c.getMessage()).orElse("not admitted");
      desired = HomeStatus.backOff(pod, Reasons.OFFLOADING_BACK_OFF, "the provider did not admit the pod: " + message);
      if (!Objects.equals(desired.getMessage(), pod.getStatus() == null ? null : pod.getStatus().getMessage())) {
        events.warning(pod, Reasons.OFFLOADING_BACK_OFF, desired.getMessage());
      }
    } else {
      return;
    }
    writeStatus(pod, desired);
  }

  private void backOff(Pod pod, String message) {
    PodStatus desired = HomeStatus.backOff(pod, Reasons.OFFLOADING_BACK_OFF, message);
    if (writeStatus(pod, desired)) events.warning(pod, Reasons.OFFLOADING_BACK_OFF, message);
    metrics.error(Reasons.OFFLOADING_BACK_OFF);
  }

  private void reject(Pod pod, String message) {
    PodStatus desired = HomeStatus.rejected(pod, Reasons.OFFLOADING_BACK_OFF, message);
    if (writeStatus(pod, desired)) {
      events.warning(pod, Reasons.OFFLOADING_BACK_OFF, message);
      LOG.info("event=pod-rejected pod={}/{} reason=\"{}\"", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), message);
    }
    metrics.error("Rejected");
  }

  /**
   * Writes {@code desired} when it differs; true when written. A merge patch of the status
   * subresource (fields no longer wanted set to null), as kubelet patches status: no spec needed.
   */
  private boolean writeStatus(Pod pod, PodStatus desired) {
    if (Objects.equals(desired, pod.getStatus())) return false;
    var json = home.getKubernetesSerialization();
    ObjectNode status = json.convertValue(desired, ObjectNode.class);
    if (pod.getStatus() != null) {
      ObjectNode current = json.convertValue(pod.getStatus(), ObjectNode.class);
      current.fieldNames().forEachRemaining(f -> {
        if (!status.has(f)) status.putNull(f);
      });
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("status", status);
    homeWrites.patch(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
        PatchType.JSON_MERGE, body.toString());
    return true;
  }

  private static long gracePeriod(Pod pod) {
    Long g = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (g == null) g = pod.getSpec().getTerminationGracePeriodSeconds();
    return g == null ? 30 : g;
  }

  private static boolean isTerminal(Pod pod) {
    String phase = phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static String uid(ShadowPod s) {
    String fromLabel = s.getMetadata().getLabels() == null ? null
        : s.getMetadata().getLabels().get(PontoonNames.LABEL_HOME_POD_UID);
    return fromLabel != null ? fromLabel : s.getSpec() == null ? null : s.getSpec().getHomePodUID();
  }

  private static Map<String, String> with(Map<String, String> m, String k, String v) {
    Map<String, String> next = new java.util.LinkedHashMap<>(m == null ? Map.of() : m);
    next.put(k, v);
    return next;
  }

  @Override
  public void close() {
    loop.close();
    homePods.close();
    shadows.close();
  }
}
