package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.auth.ClusterCa;
import io.pontoon.sandbox.apiserver.auth.CsrValidation;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loops kube-apiserver and kube-controller-manager run that deletion and
 * certificates depend on: the garbage collector (owner references; Background, Foreground,
 * Orphan), namespace deletion, the CSR signer for the built-in signers, and CRD establishment.
 * One thread; store changes enqueue work, a periodic resync catches anything missed.
 */
final class ServerControllers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerControllers.class);
  private static final Duration MAX_CERT_VALIDITY = Duration.ofDays(365);

  private final ObjectStore store;
  private final ResourceRegistry registry;
  private final Deleter deleter;
  private final CustomResources customResources;
  private final ClusterCa ca;
  private final ScheduledExecutorService loop;
  private static final java.util.Set<String> WATCHED_KINDS =
      java.util.Set.of("CustomResourceDefinition", "Namespace", "CertificateSigningRequest");
  private final java.util.concurrent.atomic.AtomicBoolean gcScheduled = new java.util.concurrent.atomic.AtomicBoolean();

  ServerControllers(ObjectStore store, ResourceRegistry registry, Deleter deleter, CustomResources customResources,
      ClusterCa ca, String clusterName) {
    this.store = store;
    this.registry = registry;
    this.deleter = deleter;
    this.customResources = customResources;
    this.ca = ca;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sandbox-controllers-" + clusterName);
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    // namespaces made before the controllers ran (the bootstrap ones) get theirs before serving
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    store.all(nsType).forEach(ns -> ensureDefaultServiceAccount(Meta.name(ns)));
    store.addListener(change -> {
      ObjectNode obj = change.current();
      String kind = obj.path("kind").asText();
      String apiVersion = obj.path("apiVersion").asText();
      // most changes (pod status, leases) concern no controller here: they must not queue work
      if (WATCHED_KINDS.contains(kind) || change.type() == WatchEvent.Type.DELETED || Meta.isDeleting(obj)) {
        loop.execute(() -> safely(() -> onChange(kind, apiVersion, change)));
      }
    });
    // a first pass right away: the namespaces created at bootstrap get their ServiceAccounts at once
    loop.scheduleWithFixedDelay(() -> safely(this::resync), 0, 2, TimeUnit.SECONDS);
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("controller step failed, will retry on resync: {}", e.toString());
    }
  }

  private void onChange(String kind, String apiVersion, ObjectStore.Change change) {
    ObjectNode obj = change.current();
    switch (kind) {
      case "CustomResourceDefinition" -> {
        if (apiVersion.startsWith("apiextensions.k8s.io/")) customResources.sync(obj, change.type());
      }
      case "Namespace" -> {
        if (change.type() != WatchEvent.Type.DELETED && Meta.isDeleting(obj)) finishNamespace(Meta.name(obj));
        else if (change.type() == WatchEvent.Type.ADDED) ensureDefaultServiceAccount(Meta.name(obj));
      }
      case "CertificateSigningRequest" -> {
        if (change.type() != WatchEvent.Type.DELETED) sign(obj);
      }
      default -> { }
    }
    if (change.type() == WatchEvent.Type.DELETED || Meta.isDeleting(obj)) scheduleGarbageCollection();
  }

  /** Coalesces the deletions of a burst into one pass: a pass reads every object. */
  private void scheduleGarbageCollection() {
    if (gcScheduled.compareAndSet(false, true)) {
      loop.schedule(() -> {
        gcScheduled.set(false);
        safely(this::collectGarbage);
      }, 50, TimeUnit.MILLISECONDS);
    }
  }

  private void resync() {
    collectGarbage();
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    for (ObjectNode ns : store.all(nsType)) {
      if (Meta.isDeleting(ns)) finishNamespace(Meta.name(ns));
      else ensureDefaultServiceAccount(Meta.name(ns));
    }
    ResourceType csrType = registry.byKey("certificatesigningrequests.certificates.k8s.io").orElseThrow();
    store.all(csrType).forEach(this::sign);
  }

  // ---- garbage collector ----------------------------------------------------------------

  private record Ref(ResourceType type, ObjectNode obj) {}

  /**
   * One pass over every object with owner references: dependents whose owners are all gone are
   * deleted; owners being deleted in the foreground wait for their dependents; orphaning owners
   * release theirs.
   */
  private void collectGarbage() {
    Map<String, Ref> byUid = new HashMap<>();
    List<Ref> dependents = new ArrayList<>();
    for (ResourceType t : registry.all()) {
      if (t.storage() != ResourceType.Storage.STORED) continue;
      for (ObjectNode o : store.all(t)) {
        byUid.put(Meta.uid(o), new Ref(t, o));
        if (o.path("metadata").path("ownerReferences").size() > 0) dependents.add(new Ref(t, o));
      }
    }
    Map<String, List<Ref>> dependentsByOwner = new HashMap<>();
    for (Ref d : dependents) {
      for (JsonNode ref : d.obj().path("metadata").path("ownerReferences")) {
        dependentsByOwner.computeIfAbsent(ref.path("uid").asText(), k -> new ArrayList<>()).add(d);
      }
    }
    // orphaning and foreground owners
    for (Ref owner : byUid.values()) {
      if (!Meta.isDeleting(owner.obj())) continue;
      List<Ref> deps = dependentsByOwner.getOrDefault(Meta.uid(owner.obj()), List.of());
      if (Meta.hasFinalizer(owner.obj(), Deleter.ORPHAN)) {
        for (Ref d : deps) removeOwnerReference(d, Meta.uid(owner.obj()));
        removeFinalizer(owner, Deleter.ORPHAN);
      } else if (Meta.hasFinalizer(owner.obj(), Deleter.FOREGROUND)) {
        boolean blocking = false;
        for (Ref d : deps) {
          if (!Meta.isDeleting(d.obj())) deleteQuietly(d, "Foreground");
          if (blocksOwner(d.obj(), Meta.uid(owner.obj()))) blocking = true;
        }
        if (!blocking) removeFinalizer(owner, Deleter.FOREGROUND);
      }
    }
    // dependents whose owners are all gone
    for (Ref d : dependents) {
      if (Meta.isDeleting(d.obj())) continue;
      boolean anyOwnerLeft = false;
      boolean foregroundOwner = false;
      for (JsonNode ref : d.obj().path("metadata").path("ownerReferences")) {
        Ref owner = byUid.get(ref.path("uid").asText());
        if (owner != null) {
          anyOwnerLeft = true;
          if (Meta.isDeleting(owner.obj()) && Meta.hasFinalizer(owner.obj(), Deleter.FOREGROUND)) {
            foregroundOwner = true;
          }
        }
      }
      if (!anyOwnerLeft) deleteQuietly(d, "Background");
      else if (foregroundOwner) deleteQuietly(d, "Foreground");
    }
  }

  private static boolean blocksOwner(ObjectNode dependent, String ownerUid) {
    for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
      if (ref.path("uid").asText().equals(ownerUid)) return true;
    }
    return false;
  }

  private void deleteQuietly(Ref d, String policy) {
    try {
      deleter.delete(d.type(), Meta.namespace(d.obj()), Meta.name(d.obj()),
          new Deleter.Options(null, policy, Meta.uid(d.obj()), null, false));
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) throw e;
    }
  }

  private void removeOwnerReference(Ref d, String ownerUid) {
    ObjectNode current = store.get(d.type(), Meta.namespace(d.obj()), Meta.name(d.obj())).orElse(null);
    if (current == null) return;
    ObjectNode next = current.deepCopy();
    ArrayNode kept = Json.NODES.arrayNode();
    current.path("metadata").path("ownerReferences").forEach(r -> {
      if (!r.path("uid").asText().equals(ownerUid)) kept.add(r);
    });
    if (kept.isEmpty()) Meta.metadata(next).remove("ownerReferences");
    else Meta.metadata(next).set("ownerReferences", kept);
    updateQuietly(d.type(), current, next);
  }

  private void removeFinalizer(Ref owner, String finalizer) {
    ObjectNode current = store.get(owner.type(), Meta.namespace(owner.obj()), Meta.name(owner.obj())).orElse(null);
    if (current == null) return;
    ObjectNode next = current.deepCopy();
    Meta.removeFinalizer(next, finalizer);
    updateQuietly(owner.type(), current, next);
  }

  /** Writes {@code next}, or deletes the object when that removed its last finalizer. */
  private void updateQuietly(ResourceType type, ObjectNode current, ObjectNode next) {
    if (next.equals(current)) return;
    try {
      long rv = ObjectStore.resourceVersionOf(current);
      if (Meta.isDeleting(next) && !Meta.hasFinalizers(next)
          && next.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0
          && !type.key().equals("namespaces")) {
        store.remove(type, Meta.namespace(next), Meta.name(next), rv);
      } else {
        store.update(type, next, rv);
      }
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) throw e;
    }
  }

  // ---- namespaces -------------------------------------------------------------------------

  /** kube-controller-manager's serviceaccount controller: every active namespace has "default". */
  private void ensureDefaultServiceAccount(String namespace) {
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    ResourceType saType = registry.byKey("serviceaccounts").orElseThrow();
    ObjectNode ns = store.get(nsType, "", namespace).orElse(null);
    if (ns == null || Meta.isDeleting(ns) || store.get(saType, namespace, "default").isPresent()) return;
    ObjectNode sa = Json.object();
    sa.put("apiVersion", "v1");
    sa.put("kind", "ServiceAccount");
    ObjectNode meta = sa.putObject("metadata");
    meta.put("name", "default");
    meta.put("namespace", namespace);
    meta.put("uid", java.util.UUID.randomUUID().toString());
    meta.put("creationTimestamp", Meta.now());
    try {
      store.create(saType, sa);
    } catch (ApiException e) {
      if (e.code() != 409) throw e;
    }
  }

  /** Deletes the content of a Terminating namespace, then the namespace itself. */
  private void finishNamespace(String name) {
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    ObjectNode ns = store.get(nsType, "", name).orElse(null);
    if (ns == null || !Meta.isDeleting(ns)) return;
    int remaining = 0;
    Set<String> kinds = new HashSet<>();
    for (ResourceType t : registry.all()) {
      if (!t.namespaced() || t.storage() != ResourceType.Storage.STORED) continue;
      for (ObjectNode o : store.list(t, name, x -> true, null, 0).items()) {
        remaining++;
        kinds.add(t.plural() + "." + t.group());
        if (!Meta.isDeleting(o)) {
          try {
            deleter.delete(t, name, Meta.name(o), new Deleter.Options(null, "Background", null, null, false));
          } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) throw e;
          }
        }
      }
    }
    ObjectNode next = ns.deepCopy();
    ArrayNode conditions = next.with("status").putArray("conditions");
    ObjectNode c = conditions.addObject();
    c.put("type", "NamespaceContentRemaining");
    c.put("status", remaining > 0 ? "True" : "False");
    c.put("lastTransitionTime", Meta.now());
    c.put("reason", remaining > 0 ? "SomeResourcesRemain" : "ContentDeleted");
    c.put("message", remaining > 0 ? "Some resources are remaining: " + String.join(", ", kinds)
        : "All content successfully deleted, may be waiting on finalization");
    if (remaining == 0) next.with("spec").remove("finalizers");
    if (remaining == 0 && !Meta.hasFinalizers(next)) {
      try {
        store.remove(nsType, "", name, ObjectStore.resourceVersionOf(ns));
      } catch (ApiException e) {
        if (e.code() != 404 && e.code() != 409) throw e;
      }
      return;
    }
    if (!stripTimes(next).equals(stripTimes(ns))) {
      try {
        store.update(nsType, next, ObjectStore.resourceVersionOf(ns));
      } catch (ApiException e) {
        if (e.code() != 404 && e.code() != 409) throw e;
      }
    }
  }

  private static ObjectNode stripTimes(ObjectNode ns) {
    ObjectNode c = ns.deepCopy();
    for (JsonNode cond : c.path("status").path("conditions")) ((ObjectNode) cond).remove("lastTransitionTime");
    return c;
  }

  // ---- certificates -----------------------------------------------------------------------

  /** Issues certificates for approved CSRs of the built-in signers the sandbox implements. */
  private void sign(ObjectNode csr) {
    JsonNode status = csr.path("status");
    if (status.has("certificate")) return;
    boolean approved = false;
    for (JsonNode c : status.path("conditions")) {
      String type = c.path("type").asText();
      if (type.equals("Denied") || type.equals("Failed")) return;
      if (type.equals("Approved") && c.path("status").asText("True").equals("True")) approved = true;
    }
    if (!approved) return;
    String signer = csr.path("spec").path("signerName").asText("");
    if (!CsrValidation.isBuiltInSigner(signer)) return;
    ResourceType csrType = registry.byKey("certificatesigningrequests.certificates.k8s.io").orElseThrow();
    ObjectNode next = csr.deepCopy();
    byte[] pem;
    List<String> usages = new ArrayList<>();
    csr.path("spec").path("usages").forEach(u -> usages.add(u.asText()));
    try {
      pem = Base64.getDecoder().decode(csr.path("spec").path("request").asText(""));
      List<String> problems = CsrValidation.problems(signer, ClusterCa.parseCsr(pem), usages);
      if (!problems.isEmpty()) {
        fail(next, "SignerValidationFailure", String.join("; ", problems));
      } else {
        long seconds = csr.path("spec").path("expirationSeconds").asLong(MAX_CERT_VALIDITY.getSeconds());
        Duration validity = Duration.ofSeconds(Math.min(Math.max(seconds, 600), MAX_CERT_VALIDITY.getSeconds()));
        String cert = ca.signCsr(pem, usages, validity);
        next.with("status").put("certificate",
            Base64.getEncoder().encodeToString(cert.getBytes(StandardCharsets.US_ASCII)));
      }
    } catch (RuntimeException e) {
      fail(next, "SignerValidationFailure", "the certificate request could not be parsed: " + e.getMessage());
    }
    updateQuietly(csrType, csr, next);
  }

  private static void fail(ObjectNode csr, String reason, String message) {
    ArrayNode conditions = csr.with("status").withArray("conditions");
    ObjectNode c = conditions.addObject();
    c.put("type", "Failed");
    c.put("status", "True");
    c.put("reason", reason);
    c.put("message", message);
    c.put("lastUpdateTime", Meta.now());
    c.put("lastTransitionTime", Meta.now());
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
