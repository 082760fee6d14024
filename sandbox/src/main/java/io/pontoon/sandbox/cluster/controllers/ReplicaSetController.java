package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's ReplicaSet controller: keeps {@code spec.replicas} active pods made
 * from the template, adopts matching orphans and releases pods that stop matching, deletes the
 * best candidates first when there are too many, and reports replicas, fullyLabeledReplicas,
 * readyReplicas and availableReplicas through {@code replicasets/status}.
 */
public final class ReplicaSetController implements ClusterComponent, Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetController.class);
  /** At most this many pods are created or deleted in one sync, as kube's burstReplicas. */
  static final int BURST_REPLICAS = 500;
  private static final String BY_CONTROLLER = io.pontoon.sandbox.cluster.SharedInformers.PODS_BY_CONTROLLER;
  private static final Duration EXPECTATIONS_TTL = Duration.ofMinutes(1);

  private final Expectations expectations = new Expectations(EXPECTATIONS_TTL);
  private KubernetesClient client;
  private KubernetesSerialization serialization;
  private EventRecorder events;
  private SharedIndexInformer<ReplicaSet> replicaSets;
  private SharedIndexInformer<Pod> pods;
  private ControllerLoop loop;
  private ExecutorService writers;

  @Override
  public String name() {
    return "replicaset-controller";
  }

  @Override
  public void start(ClusterContext context) {
    client = context.client();
    serialization = client.getKubernetesSerialization();
    events = new EventRecorder(client, name());
    writers = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, context.spec().name() + "-" + name() + "-writer");
      t.setDaemon(true);
      return t;
    });
    loop = new ControllerLoop(context.spec().name() + "-" + name(), this);
    replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
    pods = context.informers().pods();
    replicaSets.addEventHandler(Informers.handler(rs -> loop.enqueue(Keys.of(rs)),
        (o, n) -> loop.enqueue(Keys.of(n)),
        rs -> {
          expectations.forget(Keys.of(rs));
          loop.enqueue(Keys.of(rs));
        }));
    pods.addEventHandler(Informers.handler(this::podAdded, this::podUpdated, this::podDeleted));
    Informers.startAndSync(name(), List.of(replicaSets));
    loop.start(5);
  }

  @Override
  public void close() {
    if (loop != null) loop.close();
    Informers.closeAll(java.util.stream.Stream.of(replicaSets).filter(Objects::nonNull).toList());
    if (writers != null) writers.shutdownNow();
  }

  // ---- events -----------------------------------------------------------------------------

  private ReplicaSet controllerOf(Pod pod, OwnerReference ref) {
    if (!"ReplicaSet".equals(ref.getKind())) return null;
    ReplicaSet rs = Informers.get(replicaSets, Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
    return rs != null && rs.getMetadata().getUid().equals(ref.getUid()) ? rs : null;
  }

  private void podAdded(Pod pod) {
    if (PodConditions.isTerminating(pod)) {
      // a pod that shows up already being deleted counts as deleted
      podDeleted(pod);
      return;
    }
    ControllerRefs.of(pod).ifPresentOrElse(ref -> {
      ReplicaSet rs = controllerOf(pod, ref);
      if (rs == null) return;
      expectations.creationObserved(Keys.of(rs));
      loop.enqueue(Keys.of(rs));
    }, () -> enqueueMatching(pod));
  }

  private void podUpdated(Pod old, Pod cur) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) return;
    boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels());
    if (PodConditions.isTerminating(cur) && !PodConditions.isTerminating(old)) {
      // graceful deletion: the pod is as good as gone for the replica count
      podDeleted(cur);
      if (labelsChanged) podDeleted(old);
      return;
    }
    var curRef = ControllerRefs.of(cur);
    var oldRef = ControllerRefs.of(old);
    if (!curRef.equals(oldRef) && oldRef.isPresent()) {
      ReplicaSet rs = controllerOf(old, oldRef.get());
      if (rs != null) loop.enqueue(Keys.of(rs));
    }
    if (curRef.isPresent()) {
      ReplicaSet rs = controllerOf(cur, curRef.get());
      if (rs == null) return;
      loop.enqueue(Keys.of(rs));
      int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
      if (minReady > 0 && !PodConditions.isReady(old) && PodConditions.isReady(cur)) {
        loop.enqueueAfter(Keys.of(rs), Duration.ofSeconds(minReady));
      }
      return;
    }
    if (labelsChanged || !curRef.equals(oldRef)) enqueueMatching(cur);
  }

  private void podDeleted(Pod pod) {
    ControllerRefs.of(pod).ifPresent(ref -> {
      ReplicaSet rs = controllerOf(pod, ref);
      if (rs == null) return;
      expectations.deletionObserved(Keys.of(rs), Keys.of(pod));
      loop.enqueue(Keys.of(rs));
    });
  }

  /** An orphan: every ReplicaSet that could adopt it looks at it. */
  private void enqueueMatching(Pod pod) {
    for (ReplicaSet rs : Informers.inNamespace(replicaSets, pod.getMetadata().getNamespace())) {
      if (Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels())) loop.enqueue(Keys.of(rs));
    }
  }

  // ---- reconcile --------------------------------------------------------------------------

  @Override
  public Result reconcile(String key) throws Exception {
    ReplicaSet rs = Informers.get(replicaSets, key);
    if (rs == null) {
      expectations.forget(key);
      return Result.done();
    }
    boolean needsSync = expectations.satisfied(key);
    List<Pod> active = Informers.inNamespace(pods, rs.getMetadata().getNamespace()).stream()
        .filter(PodConditions::isActive).toList();
    List<Pod> owned = claim(rs, active);
    Exception manageError = null;
    if (needsSync && rs.getMetadata().getDeletionTimestamp() == null) {
      try {
        manage(rs, key, owned);
      } catch (KubernetesClientException e) {
        manageError = e;
      }
    }
    ReplicaSetStatus status = calculateStatus(rs, owned, manageError, Instant.now());
    writeStatus(rs, status);
    if (manageError != null) throw manageError;
    int minReady = minReadySeconds(rs);
    if (minReady > 0 && Objects.equals(status.getReadyReplicas(), status.getReplicas())
        && !Objects.equals(status.getAvailableReplicas(), status.getReplicas())) {
      return Result.after(Duration.ofSeconds(minReady));
    }
    return Result.done();
  }

  private static int minReadySeconds(ReplicaSet rs) {
    return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
  }

  private static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  /**
   * kube's ControllerRefManager.ClaimPods: pods it controls that still match stay; those that do
   * not are released; matching orphans are adopted, unless the ReplicaSet is being deleted.
   */
  private List<Pod> claim(ReplicaSet rs, List<Pod> candidates) {
    List<Pod> owned = new ArrayList<>();
    boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
    Boolean canAdopt = null;
    for (Pod pod : candidates) {
      var ref = ControllerRefs.of(pod);
      boolean matches = Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels());
      if (ref.isPresent()) {
        if (!ref.get().getUid().equals(rs.getMetadata().getUid())) continue;
        if (matches) owned.add(pod);
        else if (!deleting) release(rs, pod);
        continue;
      }
      if (deleting || !matches || PodConditions.isTerminating(pod)) continue;
      if (canAdopt == null) canAdopt = canAdopt(rs);
      if (canAdopt && adopt(rs, pod)) owned.add(pod);
    }
    return owned;
  }

  /** A fresh read: adopting for a ReplicaSet that was replaced or is going away would leak pods. */
  private boolean canAdopt(ReplicaSet rs) {
    ReplicaSet fresh = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName()).get();
    return fresh != null && fresh.getMetadata().getUid().equals(rs.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private boolean adopt(ReplicaSet rs, Pod pod) {
    Pod copy = serialization.clone(pod);
    copy.getMetadata().setOwnerReferences(ControllerRefs.with(pod, ControllerRefs.controllerRef(rs)));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).update();
      LOG.info("controller={} replicaset={} adopted={}", name(), Keys.of(rs), pod.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return false;
      throw e;
    }
  }

  private void release(ReplicaSet rs, Pod pod) {
    Pod copy = serialization.clone(pod);
    copy.getMetadata().setOwnerReferences(ControllerRefs.without(pod, rs.getMetadata().getUid()));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).update();
      LOG.info("controller={} replicaset={} released={}", name(), Keys.of(rs), pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  private void manage(ReplicaSet rs, String key, List<Pod> active) {
    int diff = active.size() - replicas(rs);
    if (diff < 0) {
      int want = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, want);
      int created = 0;
      KubernetesClientException failure = null;
      // slow start: batches of 1, 2, 4, … so a failing create (quota, terminating namespace) fails fast
      for (int batch = 1; created < want && failure == null; batch = Math.min(batch * 2, want)) {
        int size = Math.min(batch, want - created);
        List<CompletableFuture<Pod>> inFlight = new ArrayList<>();
        for (int i = 0; i < size; i++) inFlight.add(CompletableFuture.supplyAsync(() -> createPod(rs), writers));
        for (CompletableFuture<Pod> f : inFlight) {
          try {
            Pod p = f.join();
            created++;
            events.normal(rs, "SuccessfulCreate", "Created pod: " + p.getMetadata().getName());
          } catch (java.util.concurrent.CompletionException e) {
            KubernetesClientException kce = e.getCause() instanceof KubernetesClientException k ? k
                : new KubernetesClientException(String.valueOf(e.getCause()), e.getCause());
            if (terminatingNamespace(kce)) {
              created++; // kube treats this as done: the namespace is going away anyway
              continue;
            }
            failure = kce;
            events.warning(rs, "FailedCreate", "Error creating: " + kce.getMessage());
          }
        }
      }
      for (int i = created; i < want; i++) expectations.creationObserved(key);
      LOG.debug("controller={} replicaset={} want={} created={}", name(), key, want, created);
      if (failure != null) throw failure;
    } else if (diff > 0) {
      int n = Math.min(diff, BURST_REPLICAS);
      List<Pod> victims = PodRanking.podsToDelete(active, relatedPods(rs), n, Instant.now());
      Set<String> victimKeys = victims.stream().map(Keys::of).collect(Collectors.toSet());
      expectations.expectDeletions(key, victimKeys);
      List<CompletableFuture<Void>> inFlight = new ArrayList<>();
      for (Pod p : victims) inFlight.add(CompletableFuture.runAsync(() -> deletePod(key, rs, p), writers));
      KubernetesClientException failure = null;
      for (CompletableFuture<Void> f : inFlight) {
        try {
          f.join();
        } catch (java.util.concurrent.CompletionException e) {
          failure = e.getCause() instanceof KubernetesClientException k ? k
              : new KubernetesClientException(String.valueOf(e.getCause()), e.getCause());
        }
      }
      LOG.debug("controller={} replicaset={} deleted={}", name(), key, victimKeys);
      if (failure != null) throw failure;
    }
  }

  private static boolean terminatingNamespace(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getDetails() != null && e.getStatus().getDetails().getCauses() != null
        && e.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
  }

  /** Pods of the ReplicaSets that share this one's controller (a Deployment's other revisions). */
  private List<Pod> relatedPods(ReplicaSet rs) {
    var owner = ControllerRefs.of(rs);
    List<ReplicaSet> siblings = owner.isEmpty() ? List.of(rs)
        : Informers.inNamespace(replicaSets, rs.getMetadata().getNamespace()).stream()
            .filter(o -> ControllerRefs.of(o).map(r -> r.getUid().equals(owner.get().getUid())).orElse(false))
            .toList();
    List<Pod> related = new ArrayList<>();
    for (ReplicaSet s : siblings) related.addAll(pods.getIndexer().byIndex(BY_CONTROLLER, s.getMetadata().getUid()));
    return related;
  }

  private Pod createPod(ReplicaSet rs) {
    PodTemplateSpec template = rs.getSpec().getTemplate();
    Pod pod = new PodBuilder()
        .withNewMetadata()
          .withGenerateName(rs.getMetadata().getName() + "-")
          .withNamespace(rs.getMetadata().getNamespace())
          .withLabels(template.getMetadata() == null || template.getMetadata().getLabels() == null ? null
              : new HashMap<>(template.getMetadata().getLabels()))
          .withAnnotations(template.getMetadata() == null || template.getMetadata().getAnnotations() == null ? null
              : new HashMap<>(template.getMetadata().getAnnotations()))
          .withFinalizers(template.getMetadata() == null ? null : template.getMetadata().getFinalizers())
          .withOwnerReferences(ControllerRefs.controllerRef(rs))
        .endMetadata()
        .withSpec(serialization.clone(template.getSpec()))
        .build();
    return client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
  }

  private void deletePod(String key, ReplicaSet rs, Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      events.normal(rs, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      expectations.deletionObserved(key, Keys.of(pod));
      if (e.getCode() != 404) {
        events.warning(rs, "FailedDelete", "Error deleting: " + e.getMessage());
        throw e;
      }
    }
  }

  // ---- status -----------------------------------------------------------------------------

  static ReplicaSetStatus calculateStatus(ReplicaSet rs, List<Pod> owned, Exception manageError, Instant now) {
    Map<String, String> templateLabels = rs.getSpec().getTemplate() == null
        || rs.getSpec().getTemplate().getMetadata() == null
        || rs.getSpec().getTemplate().getMetadata().getLabels() == null ? Map.of()
        : rs.getSpec().getTemplate().getMetadata().getLabels();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : owned) {
      Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
      if (labels.entrySet().containsAll(templateLabels.entrySet())) fullyLabeled++;
      if (PodConditions.isReady(p)) ready++;
      if (PodConditions.isAvailable(p, minReadySeconds(rs), now)) available++;
    }
    List<ReplicaSetCondition> conditions = new ArrayList<>();
    ReplicaSetCondition failure = null;
    if (rs.getStatus() != null && rs.getStatus().getConditions() != null) {
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if ("ReplicaFailure".equals(c.getType())) failure = c;
        else conditions.add(c);
      }
    }
    if (manageError != null) {
      boolean creating = owned.size() < replicas(rs);
      if (failure == null) {
        failure = new ReplicaSetConditionBuilder().withType("ReplicaFailure").withStatus("True")
            .withReason(creating ? "FailedCreate" : "FailedDelete").withMessage(manageError.getMessage())
            .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build();
      }
      conditions.add(failure);
    }
    return new ReplicaSetStatusBuilder()
        .withReplicas(owned.size())
        .withFullyLabeledReplicas(DeploymentController.omitZero(fullyLabeled))
        .withReadyReplicas(DeploymentController.omitZero(ready))
        .withAvailableReplicas(DeploymentController.omitZero(available))
        .withObservedGeneration(rs.getMetadata().getGeneration())
        .withConditions(conditions.isEmpty() ? null : conditions)
        .build();
  }

  private static boolean sameStatus(ReplicaSetStatus a, ReplicaSetStatus b) {
    if (a == null) return false;
    return Objects.equals(nz(a.getReplicas()), nz(b.getReplicas()))
        && Objects.equals(nz(a.getFullyLabeledReplicas()), nz(b.getFullyLabeledReplicas()))
        && Objects.equals(nz(a.getReadyReplicas()), nz(b.getReadyReplicas()))
        && Objects.equals(nz(a.getAvailableReplicas()), nz(b.getAvailableReplicas()))
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(emptyToNull(a.getConditions()), emptyToNull(b.getConditions()));
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  private static <T> List<T> emptyToNull(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }

  private void writeStatus(ReplicaSet rs, ReplicaSetStatus status) {
    if (sameStatus(rs.getStatus(), status)) return;
    ReplicaSet copy = serialization.clone(rs);
    copy.setStatus(status);
    var resource = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace());
    try {
      resource.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return;
      if (e.getCode() != 409) throw e;
      // the cache was behind: write the same status onto the current object once
      ReplicaSet fresh = resource.withName(rs.getMetadata().getName()).get();
      if (fresh == null || !fresh.getMetadata().getUid().equals(rs.getMetadata().getUid())) return;
      fresh.setStatus(status);
      resource.resource(fresh).updateStatus();
    }
  }

}
