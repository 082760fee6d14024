package io.pontoon.peering.offloading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.PontoonNames.Reasons;
import io.pontoon.api.client.LeanWrites;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Handlers;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.api.v1alpha1.ShadowPodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider side: turns each ShadowPod into a Pod of the same name and keeps it, copies the Pod's
 * status back, and enforces the consumer's ResourceSlice grant as a quota.
 *
 * <p>Everything a reconcile reads comes from informer caches (ShadowPods, Pods, ResourceSlices)
 * and the in-memory {@link QuotaLedger}; it writes only what differs, so 10,000 ShadowPods cost
 * 10,000 creates plus the status copies, and nothing more.
 */
public final class ShadowPodController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowPodController.class);
  static final String INDEX_ORIGIN = "origin";
  static final String INDEX_CONSUMER = "consumer";
  /** Reason when the pod ended and, as its restart policy says, is not made again. */
  static final String REASON_POD_TERMINATED = "PodTerminated";
  static final String REASON_TERMINATING = "Terminating";
  /**
   * At most one copy of a Pod's status per window and ShadowPod: a starting pod changes three or
   * four times within a few hundred milliseconds (created, bound, ContainerCreating, Running),
   * and each copy is a write here and one more in the consumer's cluster. The first change is
   * copied at once, later ones in the window together at its end (as the kubelet's status manager
   * batches its own updates).
   */
  static final Duration STATUS_COPY_WINDOW = Duration.ofMillis(250);

  private final KubernetesClient client;
  private final int workers;
  private final QuotaLedger ledger = new QuotaLedger();
  private final ControllerLoop loop;
  private final LeanWrites writes;
  /** When each ShadowPod's status last took a copy of its Pod's (nanoTime), for {@link #STATUS_COPY_WINDOW}. */
  private final Map<String, Long> lastStatusCopy = new ConcurrentHashMap<>();
  private SharedIndexInformer<ShadowPod> shadowPods;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<ResourceSlice> slices;

  public ShadowPodController(KubernetesClient client, int workers) {
    this.client = client;
    this.workers = workers;
    this.loop = new ControllerLoop("shadowpods", this::reconcile);
    this.writes = new LeanWrites(client);
  }

  public void start() {
    shadowPods = client.resources(ShadowPod.class).inAnyNamespace()
        .withLabel(PontoonNames.LABEL_ORIGIN_CLUSTER_ID).runnableInformer(0);
    shadowPods.addIndexers(Map.of(INDEX_ORIGIN, sp -> List.of(origin(sp))));
    shadowPods.addEventHandler(Handlers.onAny(sp -> loop.enqueue(Handlers.key(sp))));
    pods = client.pods().inAnyNamespace().withLabel(PontoonNames.LABEL_HOME_POD_UID).runnableInformer(0);
    pods.addEventHandler(Handlers.onAny(p -> loop.enqueue(Handlers.key(p))));
    slices = client.resources(ResourceSlice.class).inAnyNamespace().runnableInformer(0);
    slices.addIndexers(Map.of(INDEX_CONSUMER, s -> s.getSpec() == null || s.getSpec().getConsumerClusterID() == null
        ? List.of() : List.of(s.getSpec().getConsumerClusterID())));
    slices.addEventHandler(Handlers.onAny(this::grantChanged));
    try {
      slices.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      pods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      shadowPods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("ShadowPod controller could not list its objects: " + e.getMessage(), e);
    }
    // Pods that exist already hold their share of the grant before anything new is admitted.
    for (ShadowPod sp : shadowPods.getStore().list()) {
      Pod pod = pods.getStore().getByKey(Handlers.key(sp));
      if (pod != null && ownedBy(pod, sp) && !terminal(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
        ledger.record(origin(sp), Handlers.key(sp), PodRequests.of(sp.getSpec().getPod()));
      }
    }
    loop.start(workers);
    LOG.info("controller=shadowpods started workers={} shadowPods={}", workers, shadowPods.getStore().list().size());
  }

  public int queueDepth() {
    return loop.depth();
  }

  private void grantChanged(ResourceSlice slice) {
    if (slice.getSpec() == null || slice.getSpec().getConsumerClusterID() == null || shadowPods == null) {
      return;
    }
    for (ShadowPod sp : shadowPods.getIndexer().byIndex(INDEX_ORIGIN, slice.getSpec().getConsumerClusterID())) {
      if (!ledger.isAdmitted(origin(sp), Handlers.key(sp))) {
        loop.enqueue(Handlers.key(sp));
      }
    }
  }

  Reconciler.Result reconcile(String key) {
    ShadowPod sp = shadowPods.getStore().getByKey(key);
    Pod pod = pods.getStore().getByKey(key);
    if (sp == null) {
      // The ShadowPod is gone; the garbage collector removes its Pod through the owner reference.
      requeue(ledger.forget(key));
      lastStatusCopy.remove(key);
      return Reconciler.Result.done();
    }
    String origin = origin(sp);
    if (pod != null && !ownedBy(pod, sp)) {
      // A Pod of the same name left by an earlier ShadowPod: remove it before making ours.
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
      }
      return Reconciler.Result.after(Duration.ofSeconds(1));
    }
    if (sp.getMetadata().getDeletionTimestamp() != null) {
      return finish(key, sp, pod);
    }
    if (!hasFinalizer(sp)) {
      // Written before any Pod exists, so a Pod never outlives a ShadowPod unnoticed; the pass
      // goes on with the patched object instead of waiting for its event.
      sp = setFinalizer(sp, true);
    }
    ShadowPodStatus current = sp.getStatus() == null ? new ShadowPodStatus() : sp.getStatus();
    ShadowPodStatus next = new ShadowPodStatus();
    next.setPod(current.getPod());
    next.setConditions(new ArrayList<>(current.getConditions()));
    Long gen = sp.getMetadata().getGeneration();

    if (pod != null) {
      next.setPod(pod.getStatus());
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (terminal(phase)) {
        requeue(ledger.release(origin, key));
      } else {
        ledger.record(origin, key, PodRequests.of(sp.getSpec().getPod()));
      }
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.ADMITTED, true, Reasons.SUCCEEDED,
          "admitted within the consumer's grant", gen));
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.POD_CREATED, true, Reasons.SUCCEEDED,
          "pod " + key + " exists", gen));
      return copyStatus(key, sp, current, next);
    }

    String lastPhase = current.getPod() == null ? null : current.getPod().getPhase();
    if (terminal(lastPhase)) {
      // The pod ran to completion (or failed) and was removed since: as with restartPolicy on a
      // node, a terminal pod is not made again.
      requeue(ledger.release(origin, key));
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.POD_CREATED, false, REASON_POD_TERMINATED,
          "pod ended in phase " + lastPhase + " and is not created again", gen));
      writeStatus(sp, current, next);
      return Reconciler.Result.done();
    }
    if (sp.getSpec() == null || sp.getSpec().getPod() == null) {
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.ADMITTED, false, "InvalidSpec",
          "spec.pod is missing; the consumer must send the pod spec", gen));
      writeStatus(sp, current, next);
      return Reconciler.Result.done();
    }
    QuotaLedger.Decision decision = ledger.admit(origin, key, PodRequests.of(sp.getSpec().getPod()), grantFor(sp));
    if (!decision.admitted()) {
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.ADMITTED, false, Reasons.QUOTA_EXCEEDED,
          decision.message(), gen));
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.POD_CREATED, false, Reasons.QUOTA_EXCEEDED,
          "pod not created: over quota", gen));
      writeStatus(sp, current, next);
      return Reconciler.Result.done(); // queued again when the grant grows or a pod ends
    }
    try {
      writes.create(podFor(sp));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Reconciler.Result.after(Duration.ofMillis(200)); // the cache has not seen it yet
      }
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.POD_CREATED, false, Reasons.OFFLOADING_BACK_OFF,
          "creating the pod failed: " + e.getMessage(), gen));
      writeStatus(sp, current, next);
      throw e;
    }
    // The Pod's add event queues this key again and that pass writes the status once, with the
    // Pod's status: one status write per new pod instead of two.
    return Reconciler.Result.done();
  }

  private Reconciler.Result copyStatus(String key, ShadowPod sp, ShadowPodStatus current, ShadowPodStatus next) {
    if (next.equals(current) && sp.getStatus() != null) {
      return Reconciler.Result.done();
    }
    long now = System.nanoTime();
    Long last = lastStatusCopy.get(key);
    if (last != null && now - last < STATUS_COPY_WINDOW.toNanos()) {
      return Reconciler.Result.after(Duration.ofNanos(STATUS_COPY_WINDOW.toNanos() - (now - last)));
    }
    writeStatus(sp, current, next);
    lastStatusCopy.put(key, now);
    return Reconciler.Result.done();
  }

  private static Long annotatedGracePeriod(ShadowPod sp) {
    String v = sp.getMetadata().getAnnotations() == null ? null
        : sp.getMetadata().getAnnotations().get(PontoonNames.ANNOTATION_DELETION_GRACE_PERIOD);
    if (v == null) {
      return sp.getMetadata().getDeletionGracePeriodSeconds();
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Deletion: Pod first, with the ShadowPod's grace period; the finalizer once it is gone. */
  private Reconciler.Result finish(String key, ShadowPod sp, Pod pod) {
    if (pod != null) {
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        // Custom resources have no graceful deletion (the API server records 0), so the virtual
        // kubelet writes the home pod's grace period into an annotation before deleting; without
        // one the Pod gets its own terminationGracePeriodSeconds.
        Long grace = annotatedGracePeriod(sp);
        var op = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        if (grace != null && grace > 0) {
          op.withGracePeriod(grace).delete();
        } else {
          op.delete();
        }
        LOG.debug("controller=shadowpods key={} action=deletePod grace={}", key, grace);
      }
      return Reconciler.Result.after(Duration.ofSeconds(5)); // the Pod's deletion event comes first
    }
    requeue(ledger.release(origin(sp), key));
    if (hasFinalizer(sp)) {
      setFinalizer(sp, false);
    }
    return Reconciler.Result.done();
  }

  private void requeue(Iterable<String> keys) {
    keys.forEach(loop::enqueue);
  }

  /** The grant of the ShadowPod's consumer: its ResourceSlice, preferably in its tenant namespace. */
  private QuotaLedger.Grant grantFor(ShadowPod sp) {
    List<ResourceSlice> candidates = slices.getIndexer().byIndex(INDEX_CONSUMER, origin(sp));
    if (candidates.isEmpty()) {
      return null;
    }
    String originName = sp.getMetadata().getAnnotations() == null ? null
        : sp.getMetadata().getAnnotations().get(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME);
    ResourceSlice chosen = null;
    for (ResourceSlice s : candidates) {
      if (originName != null && PontoonNames.isDns1123Label(originName)
          && PontoonNames.tenantNamespace(originName).equals(s.getMetadata().getNamespace())) {
        chosen = s;
        break;
      }
    }
    if (chosen == null) {
      chosen = candidates.get(0);
    }
    return chosen.getStatus() == null ? null : QuotaLedger.Grant.of(chosen.getStatus().getResources());
  }

  private Pod podFor(ShadowPod sp) {
    Map<String, String> labels = new HashMap<>();
    if (sp.getSpec().getLabels() != null) {
      labels.putAll(sp.getSpec().getLabels());
    }
    labels.put(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin(sp));
    labels.put(PontoonNames.LABEL_HOME_POD_UID, homePodUid(sp));
    labels.put(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE);
    Map<String, String> annotations = new HashMap<>();
    if (sp.getSpec().getAnnotations() != null) {
      annotations.putAll(sp.getSpec().getAnnotations());
    }
    Map<String, String> spAnnotations = sp.getMetadata().getAnnotations();
    if (spAnnotations != null && spAnnotations.containsKey(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME)) {
      annotations.put(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME, spAnnotations.get(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME));
    }
    if (sp.getSpec().getHomePodName() != null) {
      annotations.put(PontoonNames.ANNOTATION_HOME_POD_NAME, sp.getSpec().getHomePodName());
    }
    if (sp.getSpec().getHomePodNamespace() != null) {
      annotations.put(PontoonNames.ANNOTATION_HOME_POD_NAMESPACE, sp.getSpec().getHomePodNamespace());
    }
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion(PontoonNames.API_VERSION).withKind("ShadowPod")
        .withName(sp.getMetadata().getName()).withUid(sp.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
    return new PodBuilder()
        .withNewMetadata()
        .withName(sp.getMetadata().getName())
        .withNamespace(sp.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(owner)
        .endMetadata()
        .withSpec(sp.getSpec().getPod())
        .build();
  }

  /**
   * Replaces the status with one JSON patch of the status subresource: this controller is its only
   * writer (one worker per key), so no resourceVersion is needed, and the spec is not sent again.
   */
  private void writeStatus(ShadowPod sp, ShadowPodStatus current, ShadowPodStatus next) {
    if (next.equals(current) && sp.getStatus() != null) {
      return;
    }
    var json = client.getKubernetesSerialization();
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch.addObject().put("op", "add").put("path", "/status").set("value", json.convertValue(next, ObjectNode.class));
    writes.patch(ShadowPod.class, sp.getMetadata().getNamespace(), sp.getMetadata().getName(), "status",
        PatchType.JSON, patch.toString());
  }

  private ShadowPod setFinalizer(ShadowPod sp, boolean present) {
    List<String> finalizers = new ArrayList<>(
        sp.getMetadata().getFinalizers() == null ? List.of() : sp.getMetadata().getFinalizers());
    finalizers.remove(PontoonNames.FINALIZER_SHADOW_POD);
    if (present) {
      finalizers.add(PontoonNames.FINALIZER_SHADOW_POD);
    }
    return (ShadowPod) Finalizers.patch(client.resources(ShadowPod.class).inNamespace(sp.getMetadata().getNamespace())
        .withName(sp.getMetadata().getName()), sp.getMetadata(), finalizers);
  }

  private static boolean hasFinalizer(ShadowPod sp) {
    return sp.getMetadata().getFinalizers() != null
        && sp.getMetadata().getFinalizers().contains(PontoonNames.FINALIZER_SHADOW_POD);
  }

  static boolean ownedBy(Pod pod, ShadowPod sp) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
      if (Objects.equals(ref.getUid(), sp.getMetadata().getUid())) {
        return true;
      }
    }
    return false;
  }

  static boolean terminal(String phase) {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String origin(ShadowPod sp) {
    String fromLabel = sp.getMetadata().getLabels() == null ? null
        : sp.getMetadata().getLabels().get(PontoonNames.LABEL_ORIGIN_CLUSTER_ID);
    return fromLabel != null ? fromLabel : String.valueOf(sp.getSpec().getOriginClusterID());
  }

  private static String homePodUid(ShadowPod sp) {
    String fromLabel = sp.getMetadata().getLabels() == null ? null
        : sp.getMetadata().getLabels().get(PontoonNames.LABEL_HOME_POD_UID);
    return fromLabel != null ? fromLabel : sp.getSpec().getHomePodUID();
  }

  @Override
  public void close() {
    loop.close();
    if (shadowPods != null) shadowPods.close();
    if (pods != null) pods.close();
    if (slices != null) slices.close();
  }
}
