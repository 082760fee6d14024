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
 * certificates depend on: the {@link GarbageCollector}, namespace deletion, the CSR signer for the built-in signers, and CRD establishment.
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
  /** Every 15th resync (30 s) the collector looks at everything it knows again, in case a write failed. */
  private static final int GC_RESYNC_EVERY = 15;
  private final GarbageCollector gc;
  private long resyncs;

  ServerControllers(ObjectStore store, ResourceRegistry registry, Deleter deleter, CustomResources customResources,
      ClusterCa ca, String clusterName) {
    this.store = store;
    this.registry = registry;
    this.deleter = deleter;
    this.customResources = customResources;
    this.ca = ca;
    this.gc = new GarbageCollector(store, deleter);
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
    for (ResourceType t : registry.all()) {
      if (t.storage() != ResourceType.Storage.STORED) continue;
      long rv = store.revision();
      for (ObjectNode o : store.all(t)) gc.observe(new ObjectStore.Change(t, rv, WatchEvent.Type.ADDED, null, o));
    }
    store.addListener(change -> {
      if (gc.observe(change)) scheduleGarbageCollection();
      ObjectNode obj = change.current();
      String kind = obj.path("kind").asText();
      String apiVersion = obj.path("apiVersion").asText();
      // most changes (pod status, leases) concern no controller here: they must not queue work
      if (WATCHED_KINDS.contains(kind)) {
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
  }

  /** One drain of the collector's marks at a time; marks made meanwhile are taken by it. */
  private void scheduleGarbageCollection() {
    if (gcScheduled.compareAndSet(false, true)) {
      loop.execute(() -> {
        gcScheduled.set(false);
        safely(gc::process);
      });
    }
  }

  private void resync() {
    if (++resyncs % GC_RESYNC_EVERY == 0) gc.markAll();
    gc.process();
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    for (ObjectNode ns : store.all(nsType)) {
      if (Meta.isDeleting(ns)) finishNamespace(Meta.name(ns));
      else ensureDefaultServiceAccount(Meta.name(ns));
    }
    ResourceType csrType = registry.byKey("certificatesigningrequests.certificates.k8s.io").orElseThrow();
    store.all(csrType).forEach(this::sign);
  }

  /** Writes {@code next}, or deletes the object when that removed its last finalizer. */
  static void updateQuietly(ObjectStore store, ResourceType type, ObjectNode current, ObjectNode next) {
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
    updateQuietly(store, csrType, csr, next);
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
