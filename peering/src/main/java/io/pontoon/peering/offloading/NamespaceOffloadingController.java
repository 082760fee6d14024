package io.pontoon.peering.offloading;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.PontoonNames.Reasons;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Handlers;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.NamespaceOffloadingSpec;
import io.pontoon.api.v1alpha1.NamespaceOffloadingStatus;
import io.pontoon.api.v1alpha1.OffloadingPhase;
import io.pontoon.api.v1alpha1.TwinNamespace;
import io.pontoon.api.v1alpha1.TwinNamespacePhase;
import io.pontoon.api.v1alpha1.TwinNamespaceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer side: for NamespaceOffloading {@code offloading} of a namespace, asks every selected
 * provider for the twin namespace (a TwinNamespace in this cluster's tenant namespace there) and
 * reports per provider; labels the namespace {@value #LABEL_OFFLOADING}{@code =<strategy>} so the
 * webhook sees it; deleting the NamespaceOffloading removes the twin namespaces first. A namespace
 * labelled {@code pontoon.io/enabled=true} gets a default NamespaceOffloading.
 */
public final class NamespaceOffloadingController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceOffloadingController.class);
  /** On an offloaded home namespace: its pod offloading strategy; the webhook selects on it. */
  public static final String LABEL_OFFLOADING = "pontoon.io/offloading";
  /** On a NamespaceOffloading made because of {@code pontoon.io/enabled=true}. */
  public static final String ANNOTATION_FROM_LABEL = "pontoon.io/created-for-enabled-label";
  static final String INDEX_CLUSTER_ID = "clusterID";
  static final String REASON_INVALID = "InvalidSpec";
  private static final Duration POLL_PENDING = Duration.ofSeconds(1);
  private static final Duration POLL_READY = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final ClusterIdentity home;
  private final ControllerLoop loop;
  private final ProviderClients providers = new ProviderClients();
  private final Map<String, Integer> unreachableAttempts = new ConcurrentHashMap<>();
  private SharedIndexInformer<NamespaceOffloading> offloadings;
  private SharedIndexInformer<Namespace> namespaces;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<ForeignCluster> foreignClusters;
  private SharedIndexInformer<Secret> credentials;

  /** A provider this namespace is (or was) offloaded to, and how to reach it. */
  private record Provider(String clusterID, String clusterName, KubernetesClient client, String problem) {}

  public NamespaceOffloadingController(KubernetesClient client, ClusterIdentity home) {
    this.client = client;
    this.home = Objects.requireNonNull(home, "home cluster identity");
    this.loop = new ControllerLoop("namespaceoffloading", this::reconcile);
  }

  public void start() {
    offloadings = client.resources(NamespaceOffloading.class).inAnyNamespace().runnableInformer(0);
    offloadings.addEventHandler(Handlers.onAny(o -> loop.enqueue(o.getMetadata().getNamespace())));
    namespaces = client.namespaces().runnableInformer(0);
    namespaces.addEventHandler(Handlers.onAny(n -> loop.enqueue(n.getMetadata().getName())));
    nodes = client.nodes().withLabel(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE).runnableInformer(0);
    nodes.addEventHandler(Handlers.onAny(n -> enqueueAll()));
    foreignClusters = client.resources(ForeignCluster.class).runnableInformer(0);
    foreignClusters.addIndexers(Map.of(INDEX_CLUSTER_ID, fc -> fc.getSpec() == null || fc.getSpec().getClusterID() == null
        ? List.of() : List.of(fc.getSpec().getClusterID())));
    foreignClusters.addEventHandler(Handlers.onAny(fc -> {
      if (fc.getMetadata().getDeletionTimestamp() != null || foreignClusters.getStore().get(fc) == null) {
        providers.forget(fc.getMetadata().getName()); // unpeered: its client is of no more use
      }
      enqueueAll();
    }));
    credentials = client.secrets().inAnyNamespace()
        .withField("metadata.name", PontoonNames.PEER_CREDENTIALS_SECRET).runnableInformer(0);
    credentials.addEventHandler(Handlers.onAny(s -> enqueueAll()));
    try {
      for (SharedIndexInformer<?> i : List.of(nodes, foreignClusters, credentials, namespaces, offloadings)) {
        i.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException("NamespaceOffloading controller could not list its objects: " + e.getMessage(), e);
    }
    loop.start(2);
    LOG.info("controller=namespaceoffloading started home={}", home.name());
  }

  private void enqueueAll() {
    if (offloadings == null) {
      return;
    }
    offloadings.getStore().list().forEach(o -> loop.enqueue(o.getMetadata().getNamespace()));
  }

  Reconciler.Result reconcile(String namespace) {
    Namespace ns = namespaces.getStore().getByKey(namespace);
    NamespaceOffloading nsof = offloadings.getStore().getByKey(namespace + "/" + PontoonNames.NAMESPACE_OFFLOADING_NAME);
    boolean enabledLabel = ns != null && "true".equals(label(ns, PontoonNames.LABEL_ENABLED));
    if (nsof == null) {
      if (enabledLabel && ns.getMetadata().getDeletionTimestamp() == null) {
        createDefault(namespace);
        return Reconciler.Result.done();
      }
      setNamespaceLabel(ns, null);
      return Reconciler.Result.done();
    }
    if (nsof.getMetadata().getDeletionTimestamp() == null && !enabledLabel && nsof.getMetadata().getAnnotations() != null
        && nsof.getMetadata().getAnnotations().containsKey(ANNOTATION_FROM_LABEL)) {
      // The label made it, so removing the label unoffloads.
      client.resources(NamespaceOffloading.class).inNamespace(namespace).withName(nsof.getMetadata().getName()).delete();
      return Reconciler.Result.done();
    }
    if (nsof.getMetadata().getDeletionTimestamp() != null) {
      return unoffload(namespace, ns, nsof);
    }
    if (!Finalizers.has(nsof.getMetadata(), PontoonNames.FINALIZER_OFFLOADING)) {
      List<String> f = new ArrayList<>(nsof.getMetadata().getFinalizers() == null ? List.of() : nsof.getMetadata().getFinalizers());
      f.add(PontoonNames.FINALIZER_OFFLOADING);
      Finalizers.patch(client.resources(NamespaceOffloading.class).inNamespace(namespace)
          .withName(nsof.getMetadata().getName()), nsof.getMetadata(), f);
      return Reconciler.Result.done();
    }
    NamespaceOffloadingSpec spec = nsof.getSpec() == null ? new NamespaceOffloadingSpec() : nsof.getSpec();
    if (ns != null && ns.getMetadata().getDeletionTimestamp() == null) {
      setNamespaceLabel(ns, String.valueOf(spec.getPodOffloadingStrategy()));
    }
    NamespaceOffloadingStatus current = nsof.getStatus() == null ? new NamespaceOffloadingStatus() : nsof.getStatus();
    NamespaceOffloadingStatus next = new NamespaceOffloadingStatus();
    next.setConditions(new ArrayList<>(current.getConditions()));
    Long gen = nsof.getMetadata().getGeneration();
    String twin;
    try {
      twin = PontoonNames.twinNamespace(spec.getNamespaceMappingStrategy(), namespace, home.name(),
          spec.getSelectedNamespaceName());
    } catch (IllegalArgumentException e) {
      next.setPhase(OffloadingPhase.AllFailed);
      next.setClusters(current.getClusters());
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.READY, false, REASON_INVALID,
          "cannot name the twin namespace: " + e.getMessage(), gen));
      writeStatus(nsof, current, next);
      return Reconciler.Result.done();
    }
    next.setRemoteNamespaceName(twin);

    Map<String, TwinNamespaceStatus> entries = new LinkedHashMap<>();
    boolean unreachable = false;
    for (Provider p : selectedProviders(spec)) {
      TwinNamespaceStatus entry = p.problem() != null
          ? entry(p, twin, TwinNamespacePhase.Failed, p.problem())
          : ensureTwin(p, twin, namespace);
      unreachable |= entry.getMessage() != null && entry.getMessage().startsWith(Reasons.API_SERVER_UNREACHABLE);
      entries.put(p.clusterID(), entry);
    }
    // Twin namespaces no longer wanted (selector or mapping changed) are removed, shown as Terminating.
    for (TwinNamespaceStatus old : current.getClusters()) {
      TwinNamespaceStatus wanted = entries.get(old.getClusterID());
      if (wanted != null && Objects.equals(wanted.getNamespace(), old.getNamespace())) {
        continue;
      }
      TwinNamespaceStatus leftover = removeTwin(old);
      if (leftover != null) {
        entries.putIfAbsent(old.getClusterID() + "/" + old.getNamespace(), leftover);
      }
    }
    next.setClusters(entries.values().stream()
        .sorted(Comparator.comparing(TwinNamespaceStatus::getClusterName, Comparator.nullsLast(Comparator.naturalOrder())))
        .collect(Collectors.toCollection(ArrayList::new)));
    summarize(next, gen);
    writeStatus(nsof, current, next);

    if (unreachable) {
      int n = unreachableAttempts.merge(namespace, 1, Integer::sum);
      return Reconciler.Result.after(backoff(n));
    }
    unreachableAttempts.remove(namespace);
    return Reconciler.Result.after(next.getPhase() == OffloadingPhase.Ready || next.getPhase() == OffloadingPhase.NoClusterSelected
        ? POLL_READY : POLL_PENDING);
  }

  private static Duration backoff(int attempts) {
    long ms = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts - 1, 10));
    return Duration.ofMillis(ms);
  }

  private void summarize(NamespaceOffloadingStatus s, Long gen) {
    List<TwinNamespaceStatus> selected = s.getClusters().stream()
        .filter(c -> c.getPhase() != TwinNamespacePhase.Terminating).toList();
    long ready = selected.stream().filter(c -> c.getPhase() == TwinNamespacePhase.Ready).count();
    long failed = selected.stream().filter(c -> c.getPhase() == TwinNamespacePhase.Failed).count();
    String problems = selected.stream().filter(c -> c.getPhase() != TwinNamespacePhase.Ready)
        .map(c -> c.getClusterName() + ": " + c.getMessage()).collect(Collectors.joining("; "));
    if (selected.isEmpty()) {
      s.setPhase(OffloadingPhase.NoClusterSelected);
      Conditions.set(s.getConditions(), Conditions.of(ConditionTypes.READY, false, Reasons.NO_CLUSTER_SELECTED,
          "no virtual node matches the cluster selector", gen));
    } else if (ready == selected.size()) {
      s.setPhase(OffloadingPhase.Ready);
      Conditions.set(s.getConditions(), Conditions.of(ConditionTypes.READY, true, Reasons.SUCCEEDED,
          "twin namespace " + s.getRemoteNamespaceName() + " is ready on " + ready + " cluster(s)", gen));
    } else if (failed == selected.size()) {
      s.setPhase(OffloadingPhase.AllFailed);
      Conditions.set(s.getConditions(), Conditions.of(ConditionTypes.READY, false, failureReason(selected), problems, gen));
    } else if (failed > 0) {
      s.setPhase(OffloadingPhase.SomeFailed);
      Conditions.set(s.getConditions(), Conditions.of(ConditionTypes.READY, false, failureReason(selected), problems, gen));
    } else {
      s.setPhase(OffloadingPhase.InProgress);
      Conditions.set(s.getConditions(), Conditions.of(ConditionTypes.READY, false, Reasons.IN_PROGRESS, problems, gen));
    }
  }

  private static String failureReason(List<TwinNamespaceStatus> clusters) {
    for (TwinNamespaceStatus c : clusters) {
      if (c.getPhase() == TwinNamespacePhase.Failed && c.getMessage() != null) {
        if (c.getMessage().startsWith(Reasons.API_SERVER_UNREACHABLE)) return Reasons.API_SERVER_UNREACHABLE;
        if (c.getMessage().contains(Reasons.NAMESPACE_CONFLICT)) return Reasons.NAMESPACE_CONFLICT;
      }
    }
    return "TwinNamespaceFailed";
  }

  /** Providers whose virtual node matches the selector, de-duplicated by cluster ID. */
  private List<Provider> selectedProviders(NamespaceOffloadingSpec spec) {
    Map<String, Provider> out = new LinkedHashMap<>();
    List<Node> vnodes = new ArrayList<>(nodes.getStore().list());
    vnodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
    for (Node node : vnodes) {
      if (!ClusterSelector.matches(spec.getClusterSelector(), node)) {
        continue;
      }
      String id = label(node, PontoonNames.LABEL_REMOTE_CLUSTER_ID);
      if (id == null || out.containsKey(id)) {
        continue;
      }
      out.put(id, provider(id, node.getMetadata().getName()));
    }
    return new ArrayList<>(out.values());
  }

  private Provider provider(String clusterID, String fallbackName) {
    List<ForeignCluster> fcs = foreignClusters.getIndexer().byIndex(INDEX_CLUSTER_ID, clusterID);
    if (fcs.isEmpty()) {
      return new Provider(clusterID, fallbackName, null, "no ForeignCluster has clusterID " + clusterID
          + "; the virtual node " + fallbackName + " has no peering behind it");
    }
    ForeignCluster fc = fcs.get(0);
    String name = fc.getSpec().getClusterName();
    String tenant = PontoonNames.tenantNamespace(name);
    Secret secret = credentials.getStore().getByKey(tenant + "/" + PontoonNames.PEER_CREDENTIALS_SECRET);
    if (secret == null) {
      return new Provider(clusterID, name, null, "no credentials yet: Secret " + tenant + "/"
          + PontoonNames.PEER_CREDENTIALS_SECRET + " is missing");
    }
    try {
      return new Provider(clusterID, name, providers.get(fc.getMetadata().getName(), secret), null);
    } catch (IllegalArgumentException e) {
      return new Provider(clusterID, name, null, e.getMessage());
    }
  }

  private TwinNamespaceStatus ensureTwin(Provider p, String twin, String namespace) {
    var ops = p.client().resources(TwinNamespace.class).inNamespace(PontoonNames.tenantNamespace(home.name()));
    try {
      TwinNamespace existing = ops.withName(twin).get();
      if (existing == null) {
        TwinNamespace request = new TwinNamespace();
        request.getMetadata().setName(twin);
        request.getMetadata().setNamespace(PontoonNames.tenantNamespace(home.name()));
        request.getMetadata().setLabels(Map.of(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, home.id()));
        request.getSpec().setOriginClusterID(home.id());
        request.getSpec().setOriginClusterName(home.name());
        request.getSpec().setHomeNamespace(namespace);
        ops.resource(request).create();
        LOG.info("controller=namespaceoffloading namespace={} provider={} action=requestTwin twin={}", namespace,
            p.clusterName(), twin);
        return entry(p, twin, TwinNamespacePhase.Pending, "twin namespace requested");
      }
      if (!namespace.equals(existing.getSpec().getHomeNamespace())) {
        return entry(p, twin, TwinNamespacePhase.Failed, Reasons.NAMESPACE_CONFLICT + ": twin namespace " + twin
            + " is already requested for home namespace " + existing.getSpec().getHomeNamespace()
            + "; choose another name with --mapping SelectedName");
      }
      if (existing.getMetadata().getDeletionTimestamp() != null) {
        return entry(p, twin, TwinNamespacePhase.Pending, "an earlier twin namespace " + twin + " is still being deleted");
      }
      if (existing.getStatus() == null || existing.getStatus().getPhase() == null) {
        return entry(p, twin, TwinNamespacePhase.Pending, "waiting for the provider to create the namespace");
      }
      String message = Conditions.find(existing.getStatus().getConditions(), ConditionTypes.READY)
          .map(c -> TwinNamespacePhase.Failed == existing.getStatus().getPhase() ? c.getReason() + ": " + c.getMessage()
              : c.getMessage())
          .orElse("");
      return entry(p, twin, existing.getStatus().getPhase(), message);
    } catch (KubernetesClientException e) {
      return entry(p, twin, TwinNamespacePhase.Failed, describe(e));
    }
  }

  /** Deletes a twin namespace request; null once it is gone (or cannot exist any more). */
  private TwinNamespaceStatus removeTwin(TwinNamespaceStatus old) {
    Provider p = provider(old.getClusterID(), old.getClusterName());
    if (p.client() == null) {
      return null; // the peering is gone: nothing of ours is reachable there any more
    }
    var ops = p.client().resources(TwinNamespace.class).inNamespace(PontoonNames.tenantNamespace(home.name()));
    try {
      TwinNamespace existing = ops.withName(old.getNamespace()).get();
      if (existing == null) {
        return null;
      }
      if (existing.getMetadata().getDeletionTimestamp() == null) {
        ops.withName(old.getNamespace()).delete();
      }
      return entry(p, old.getNamespace(), TwinNamespacePhase.Terminating, "twin namespace is being deleted");
    } catch (KubernetesClientException e) {
      return entry(p, old.getNamespace(), TwinNamespacePhase.Terminating, describe(e));
    }
  }

  private Reconciler.Result unoffload(String namespace, Namespace ns, NamespaceOffloading nsof) {
    NamespaceOffloadingStatus current = nsof.getStatus() == null ? new NamespaceOffloadingStatus() : nsof.getStatus();
    Map<String, TwinNamespaceStatus> targets = new LinkedHashMap<>();
    current.getClusters().forEach(c -> targets.put(c.getClusterID() + "/" + c.getNamespace(), c));
    // Also what we may have requested but not yet recorded (a crash between create and status).
    NamespaceOffloadingSpec spec = nsof.getSpec() == null ? new NamespaceOffloadingSpec() : nsof.getSpec();
    try {
      String twin = PontoonNames.twinNamespace(spec.getNamespaceMappingStrategy(), namespace, home.name(),
          spec.getSelectedNamespaceName());
      for (Provider p : selectedProviders(spec)) {
        TwinNamespaceStatus s = entry(p, twin, TwinNamespacePhase.Terminating, "");
        targets.putIfAbsent(p.clusterID() + "/" + twin, s);
      }
    } catch (IllegalArgumentException e) {
      // no valid name: nothing can have been requested under it
    }
    List<TwinNamespaceStatus> remaining = new ArrayList<>();
    boolean unreachable = false;
    for (TwinNamespaceStatus t : targets.values()) {
      TwinNamespaceStatus left = removeTwin(t);
      if (left != null) {
        remaining.add(left);
        unreachable |= left.getMessage() != null && left.getMessage().startsWith(Reasons.API_SERVER_UNREACHABLE);
      }
    }
    if (!remaining.isEmpty()) {
      NamespaceOffloadingStatus next = new NamespaceOffloadingStatus();
      next.setConditions(new ArrayList<>(current.getConditions()));
      next.setRemoteNamespaceName(current.getRemoteNamespaceName());
      next.setPhase(OffloadingPhase.Terminating);
      next.setClusters(remaining);
      Conditions.set(next.getConditions(), Conditions.of(ConditionTypes.READY, false, Reasons.IN_PROGRESS,
          "removing twin namespaces: " + remaining.stream().map(c -> c.getClusterName() + ": " + c.getMessage())
              .collect(Collectors.joining("; ")), nsof.getMetadata().getGeneration()));
      writeStatus(nsof, current, next);
      if (unreachable) {
        return Reconciler.Result.after(backoff(unreachableAttempts.merge(namespace, 1, Integer::sum)));
      }
      return Reconciler.Result.after(POLL_PENDING);
    }
    unreachableAttempts.remove(namespace);
    setNamespaceLabel(ns, null);
    List<String> f = new ArrayList<>(nsof.getMetadata().getFinalizers() == null ? List.of() : nsof.getMetadata().getFinalizers());
    if (f.remove(PontoonNames.FINALIZER_OFFLOADING)) {
      Finalizers.patch(client.resources(NamespaceOffloading.class).inNamespace(namespace)
          .withName(nsof.getMetadata().getName()), nsof.getMetadata(), f);
    }
    LOG.info("controller=namespaceoffloading namespace={} action=unoffloaded", namespace);
    return Reconciler.Result.done();
  }

  private static TwinNamespaceStatus entry(Provider p, String twin, TwinNamespacePhase phase, String message) {
    TwinNamespaceStatus s = new TwinNamespaceStatus();
    s.setClusterID(p.clusterID());
    s.setClusterName(PontoonNames.isDns1123Label(p.clusterName()) ? p.clusterName() : null);
    s.setNamespace(twin);
    s.setPhase(phase);
    s.setMessage(message);
    return s;
  }

  private static String describe(KubernetesClientException e) {
    if (e.getCode() == 0 || e.getCause() instanceof java.io.IOException) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return Reasons.API_SERVER_UNREACHABLE + ": the provider's API server did not answer ("
          + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
          + "); retrying with backoff";
    }
    if (e.getCode() == 403) {
      return "Forbidden: the provider refused this cluster's credentials for TwinNamespaces; check the peering";
    }
    return "the provider answered " + e.getCode() + ": " + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
  }

  private void createDefault(String namespace) {
    NamespaceOffloading nsof = new NamespaceOffloading();
    nsof.getMetadata().setName(PontoonNames.NAMESPACE_OFFLOADING_NAME);
    nsof.getMetadata().setNamespace(namespace);
    nsof.getMetadata().setAnnotations(Map.of(ANNOTATION_FROM_LABEL, "true"));
    nsof.getMetadata().setFinalizers(List.of(PontoonNames.FINALIZER_OFFLOADING));
    try {
      client.resources(NamespaceOffloading.class).inNamespace(namespace).resource(nsof).create();
      LOG.info("controller=namespaceoffloading namespace={} action=createDefault", namespace);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void setNamespaceLabel(Namespace ns, String value) {
    if (ns == null || Objects.equals(label(ns, LABEL_OFFLOADING), value)) {
      return;
    }
    String patch = value == null
        ? "{\"metadata\":{\"labels\":{\"" + LABEL_OFFLOADING + "\":null}}}"
        : "{\"metadata\":{\"labels\":{\"" + LABEL_OFFLOADING + "\":\"" + value + "\"}}}";
    client.namespaces().withName(ns.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private void writeStatus(NamespaceOffloading nsof, NamespaceOffloadingStatus current, NamespaceOffloadingStatus next) {
    if (next.equals(current) && nsof.getStatus() != null) {
      return;
    }
    NamespaceOffloading update = new NamespaceOffloading();
    update.setMetadata(nsof.getMetadata());
    update.setSpec(nsof.getSpec());
    update.setStatus(next);
    client.resources(NamespaceOffloading.class).inNamespace(nsof.getMetadata().getNamespace()).resource(update).updateStatus();
  }

  private static String label(io.fabric8.kubernetes.api.model.HasMetadata obj, String key) {
    return obj.getMetadata().getLabels() == null ? null : obj.getMetadata().getLabels().get(key);
  }

  @Override
  public void close() {
    loop.close();
    for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {offloadings, namespaces, nodes, foreignClusters, credentials}) {
      if (i != null) i.close();
    }
    providers.close();
  }
}
