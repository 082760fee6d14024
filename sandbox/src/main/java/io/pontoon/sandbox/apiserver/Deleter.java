package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * kube-apiserver's deletion rules: preconditions, graceful deletion of pods bound to a node,
 * finalizers (including the garbage collector's {@code foregroundDeletion} and {@code orphan}),
 * propagation policies and the namespace's Terminating phase.
 */
final class Deleter {
  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";
  private static final int RETRIES = 8;

  /** The options of one delete, from the body (DeleteOptions) or the query. */
  record Options(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
      String preconditionResourceVersion, boolean dryRun) {

    static Options of(ApiRequest req) {
      JsonNode body = req.body() == null || req.body().length == 0 ? Json.object() : Json.parse(req.body());
      Long grace = body.hasNonNull("gracePeriodSeconds") ? body.get("gracePeriodSeconds").asLong() : null;
      if (grace == null && req.param("gracePeriodSeconds") != null) {
        grace = ResourceHandler.parseLong(req.param("gracePeriodSeconds"), 0, "gracePeriodSeconds");
      }
      String policy = body.path("propagationPolicy").asText(req.param("propagationPolicy", ""));
      JsonNode orphan = body.get("orphanDependents");
      if (policy.isEmpty() && (orphan != null && orphan.asBoolean() || req.flag("orphanDependents"))) {
        policy = "Orphan";
      }
      if (!policy.isEmpty() && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
        throw ApiException.invalid("", "DeleteOptions", "", List.of(new ApiException.Cause("FieldValueNotSupported",
            "Unsupported value: \"" + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
            "propagationPolicy")));
      }
      JsonNode pre = body.path("preconditions");
      boolean dryRun = req.dryRun();
      for (JsonNode d : body.path("dryRun")) dryRun |= d.asText().equals("All");
      return new Options(grace, policy, pre.path("uid").asText(null), pre.path("resourceVersion").asText(null),
          dryRun);
    }
  }

  private final ObjectStore store;

  Deleter(ObjectStore store) {
    this.store = store;
  }

  ApiResponse delete(ApiRequest req, ResourceType type, String namespace, String name) {
    Options options = Options.of(req);
    ObjectNode result = delete(type, namespace, name, options);
    return ApiResponse.Full.json(200, result);
  }

  ApiResponse deleteCollection(ApiRequest req, ResourceType type, Predicate<ObjectNode> filter) {
    Options options = Options.of(req);
    String ns = type.namespaced() && !req.info().namespace().isEmpty() ? req.info().namespace() : null;
    for (ObjectNode o : store.list(type, ns, filter, null, 0).items()) {
      try {
        delete(type, Meta.namespace(o), Meta.name(o), options);
      } catch (ApiException e) {
        if (e.code() != 404) throw e;
      }
    }
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    return ApiResponse.Full.json(200, s);
  }

  /**
   * Deletes one object. Returns the object while its deletion is pending (grace period or
   * finalizers), else a success Status, as kube-apiserver.
   */
  ObjectNode delete(ResourceType type, String namespace, String name, Options options) {
    for (int attempt = 0; ; attempt++) {
      ObjectNode current = store.get(type, namespace, name)
          .orElseThrow(() -> ApiException.notFound(type.group(), type.plural(), name));
      checkPreconditions(type, current, options);
      try {
        return deleteOnce(type, current, options);
      } catch (ApiException e) {
        if (e.code() != 409 || options.preconditionResourceVersion() != null || attempt >= RETRIES) throw e;
      }
    }
  }

  private static void checkPreconditions(ResourceType type, ObjectNode current, Options o) {
    String uid = Meta.uid(current);
    if (o.preconditionUid() != null && !o.preconditionUid().equals(uid)) {
      throw ApiException.conflict(type.group(), type.plural(), Meta.name(current),
          "Precondition failed: UID in precondition: " + o.preconditionUid() + ", UID in object meta: " + uid);
    }
    String rv = current.path("metadata").path("resourceVersion").asText();
    if (o.preconditionResourceVersion() != null && !o.preconditionResourceVersion().equals(rv)) {
      throw ApiException.conflict(type.group(), type.plural(), Meta.name(current),
          "Precondition failed: ResourceVersion in precondition: " + o.preconditionResourceVersion()
              + ", ResourceVersion in object meta: " + rv);
    }
  }

  private ObjectNode deleteOnce(ResourceType type, ObjectNode current, Options options) {
    long expected = ObjectStore.resourceVersionOf(current);
    if (type.key().equals("namespaces")) return deleteNamespace(type, current, options, expected);
    long grace = gracePeriod(type, current, options);
    ObjectNode next = current.deepCopy();
    ObjectNode meta = Meta.metadata(next);
    String policy = options.propagationPolicy();
    if (policy.equals("Foreground")) Meta.addFinalizer(next, FOREGROUND);
    if (policy.equals("Orphan")) Meta.addFinalizer(next, ORPHAN);
    boolean alreadyDeleting = Meta.isDeleting(current);
    if (alreadyDeleting) {
      long currentGrace = current.path("metadata").path("deletionGracePeriodSeconds").asLong(0);
      if (grace < currentGrace) {
        // a later delete may shorten a pending grace period, never lengthen it
        meta.put("deletionGracePeriodSeconds", grace);
        meta.put("deletionTimestamp", Meta.timestamp(Instant.now().plusSeconds(grace)));
      }
    } else {
      meta.put("deletionGracePeriodSeconds", grace);
      meta.put("deletionTimestamp", Meta.timestamp(Instant.now().plusSeconds(grace)));
    }
    boolean immediate = !Meta.hasFinalizers(next) && meta.path("deletionGracePeriodSeconds").asLong() == 0;
    if (options.dryRun()) {
      return immediate ? Status.success(type.group(), type.plural(), Meta.name(current), Meta.uid(current)) : next;
    }
    if (immediate) {
      ObjectNode gone = store.remove(type, Meta.namespace(current), Meta.name(current), expected);
      return type.key().equals("pods") ? gone
          : Status.success(type.group(), type.plural(), Meta.name(current), Meta.uid(current));
    }
    if (next.equals(current)) return current;
    return store.update(type, next, expected);
  }

  /** Pods bound to a node get their grace period; everything else goes at once. */
  private static long gracePeriod(ResourceType type, ObjectNode obj, Options options) {
    if (!type.key().equals("pods")) return 0;
    String phase = obj.path("status").path("phase").asText("");
    if (obj.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded")
        || phase.equals("Failed")) {
      return 0;
    }
    if (options.gracePeriodSeconds() != null) return Math.max(0, options.gracePeriodSeconds());
    return obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
  }

  private ObjectNode deleteNamespace(ResourceType type, ObjectNode ns, Options options, long expected) {
    JsonNode specFinalizers = ns.path("spec").path("finalizers");
    boolean waits = specFinalizers.isArray() && !specFinalizers.isEmpty() || Meta.hasFinalizers(ns);
    if (options.dryRun()) return ns;
    if (!waits) {
      store.remove(type, "", Meta.name(ns), expected);
      return Status.success("", "namespaces", Meta.name(ns), Meta.uid(ns));
    }
    if (Meta.isDeleting(ns)) return ns;
    ObjectNode next = ns.deepCopy();
    Meta.metadata(next).put("deletionTimestamp", Meta.now());
    Meta.metadata(next).put("deletionGracePeriodSeconds", 0);
    next.with("status").put("phase", "Terminating");
    return store.update(type, next, expected);
  }
}
