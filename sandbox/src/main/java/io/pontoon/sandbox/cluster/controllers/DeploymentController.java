package io.pontoon.sandbox.cluster.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's Deployment controller: one ReplicaSet per pod template (named
 * {@code <deployment>-<pod-template-hash>}), RollingUpdate within maxSurge/maxUnavailable or
 * Recreate, proportional scaling of a rollout in progress, revisions, history cleanup down to
 * revisionHistoryLimit, and status with the Available and Progressing conditions.
 */
public final class DeploymentController implements ClusterComponent, Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentController.class);
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
      REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");
  private static final String BY_CONTROLLER = "controller-uid";

  private KubernetesClient client;
  private KubernetesSerialization serialization;
  private EventRecorder events;
  private SharedIndexInformer<Deployment> deployments;
  private SharedIndexInformer<ReplicaSet> replicaSets;
  private SharedIndexInformer<Pod> pods;
  private ControllerLoop loop;

  @Override
  public String name() {
    return "deployment-controller";
  }

  @Override
  public void start(ClusterContext context) {
    client = context.client();
    serialization = client.getKubernetesSerialization();
    events = new EventRecorder(client, name());
    loop = new ControllerLoop(context.spec().name() + "-" + name(), this);
    deployments = client.apps().deployments().inAnyNamespace().runnableInformer(0);
    replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
    pods = context.informers().pods();
    replicaSets.addIndexers(Map.of(BY_CONTROLLER, o -> ControllerRefs.of(o).map(r -> List.of(r.getUid())).orElse(List.of())));
    deployments.addEventHandler(Informers.handler(d -> loop.enqueue(Keys.of(d)), (o, n) -> loop.enqueue(Keys.of(n)),
        d -> loop.enqueue(Keys.of(d))));
    replicaSets.addEventHandler(Informers.handler(this::replicaSetChanged, (o, n) -> {
      if (Objects.equals(o.getMetadata().getResourceVersion(), n.getMetadata().getResourceVersion())) return;
      if (!ControllerRefs.of(o).equals(ControllerRefs.of(n))) replicaSetChanged(o);
      replicaSetChanged(n);
    }, this::replicaSetChanged));
    // Recreate waits for the old pods to be gone
    pods.addEventHandler(Informers.handler(p -> { }, (o, n) -> { }, this::podDeleted));
    Informers.startAndSync(name(), List.of(deployments, replicaSets));
    loop.start(5);
  }

  @Override
  public void close() {
    if (loop != null) loop.close();
    Informers.closeAll(java.util.stream.Stream.of(deployments, replicaSets).filter(Objects::nonNull).toList());
  }

  // ---- events -----------------------------------------------------------------------------

  private Deployment deploymentOf(String namespace, io.fabric8.kubernetes.api.model.OwnerReference ref) {
    if (!"Deployment".equals(ref.getKind())) return null;
    Deployment d = Informers.get(deployments, Keys.of(namespace, ref.getName()));
    return d != null && d.getMetadata().getUid().equals(ref.getUid()) ? d : null;
  }

  private void replicaSetChanged(ReplicaSet rs) {
    String ns = rs.getMetadata().getNamespace();
    var ref = ControllerRefs.of(rs);
    if (ref.isPresent()) {
      Deployment d = deploymentOf(ns, ref.get());
      if (d != null) loop.enqueue(Keys.of(d));
      return;
    }
    for (Deployment d : Informers.inNamespace(deployments, ns)) {
      if (Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) loop.enqueue(Keys.of(d));
    }
  }

  private void podDeleted(Pod pod) {
    ControllerRefs.of(pod).ifPresent(ref -> {
      ReplicaSet rs = Informers.get(replicaSets, Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
      if (rs == null) return;
      ControllerRefs.of(rs).map(r -> deploymentOf(rs.getMetadata().getNamespace(), r)).ifPresent(d -> {
        if ("Recreate".equals(strategyType(d))) loop.enqueue(Keys.of(d));
      });
    });
  }

  // ---- sync -------------------------------------------------------------------------------

  /** One pass over a deployment; the lists hold private copies this pass may change. */
  private final class Pass {
    final Deployment d;
    final List<ReplicaSet> all;

    Pass(Deployment d, List<ReplicaSet> all) {
      this.d = d;
      this.all = all;
    }
  }

  @Override
  public Result reconcile(String key) throws Exception {
    Deployment cached = Informers.get(deployments, key);
    if (cached == null) return Result.done();
    Deployment d = serialization.clone(cached);
    if (d.getStatus() == null) d.setStatus(new DeploymentStatus());
    LabelSelector selector = d.getSpec().getSelector();
    if (selector == null || Selectors.isEmpty(selector)) {
      events.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if (!Objects.equals(d.getMetadata().getGeneration(), observedGeneration(d))) {
        d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
        writeStatus(d);
      }
      return Result.done();
    }
    Pass pass = new Pass(d, claimReplicaSets(d));
    if (d.getMetadata().getDeletionTimestamp() != null) {
      syncStatusOnly(pass);
      return Result.done();
    }
    checkPausedConditions(d);
    if (Boolean.TRUE.equals(d.getSpec().getPaused()) || isScalingEvent(pass)) {
      sync(pass);
      return Result.done();
    }
    Optional<Duration> recheck = "Recreate".equals(strategyType(d)) ? rolloutRecreate(pass) : rolloutRolling(pass);
    return recheck.map(Result::after).orElse(Result.done());
  }

  private static Long observedGeneration(Deployment d) {
    return d.getStatus().getObservedGeneration();
  }

  private List<ReplicaSet> claimReplicaSets(Deployment d) {
    List<ReplicaSet> owned = new ArrayList<>();
    boolean deleting = d.getMetadata().getDeletionTimestamp() != null;
    Boolean canAdopt = null;
    for (ReplicaSet cachedRs : Informers.inNamespace(replicaSets, d.getMetadata().getNamespace())) {
      ReplicaSet rs = serialization.clone(cachedRs);
      var ref = ControllerRefs.of(rs);
      boolean matches = Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels());
      if (ref.isPresent()) {
        if (!ref.get().getUid().equals(d.getMetadata().getUid())) continue;
        if (matches) owned.add(rs);
        else if (!deleting) setOwners(rs, ControllerRefs.without(rs, d.getMetadata().getUid()));
        continue;
      }
      if (deleting || !matches || rs.getMetadata().getDeletionTimestamp() != null) continue;
      if (canAdopt == null) {
        Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
            .withName(d.getMetadata().getName()).get();
        canAdopt = fresh != null && fresh.getMetadata().getUid().equals(d.getMetadata().getUid())
            && fresh.getMetadata().getDeletionTimestamp() == null;
      }
      if (canAdopt && setOwners(rs, ControllerRefs.with(rs, ControllerRefs.controllerRef(d)))) owned.add(rs);
    }
    return owned;
  }

  private boolean setOwners(ReplicaSet rs, List<io.fabric8.kubernetes.api.model.OwnerReference> refs) {
    rs.getMetadata().setOwnerReferences(refs);
    try {
      ReplicaSet updated = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).update();
      rs.setMetadata(updated.getMetadata());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return false;
      throw e;
    }
  }

  private void syncStatusOnly(Pass pass) {
    ReplicaSet newRs = newReplicaSet(pass, false);
    writeStatusIfChanged(pass.d, calculateStatus(pass.all, newRs, pass.d));
  }

  /** Scaling (or a paused deployment): resize without rolling. */
  private void sync(Pass pass) {
    ReplicaSet newRs = newReplicaSet(pass, false);
    scale(pass, newRs);
    if (Boolean.TRUE.equals(pass.d.getSpec().getPaused())) cleanup(pass, newRs);
    writeStatusIfChanged(pass.d, calculateStatus(pass.all, newRs, pass.d));
  }

  private boolean isScalingEvent(Pass pass) {
    newReplicaSet(pass, false);
    for (ReplicaSet rs : active(pass.all)) {
      Integer desired = intAnnotation(rs, DESIRED_REPLICAS);
      if (desired != null && desired != replicas(pass.d)) return true;
    }
    return false;
  }

  private void checkPausedConditions(Deployment d) {
    if (!hasProgressDeadline(d)) return;
    DeploymentCondition cond = condition(d.getStatus(), "Progressing");
    boolean pausedCondExists = cond != null && "DeploymentPaused".equals(cond.getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (paused && !pausedCondExists) {
      setCondition(d.getStatus(), newCondition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused"));
    } else if (!paused && pausedCondExists) {
      setCondition(d.getStatus(), newCondition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed"));
    } else {
      return;
    }
    writeStatus(d);
  }

  // ---- rollouts ---------------------------------------------------------------------------

  private Optional<Duration> rolloutRolling(Pass pass) {
    ReplicaSet newRs = newReplicaSet(pass, true);
    if (reconcileNewReplicaSet(pass, newRs)) return syncRolloutStatus(pass, newRs);
    if (reconcileOldReplicaSets(pass, newRs)) return syncRolloutStatus(pass, newRs);
    if (isComplete(pass.d, calculateStatus(pass.all, newRs, pass.d))) cleanup(pass, newRs);
    return syncRolloutStatus(pass, newRs);
  }

  private Optional<Duration> rolloutRecreate(Pass pass) {
    ReplicaSet newRs = newReplicaSet(pass, false);
    boolean scaledDown = false;
    for (ReplicaSet rs : active(oldOf(pass, newRs))) scaledDown |= scaleAndRecord(pass, rs, 0);
    if (scaledDown) return syncRolloutStatus(pass, newRs);
    if (oldPodsRunning(pass, newRs)) return syncRolloutStatus(pass, newRs);
    if (newRs == null) newRs = newReplicaSet(pass, true);
    scaleAndRecord(pass, newRs, replicas(pass.d));
    if (isComplete(pass.d, calculateStatus(pass.all, newRs, pass.d))) cleanup(pass, newRs);
    return syncRolloutStatus(pass, newRs);
  }

  private boolean oldPodsRunning(Pass pass, ReplicaSet newRs) {
    List<ReplicaSet> old = oldOf(pass, newRs);
    if (old.stream().mapToInt(rs -> statusReplicas(rs)).sum() > 0) return true;
    for (ReplicaSet rs : old) {
      for (Pod p : pods.getIndexer().byIndex(BY_CONTROLLER, rs.getMetadata().getUid())) {
        if (!PodConditions.isTerminal(p)) return true;
      }
    }
    return false;
  }

  private boolean reconcileNewReplicaSet(Pass pass, ReplicaSet newRs) {
    int desired = replicas(pass.d);
    int current = replicas(newRs);
    if (current == desired) return false;
    if (current > desired) return scaleAndRecord(pass, newRs, desired);
    RolloutMath.Fenceposts f = fenceposts(pass.d);
    int target = RolloutMath.newReplicaSetReplicas(desired, f.maxSurge(), sumReplicas(pass.all), current);
    return scaleAndRecord(pass, newRs, target);
  }

  private boolean reconcileOldReplicaSets(Pass pass, ReplicaSet newRs) {
    List<ReplicaSet> old = active(oldOf(pass, newRs));
    if (sumReplicas(old) == 0) return false;
    int desired = replicas(pass.d);
    int maxUnavailable = fenceposts(pass.d).maxUnavailable();
    int maxScaledDown = RolloutMath.maxScaledDown(sumReplicas(pass.all), desired, maxUnavailable, replicas(newRs),
        available(newRs));
    if (maxScaledDown <= 0) return false;
    // first the old pods that are not available anyway
    int cleaned = 0;
    old.sort(byCreation());
    for (ReplicaSet rs : old) {
      if (cleaned >= maxScaledDown) break;
      int spec = replicas(rs);
      if (spec == 0 || spec == available(rs)) continue;
      int down = Math.min(maxScaledDown - cleaned, spec - available(rs));
      scaleAndRecord(pass, rs, spec - down);
      cleaned += down;
    }
    // then healthy old pods, as far as availability allows
    int minAvailable = desired - maxUnavailable;
    int availableNow = pass.all.stream().mapToInt(DeploymentController::available).sum();
    int scaledDown = 0;
    if (availableNow > minAvailable) {
      int budget = availableNow - minAvailable;
      for (ReplicaSet rs : old) {
        if (scaledDown >= budget) break;
        int spec = replicas(rs);
        if (spec == 0) continue;
        int down = Math.min(spec, budget - scaledDown);
        scaleAndRecord(pass, rs, spec - down);
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }

  /** Proportional scaling (kube's scale): a resize during a rollout is shared among active sets. */
  private void scale(Pass pass, ReplicaSet newRs) {
    Deployment d = pass.d;
    ReplicaSet activeOrLatest = activeOrLatest(newRs, oldOf(pass, newRs));
    if (activeOrLatest != null) {
      if (replicas(activeOrLatest) != replicas(d)) scaleAndRecord(pass, activeOrLatest, replicas(d));
      return;
    }
    if (isSaturated(d, newRs)) {
      for (ReplicaSet old : active(oldOf(pass, newRs))) scaleAndRecord(pass, old, 0);
      return;
    }
    if (!"RollingUpdate".equals(strategyType(d))) return;
    List<ReplicaSet> activeSets = active(pass.all);
    int allowed = replicas(d) > 0 ? replicas(d) + fenceposts(d).maxSurge() : replicas(d);
    int toAdd = allowed - sumReplicas(activeSets);
    // larger (and on ties newer) sets absorb growth first; smaller (older) ones shrink first
    Comparator<ReplicaSet> bySize = Comparator.comparingInt(DeploymentController::replicas);
    activeSets.sort(toAdd > 0 ? bySize.reversed().thenComparing(byCreation().reversed())
        : bySize.reversed().thenComparing(byCreation()));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    int added = 0;
    for (ReplicaSet rs : activeSets) {
      int share = 0;
      if (toAdd != 0 && toAdd != added && replicas(rs) != 0) {
        int fraction = replicas(d) == 0 ? -replicas(rs) : RolloutMath.proportion(replicas(rs),
            replicas(d) + fenceposts(d).maxSurge(), Optional.ofNullable(intAnnotation(rs, MAX_REPLICAS))
                .orElse(d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas()));
        int allowedShare = toAdd - added;
        share = toAdd > 0 ? Math.min(fraction, allowedShare) : Math.max(fraction, allowedShare);
      }
      sizes.put(rs.getMetadata().getName(), replicas(rs) + share);
      added += share;
    }
    if (!activeSets.isEmpty() && toAdd != 0) {
      String first = activeSets.get(0).getMetadata().getName();
      sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
    }
    for (ReplicaSet rs : activeSets) scaleAndRecord(pass, rs, sizes.get(rs.getMetadata().getName()));
  }

  private static ReplicaSet activeOrLatest(ReplicaSet newRs, List<ReplicaSet> old) {
    if (newRs == null && old.isEmpty()) return null;
    List<ReplicaSet> all = new ArrayList<>(old);
    if (newRs != null) all.add(newRs);
    List<ReplicaSet> active = active(all);
    if (active.size() == 1) return active.get(0);
    if (active.isEmpty()) {
      if (newRs != null) return newRs;
      List<ReplicaSet> sorted = new ArrayList<>(old);
      sorted.sort(byCreation().reversed());
      return sorted.get(0);
    }
    return null;
  }

  private static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) return false;
    Integer desired = intAnnotation(rs, DESIRED_REPLICAS);
    return replicas(rs) == replicas(d) && desired != null && desired == replicas(d) && available(rs) == replicas(d);
  }

  /** Old ReplicaSets beyond revisionHistoryLimit that are fully scaled down go, oldest revision first. */
  private void cleanup(Pass pass, ReplicaSet newRs) {
    Integer limit = pass.d.getSpec().getRevisionHistoryLimit();
    if (limit == null) return;
    List<ReplicaSet> cleanable = new ArrayList<>(oldOf(pass, newRs).stream()
        .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
    int diff = cleanable.size() - limit;
    if (diff <= 0) return;
    cleanable.sort(Comparator.comparingLong(DeploymentController::revision).thenComparing(byCreation()));
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0
          : rs.getStatus().getObservedGeneration();
      if (statusReplicas(rs) != 0 || replicas(rs) != 0 || rs.getMetadata().getGeneration() > observed) continue;
      try {
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
            .delete();
        LOG.info("controller={} deployment={} deletedOldReplicaSet={}", name(), Keys.of(pass.d),
            rs.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
    }
  }

  // ---- the new ReplicaSet -----------------------------------------------------------------

  private List<ReplicaSet> oldOf(Pass pass, ReplicaSet newRs) {
    List<ReplicaSet> old = new ArrayList<>(pass.all);
    old.remove(newRs);
    return old;
  }

  /**
   * kube's getNewReplicaSet: the set whose template equals the deployment's (oldest first); its
   * revision is brought above the old ones'. With {@code create}, a missing one is made.
   */
  private ReplicaSet newReplicaSet(Pass pass, boolean create) {
    Deployment d = pass.d;
    List<ReplicaSet> sorted = new ArrayList<>(pass.all);
    sorted.sort(byCreation());
    ReplicaSet existing = sorted.stream().filter(rs -> equalIgnoreHash(rs.getSpec().getTemplate(),
        d.getSpec().getTemplate())).findFirst().orElse(null);
    long maxOld = pass.all.stream().filter(rs -> rs != existing).mapToLong(DeploymentController::revision).max()
        .orElse(0);
    String newRevision = Long.toString(maxOld + 1);
    if (existing != null) {
      Map<String, String> before = new HashMap<>(annotations(existing));
      setNewReplicaSetAnnotations(d, existing, newRevision, true);
      boolean minReadyChanged = !Objects.equals(minReady(existing), minReady(d));
      if (!before.equals(annotations(existing)) || minReadyChanged) {
        existing.getSpec().setMinReadySeconds(minReady(d));
        ReplicaSet updated = client.apps().replicaSets().inNamespace(existing.getMetadata().getNamespace())
            .resource(existing).update();
        existing.setMetadata(updated.getMetadata());
      }
      boolean changed = setRevision(d, annotations(existing).get(REVISION));
      if (hasProgressDeadline(d) && condition(d.getStatus(), "Progressing") == null) {
        setCondition(d.getStatus(), newCondition("Progressing", "True", "FoundNewReplicaSet",
            "Found new replica set \"" + existing.getMetadata().getName() + "\""));
        writeStatus(d);
      }
      if (changed) writeRevision(d);
      return existing;
    }
    if (!create) return null;
    Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    JsonNode templateJson = templateWithoutHash(d.getSpec().getTemplate());
    String hash = TemplateHash.of(templateJson, collisions);
    PodTemplateSpec template = serialization.clone(d.getSpec().getTemplate());
    if (template.getMetadata() == null) template.setMetadata(new ObjectMetaBuilder().build());
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels() == null ? Map.of()
        : template.getMetadata().getLabels());
    labels.put(TemplateHash.LABEL, hash);
    template.getMetadata().setLabels(labels);
    LabelSelector selector = serialization.clone(d.getSpec().getSelector());
    Map<String, String> matchLabels = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of()
        : selector.getMatchLabels());
    matchLabels.put(TemplateHash.LABEL, hash);
    selector.setMatchLabels(matchLabels);
    int startReplicas = "Recreate".equals(strategyType(d)) ? replicas(d)
        : RolloutMath.newReplicaSetReplicas(replicas(d), fenceposts(d).maxSurge(), sumReplicas(pass.all), 0);
    ReplicaSet rs = new ReplicaSetBuilder()
        .withNewMetadata()
          .withName(d.getMetadata().getName() + "-" + hash)
          .withNamespace(d.getMetadata().getNamespace())
          .withLabels(labels)
          .withOwnerReferences(ControllerRefs.controllerRef(d))
        .endMetadata()
        .withNewSpec()
          .withReplicas(startReplicas)
          .withMinReadySeconds(minReady(d))
          .withSelector(selector)
          .withTemplate(template)
        .endSpec()
        .build();
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    ReplicaSet created;
    try {
      created = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      ReplicaSet clash = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
          .withName(rs.getMetadata().getName()).get();
      if (clash != null && ControllerRefs.isControlledBy(clash, d)
          && equalIgnoreHash(clash.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        // our own, not yet in the cache: use it
        pass.all.add(clash);
        return clash;
      }
      // a real hash collision: count it so the next name differs, and try again
      d.getStatus().setCollisionCount(collisions == null ? 1 : collisions + 1);
      writeStatus(d);
      throw new IllegalStateException("hash collision for replica set " + rs.getMetadata().getName());
    }
    LOG.info("controller={} deployment={} createdReplicaSet={} replicas={}", name(), Keys.of(d),
        created.getMetadata().getName(), startReplicas);
    if (startReplicas > 0) {
      events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + created.getMetadata().getName() + " from 0 to "
          + startReplicas);
    }
    pass.all.add(created);
    boolean changed = setRevision(d, newRevision);
    setCondition(d.getStatus(), newCondition("Progressing", "True", "NewReplicaSetCreated",
        "Created new replica set \"" + created.getMetadata().getName() + "\""));
    if (changed) writeRevision(d);
    writeStatus(d);
    return created;
  }

  private void setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision, boolean exists) {
    Map<String, String> ann = new LinkedHashMap<>(annotations(rs));
    annotations(d).forEach((k, v) -> {
      if (!NOT_COPIED.contains(k)) ann.put(k, v);
    });
    long current = parseLong(ann.get(REVISION));
    if (current < Long.parseLong(newRevision)) ann.put(REVISION, newRevision);
    if (!exists) {
      ann.put(DESIRED_REPLICAS, Integer.toString(replicas(d)));
      ann.put(MAX_REPLICAS, Integer.toString(replicas(d) + fenceposts(d).maxSurge()));
    }
    rs.getMetadata().setAnnotations(ann);
  }

  private static boolean setRevision(Deployment d, String revision) {
    if (revision == null || revision.equals(annotations(d).get(REVISION))) return false;
    Map<String, String> ann = new LinkedHashMap<>(annotations(d));
    ann.put(REVISION, revision);
    d.getMetadata().setAnnotations(ann);
    return true;
  }

  /** The revision annotation is metadata: the status subresource would drop it, so it is patched. */
  private void writeRevision(Deployment d) {
    String patch = "{\"metadata\":{\"annotations\":{\"" + REVISION + "\":\"" + annotations(d).get(REVISION) + "\"}}}";
    Deployment updated = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    d.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
  }

  private JsonNode templateWithoutHash(PodTemplateSpec template) {
    JsonNode t = serialization.convertValue(template, JsonNode.class);
    if (t instanceof ObjectNode o && o.path("metadata").path("labels") instanceof ObjectNode labels) {
      labels.remove(TemplateHash.LABEL);
      if (labels.isEmpty()) ((ObjectNode) o.get("metadata")).remove("labels");
    }
    if (t instanceof ObjectNode o && o.path("metadata") instanceof ObjectNode meta && meta.isEmpty()) {
      o.remove("metadata");
    }
    return t;
  }

  private boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return templateWithoutHash(a).equals(templateWithoutHash(b));
  }

  private boolean scaleAndRecord(Pass pass, ReplicaSet rs, int target) {
    Deployment d = pass.d;
    int current = replicas(rs);
    String desired = Integer.toString(replicas(d));
    String max = Integer.toString(replicas(d) + fenceposts(d).maxSurge());
    boolean annotationsStale = !desired.equals(annotations(rs).get(DESIRED_REPLICAS))
        || !max.equals(annotations(rs).get(MAX_REPLICAS));
    if (current == target && !annotationsStale) return false;
    String patch = "{\"metadata\":{\"annotations\":{\"" + DESIRED_REPLICAS + "\":\"" + desired + "\",\"" + MAX_REPLICAS
        + "\":\"" + max + "\"}},\"spec\":{\"replicas\":" + target + "}}";
    ReplicaSet updated = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    rs.setMetadata(updated.getMetadata());
    rs.setSpec(updated.getSpec());
    if (current != target) {
      events.normal(d, "ScalingReplicaSet", "Scaled " + (target > current ? "up" : "down") + " replica set "
          + rs.getMetadata().getName() + " from " + current + " to " + target);
      LOG.info("controller={} deployment={} replicaset={} from={} to={}", name(), Keys.of(d),
          rs.getMetadata().getName(), current, target);
    }
    return current != target;
  }

  // ---- status -----------------------------------------------------------------------------

  static DeploymentStatus calculateStatus(List<ReplicaSet> all, ReplicaSet newRs, Deployment d) {
    int available = all.stream().mapToInt(DeploymentController::available).sum();
    int total = sumReplicas(all);
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(omitZero(all.stream().mapToInt(DeploymentController::statusReplicas).sum()))
        .withUpdatedReplicas(omitZero(newRs == null ? 0 : statusReplicas(newRs)))
        .withReadyReplicas(omitZero(all.stream().mapToInt(rs -> rs.getStatus() == null
            || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas()).sum()))
        .withAvailableReplicas(omitZero(available))
        .withUnavailableReplicas(omitZero(Math.max(0, total - available)))
        .withCollisionCount(old.getCollisionCount())
        .withConditions(old.getConditions() == null ? new ArrayList<>() : new ArrayList<>(old.getConditions()))
        .build();
    if (available >= replicas(d) - maxUnavailable(d)) {
      setCondition(status, newCondition("Available", "True", "MinimumReplicasAvailable",
          "Deployment has minimum availability."));
    } else {
      setCondition(status, newCondition("Available", "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability."));
    }
    return status;
  }

  /** syncRolloutStatus: status plus the Progressing condition; says when to look again for a deadline. */
  private Optional<Duration> syncRolloutStatus(Pass pass, ReplicaSet newRs) {
    Deployment d = pass.d;
    DeploymentStatus status = calculateStatus(pass.all, newRs, d);
    if (!hasProgressDeadline(d)) status.getConditions().removeIf(c -> "Progressing".equals(c.getType()));
    DeploymentCondition current = condition(status, "Progressing");
    String rsName = newRs == null ? null : newRs.getMetadata().getName();
    boolean complete = Objects.equals(status.getReplicas(), status.getUpdatedReplicas()) && current != null
        && "NewReplicaSetAvailable".equals(current.getReason());
    if (hasProgressDeadline(d) && !complete) {
      if (isComplete(d, status)) {
        setCondition(status, newCondition("Progressing", "True", "NewReplicaSetAvailable",
            "ReplicaSet \"" + rsName + "\" has successfully progressed."));
      } else if (isProgressing(d, status)) {
        DeploymentCondition c = newCondition("Progressing", "True", "ReplicaSetUpdated", rsName != null
            ? "ReplicaSet \"" + rsName + "\" is progressing." : "Deployment is progressing.");
        if (current != null && "True".equals(current.getStatus())) c.setLastTransitionTime(current.getLastTransitionTime());
        status.getConditions().removeIf(x -> "Progressing".equals(x.getType()));
        status.getConditions().add(c);
      } else if (timedOut(d, status)) {
        setCondition(status, newCondition("Progressing", "False", "ProgressDeadlineExceeded",
            "ReplicaSet \"" + rsName + "\" has timed out progressing."));
      }
    }
    writeStatusIfChanged(d, status);
    return stuckRecheck(d, status);
  }

  private static Optional<Duration> stuckRecheck(Deployment d, DeploymentStatus status) {
    DeploymentCondition c = condition(status, "Progressing");
    if (!hasProgressDeadline(d) || c == null || isComplete(d, status)
        || "ProgressDeadlineExceeded".equals(c.getReason()) || c.getLastUpdateTime() == null) {
      return Optional.empty();
    }
    Instant due = Instant.parse(c.getLastUpdateTime()).plusSeconds(d.getSpec().getProgressDeadlineSeconds());
    Duration left = Duration.between(Instant.now(), due);
    return Optional.of(left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(1));
  }

  static boolean isComplete(Deployment d, DeploymentStatus s) {
    int want = replicas(d);
    return nz(s.getUpdatedReplicas()) == want && nz(s.getReplicas()) == want && nz(s.getAvailableReplicas()) == want
        && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration();
  }

  private static boolean isProgressing(Deployment d, DeploymentStatus s) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = nz(old.getReplicas()) - nz(old.getUpdatedReplicas());
    int newOld = nz(s.getReplicas()) - nz(s.getUpdatedReplicas());
    return nz(s.getUpdatedReplicas()) > nz(old.getUpdatedReplicas()) || newOld < oldOld
        || nz(s.getReadyReplicas()) > nz(old.getReadyReplicas())
        || nz(s.getAvailableReplicas()) > nz(old.getAvailableReplicas());
  }

  private static boolean timedOut(Deployment d, DeploymentStatus s) {
    DeploymentCondition c = condition(s, "Progressing");
    if (c == null) return false;
    if ("NewReplicaSetAvailable".equals(c.getReason())) return false;
    if ("ProgressDeadlineExceeded".equals(c.getReason())) return true;
    if (c.getLastUpdateTime() == null) return false;
    return Instant.parse(c.getLastUpdateTime()).plusSeconds(d.getSpec().getProgressDeadlineSeconds())
        .isBefore(Instant.now());
  }

  private void writeStatusIfChanged(Deployment d, DeploymentStatus status) {
    if (Objects.equals(normalize(d.getStatus()), normalize(status))) return;
    d.setStatus(status);
    writeStatus(d);
  }

  private DeploymentStatus normalize(DeploymentStatus s) {
    if (s == null) return new DeploymentStatus();
    DeploymentStatus c = serialization.clone(s);
    if (c.getConditions() != null && c.getConditions().isEmpty()) c.setConditions(null);
    for (String f : List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
        "unavailableReplicas")) {
      // absent and zero are the same (omitempty)
      switch (f) {
        case "replicas" -> c.setReplicas(nz(c.getReplicas()));
        case "updatedReplicas" -> c.setUpdatedReplicas(nz(c.getUpdatedReplicas()));
        case "readyReplicas" -> c.setReadyReplicas(nz(c.getReadyReplicas()));
        case "availableReplicas" -> c.setAvailableReplicas(nz(c.getAvailableReplicas()));
        default -> c.setUnavailableReplicas(nz(c.getUnavailableReplicas()));
      }
    }
    return c;
  }

  private void writeStatus(Deployment d) {
    var api = client.apps().deployments().inNamespace(d.getMetadata().getNamespace());
    try {
      Deployment updated = api.resource(d).updateStatus();
      d.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return;
      throw e; // a conflict retries the whole pass on fresher objects
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  static DeploymentCondition newCondition(String type, String status, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastUpdateTime(now).withLastTransitionTime(now).build();
  }

  static DeploymentCondition condition(DeploymentStatus s, String type) {
    if (s == null || s.getConditions() == null) return null;
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** SetDeploymentCondition: same status and reason changes nothing; same status keeps the transition time. */
  static void setCondition(DeploymentStatus s, DeploymentCondition c) {
    if (s.getConditions() == null) s.setConditions(new ArrayList<>());
    DeploymentCondition current = condition(s, c.getType());
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())
        && Objects.equals(current.getReason(), c.getReason())) {
      return;
    }
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
      c.setLastTransitionTime(current.getLastTransitionTime());
    }
    List<DeploymentCondition> next = new ArrayList<>(s.getConditions());
    next.removeIf(x -> c.getType().equals(x.getType()));
    next.add(c);
    s.setConditions(next);
  }

  private static boolean hasProgressDeadline(Deployment d) {
    Integer p = d.getSpec().getProgressDeadlineSeconds();
    return p != null && p != Integer.MAX_VALUE;
  }

  static String strategyType(Deployment d) {
    return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null ? "RollingUpdate"
        : d.getSpec().getStrategy().getType();
  }

  static RolloutMath.Fenceposts fenceposts(Deployment d) {
    if (!"RollingUpdate".equals(strategyType(d))) return new RolloutMath.Fenceposts(0, 0);
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = ru == null || ru.getMaxSurge() == null ? new IntOrString("25%") : ru.getMaxSurge();
    IntOrString unavailable = ru == null || ru.getMaxUnavailable() == null ? new IntOrString("25%")
        : ru.getMaxUnavailable();
    return RolloutMath.resolve(surge, unavailable, replicas(d));
  }

  static int maxUnavailable(Deployment d) {
    if (!"RollingUpdate".equals(strategyType(d)) || replicas(d) == 0) return 0;
    return Math.min(fenceposts(d).maxUnavailable(), replicas(d));
  }

  private static List<ReplicaSet> active(List<ReplicaSet> sets) {
    return new ArrayList<>(sets.stream().filter(rs -> rs != null && replicas(rs) > 0).toList());
  }

  private static Comparator<ReplicaSet> byCreation() {
    return Comparator.comparing((ReplicaSet rs) -> Objects.toString(rs.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(rs -> rs.getMetadata().getName());
  }

  static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  static int replicas(ReplicaSet rs) {
    return rs == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
  }

  private static int statusReplicas(ReplicaSet rs) {
    return rs == null || rs.getStatus() == null ? 0 : nz(rs.getStatus().getReplicas());
  }

  private static int available(ReplicaSet rs) {
    return rs == null || rs.getStatus() == null ? 0 : nz(rs.getStatus().getAvailableReplicas());
  }

  private static int sumReplicas(List<ReplicaSet> sets) {
    return sets.stream().mapToInt(DeploymentController::replicas).sum();
  }

  private static Integer minReady(Deployment d) {
    return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
  }

  private static Integer minReady(ReplicaSet rs) {
    return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
  }

  static long revision(ReplicaSet rs) {
    return parseLong(annotations(rs).get(REVISION));
  }

  private static Integer intAnnotation(ReplicaSet rs, String key) {
    String v = annotations(rs).get(key);
    try {
      return v == null ? null : Integer.valueOf(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long parseLong(String v) {
    try {
      return v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  /** The counters are {@code omitempty} in kube's types: zero is written as absent. */
  static Integer omitZero(int i) {
    return i == 0 ? null : i;
  }
}
