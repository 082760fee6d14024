package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.patch.PatchType;
import io.pontoon.sandbox.apiserver.patch.Patches;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.apiserver.storage.Watch;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The REST semantics of stored resources: get, list, watch, create, update, patch, delete and
 * deletecollection, with kube-apiserver's rules for metadata, resource versions, generation, the
 * status subresource, admission and validation.
 */
final class ResourceHandler {
  private static final int UNPINNED_WRITE_RETRIES = 8;

  private final ObjectStore store;
  private final Admission admission;
  private final Deleter deleter;
  private final TableConvertor tables;
  private final SecureRandom random = new SecureRandom();

  ResourceHandler(ObjectStore store, Admission admission, Deleter deleter, TableConvertor tables) {
    this.store = store;
    this.admission = admission;
    this.deleter = deleter;
    this.tables = tables;
  }

  ApiResponse handle(ApiRequest req, ResourceType type) {
    RequestInfo info = req.info();
    String sub = info.subresource();
    if (!info.hasName() && (info.verb().equals("update") || info.verb().equals("patch"))) {
      // PUT and PATCH exist on objects only, not on collections
      throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }
    return switch (info.verb()) {
      case "get" -> ApiResponse.Full.json(200, render(req, type, sub.isEmpty() || sub.equals("status")
          ? get(type, info.namespace(), info.name()) : Subresources.read(this, type, info)));
      case "list" -> list(req, type);
      case "watch" -> watch(req, type);
      case "create" -> ApiResponse.Full.json(201, create(req, type, parseObject(req)));
      case "update" -> ApiResponse.Full.json(200, update(req, type, parseObject(req)));
      case "patch" -> ApiResponse.Full.json(200, patch(req, type));
      case "delete" -> deleter.delete(req, type, info.namespace(), info.name());
      case "deletecollection" -> deleter.deleteCollection(req, type, Selection.of(req, type));
      default -> throw new ApiException(405, "MethodNotAllowed",
          "the server does not allow this method on the requested resource");
    };
  }

  private JsonNode render(ApiRequest req, ResourceType type, ObjectNode obj) {
    return req.wantsTable() ? tables.single(type, obj) : obj;
  }

  ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name)
        .orElseThrow(() -> ApiException.notFound(type.group(), type.plural(), name));
  }

  // ---- list and watch -------------------------------------------------------------------

  private ApiResponse list(ApiRequest req, ResourceType type) {
    Predicate<ObjectNode> filter = Selection.of(req, type);
    long limit = parseLong(req.param("limit"), 0, "limit");
    String cont = req.param("continue");
    String startAfter = null;
    Long pinnedRevision = null;
    if (cont != null && !cont.isEmpty()) {
      ContinueToken t = ContinueToken.decode(cont);
      startAfter = t.startAfter();
      pinnedRevision = t.revision();
    }
    String ns = type.namespaced() && !req.info().namespace().isEmpty() ? req.info().namespace() : null;
    // later pages of a paged list read the snapshot of the first page
    ObjectStore.Page page = store.list(type, ns, filter, startAfter, limit,
        pinnedRevision == null ? -1 : pinnedRevision);
    long rv = pinnedRevision != null ? pinnedRevision : page.revision();
    if (req.wantsTable()) return ApiResponse.Full.json(200, tables.list(type, page, rv));
    ObjectNode list = Json.object();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion(req.info().version()));
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", Long.toString(rv));
    if (page.continueAfter() != null) {
      meta.put("continue", new ContinueToken(rv, page.continueAfter()).encode());
      meta.put("remainingItemCount", page.remaining());
    }
    ArrayNode items = list.putArray("items");
    for (ObjectNode o : page.items()) items.add(o);
    return ApiResponse.Full.json(200, list);
  }

  private ApiResponse watch(ApiRequest req, ResourceType type) {
    Predicate<ObjectNode> filter = Selection.of(req, type);
    if (req.info().hasName()) {
      String name = req.info().name();
      filter = filter.and(o -> Meta.name(o).equals(name));
    }
    String rvParam = req.param("resourceVersion", "");
    boolean initialEvents = req.flag("sendInitialEvents");
    long from;
    if (rvParam.isEmpty() || rvParam.equals("0") || initialEvents) {
      from = -1;
    } else {
      from = parseLong(rvParam, 0, "resourceVersion");
    }
    long timeout = parseLong(req.param("timeoutSeconds"), 1800, "timeoutSeconds");
    String ns = type.namespaced() && !req.info().namespace().isEmpty() ? req.info().namespace() : null;
    Watch w;
    try {
      w = store.watch(type, ns, filter, Selection.pinnedNodeName(req, type), from, initialEvents);
    } catch (ApiException e) {
      if (e.code() != 410) throw e;
      // kube-apiserver answers 200 and streams the error as the watch's only event
      w = Watch.ofSingleEvent(new WatchEvent(WatchEvent.Type.ERROR, Status.of(e)));
    }
    return new ApiResponse.Stream(type, w, timeout, req.flag("allowWatchBookmarks"), req.wantsTable());
  }

  // ---- create ---------------------------------------------------------------------------

  ObjectNode parseObject(ApiRequest req) {
    JsonNode body = Json.parse(req.body());
    if (!(body instanceof ObjectNode o)) {
      throw ApiException.badRequest("the body of the request must be a JSON object");
    }
    return o;
  }

  ObjectNode create(ApiRequest req, ResourceType type, ObjectNode obj) {
    RequestInfo info = req.info();
    if (!info.subresource().isEmpty()) return Subresources.create(this, req, type, obj);
    checkTypeMeta(type, info.version(), obj);
    obj.put("apiVersion", type.apiVersion(info.version()));
    obj.put("kind", type.kind());
    ObjectNode meta = Meta.metadata(obj);
    if (type.namespaced()) {
      String bodyNs = meta.path("namespace").asText("");
      if (!bodyNs.isEmpty() && !bodyNs.equals(info.namespace())) {
        throw ApiException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      if (info.namespace().isEmpty()) {
        throw ApiException.badRequest("the server could not find the requested resource: a namespace is required");
      }
      meta.put("namespace", info.namespace());
    } else {
      meta.remove("namespace");
    }
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      String gen = meta.path("generateName").asText("");
      if (gen.isEmpty()) {
        throw ApiException.invalid(type.group(), type.kind(), "", List.of(new Cause("FieldValueRequired",
            "Required value: name or generateName is required", "metadata.name")));
      }
      name = gen + Meta.randomSuffix(random, 5);
      meta.put("name", name);
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Meta.now());
    meta.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink",
        "managedFields"));
    meta.put("generation", 1);
    // Status is not the creator's to set, except on nodes: kubelets register theirs with it.
    if (type.hasStatus() && !(type.group().isEmpty() && type.plural().equals("nodes"))) obj.remove("status");
    ObjectNode admitted = admission.admit(req, type, Admission.Operation.CREATE, obj, null);
    if (req.dryRun()) return admitted;
    try {
      return store.create(type, admitted);
    } catch (ApiException e) {
      admission.abandon(type, admitted);
      if (e.code() == 409) throw ApiException.alreadyExists(type.group(), type.plural(), name);
      throw e;
    }
  }

  private static void checkTypeMeta(ResourceType type, String version, ObjectNode obj) {
    String apiVersion = obj.path("apiVersion").asText("");
    String kind = obj.path("kind").asText("");
    String expected = type.apiVersion(version);
    if (!apiVersion.isEmpty() && !apiVersion.equals(expected)) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + expected + ")");
    }
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
          + type.kind() + ")");
    }
  }

  // ---- update and patch -----------------------------------------------------------------

  ObjectNode update(ApiRequest req, ResourceType type, ObjectNode obj) {
    RequestInfo info = req.info();
    // a scale subresource takes an autoscaling/v1 Scale, checked by its own handler
    if (!info.subresource().equals("scale")) checkTypeMeta(type, info.version(), obj);
    String bodyName = Meta.name(obj);
    if (!bodyName.isEmpty() && !bodyName.equals(info.name())) {
      throw ApiException.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + info.name() + ")");
    }
    String bodyNs = Meta.namespace(obj);
    if (type.namespaced() && !bodyNs.isEmpty() && !bodyNs.equals(info.namespace())) {
      throw ApiException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    String bodyRv = obj.path("metadata").path("resourceVersion").asText("");
    for (int attempt = 0; ; attempt++) {
      ObjectNode old = get(type, info.namespace(), info.name());
      try {
        if (info.subresource().equals("scale")) return Subresources.writeScale(this, req, type, old, obj);
        if (!bodyRv.isEmpty() && !bodyRv.equals(old.path("metadata").path("resourceVersion").asText())) {
          throw ApiException.conflict(type.group(), type.plural(), info.name(),
              "the object has been modified; please apply your changes to the latest version and try again");
        }
        return write(req, type, old, obj);
      } catch (ApiException e) {
        // An update without a resourceVersion is unconditional, as kube-apiserver's: a concurrent
        // writer between the read and the write means trying again on the new object.
        if (e.code() != 409 || !bodyRv.isEmpty() || attempt >= UNPINNED_WRITE_RETRIES) throw e;
      }
    }
  }

  private ObjectNode patch(ApiRequest req, ResourceType type) {
    RequestInfo info = req.info();
    PatchType patchType = PatchType.fromContentType(req.contentType(), admission.isCustom(type));
    if (patchType == PatchType.APPLY_PATCH) throw PatchType.applyNotSupported();
    for (int attempt = 0; ; attempt++) {
      ObjectNode old = info.subresource().equals("scale") || info.subresource().equals("status")
          || info.subresource().isEmpty() ? get(type, info.namespace(), info.name()) : null;
      if (old == null) throw ApiException.notFound(type.group(), type.plural(), info.name());
      ObjectNode base = info.subresource().equals("scale") ? Subresources.scaleOf(type, old) : old;
      ObjectNode patched = Patches.apply(base, req.body(), patchType, type.group(), base.path("kind").asText());
      String pinned = patched.path("metadata").path("resourceVersion").asText("");
      if (!pinned.isEmpty() && !pinned.equals(base.path("metadata").path("resourceVersion").asText())) {
        throw ApiException.conflict(type.group(), type.plural(), info.name(),
            "the object has been modified; please apply your changes to the latest version and try again");
      }
      try {
        if (info.subresource().equals("scale")) return Subresources.writeScale(this, req, type, old, patched);
        return write(req, type, old, patched);
      } catch (ApiException e) {
        // a concurrent writer won; a patch without a pinned version is retried on the new object
        if (e.code() != 409 || attempt >= UNPINNED_WRITE_RETRIES || pinsVersion(base, req.body(), patchType, type)) throw e;
      }
    }
  }

  /**
   * Whether the patch body itself names a resourceVersion: the patched object always carries one
   * (the base's), so the patch is applied again onto a base whose version is blank.
   */
  private static boolean pinsVersion(ObjectNode base, byte[] body, PatchType patchType, ResourceType type) {
    ObjectNode blank = base.deepCopy();
    Meta.metadata(blank).put("resourceVersion", "");
    try {
      return !Patches.apply(blank, body, patchType, type.group(), base.path("kind").asText())
          .path("metadata").path("resourceVersion").asText("").isEmpty();
    } catch (ApiException e) {
      return true;
    }
  }

  /**
   * Turns a desired object into the next stored state of {@code old}: server-owned metadata is
   * kept, status or main resource is protected by the subresource rules, generation follows spec
   * changes, admission runs, and a write that changes nothing is not written.
   */
  ObjectNode write(ApiRequest req, ResourceType type, ObjectNode old, ObjectNode desired) {
    String sub = req.info().subresource();
    // an empty UID takes the stored one; another one is refused, on every subresource, as
    // ValidateObjectMetaUpdate does: a writer's UID precondition (the kubelet's status patch)
    String uid = desired.path("metadata").path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(old.path("metadata").path("uid").asText())) {
      throw ApiException.invalid(type.group(), type.kind(), Meta.name(old), List.of(new ApiException.Cause(
          "FieldValueInvalid", "Invalid value: \"" + uid + "\": field is immutable", "metadata.uid")));
    }
    ObjectNode next;
    if (sub.equals("status")) {
      next = old.deepCopy();
      JsonNode status = desired.get("status");
      if (status == null) next.remove("status");
      else next.set("status", status);
    } else if (sub.equals("approval")) {
      // the approval subresource changes the Approved/Denied conditions and nothing else
      next = old.deepCopy();
      JsonNode conditions = desired.path("status").get("conditions");
      if (conditions == null) next.with("status").remove("conditions");
      else next.with("status").set("conditions", conditions);
    } else if (sub.equals("finalize")) {
      next = old.deepCopy();
      JsonNode finalizers = desired.path("spec").get("finalizers");
      if (finalizers == null) next.with("spec").remove("finalizers");
      else next.with("spec").set("finalizers", finalizers);
    } else if (!sub.isEmpty()) {
      throw ApiException.notFound(type.group(), type.plural() + "/" + sub, req.info().name());
    } else {
      next = desired.deepCopy();
      next.put("apiVersion", old.path("apiVersion").asText());
      next.put("kind", type.kind());
      ObjectNode meta = Meta.metadata(next);
      ObjectNode oldMeta = (ObjectNode) old.get("metadata");
      for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
          "namespace", "name", "generation")) {
        if (oldMeta.has(f)) meta.set(f, oldMeta.get(f));
        else meta.remove(f);
      }
      if (type.hasStatus()) {
        if (old.has("status")) next.set("status", old.get("status"));
        else next.remove("status");
      }
      if (type.key().equals("namespaces")) {
        // spec.finalizers only change through the finalize subresource
        JsonNode fin = old.path("spec").get("finalizers");
        if (fin != null) ((ObjectNode) next.with("spec")).set("finalizers", fin);
      }
      if (specChanged(old, next)) meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
    }
    meta(next).put("resourceVersion", old.path("metadata").path("resourceVersion").asText());
    ObjectNode admitted = admission.admit(req, type, Admission.Operation.UPDATE, next, old);
    if (sameIgnoringVolatile(admitted, old)) return old;
    if (req.dryRun()) return admitted;
    long expected = ObjectStore.resourceVersionOf(old);
    try {
      if (Meta.isDeleting(admitted) && !Meta.hasFinalizers(admitted)
          && admitted.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0) {
        // the last finalizer went away from an object that waits only for them: it is deleted now
        return store.remove(type, Meta.namespace(admitted), Meta.name(admitted), expected);
      }
      return store.update(type, admitted, expected);
    } catch (ApiException e) {
      admission.abandon(type, admitted);
      throw e;
    }
  }

  private static ObjectNode meta(ObjectNode o) {
    return Meta.metadata(o);
  }

  /** Equal but for resourceVersion and managedFields, compared without copying either tree. */
  private static boolean sameIgnoringVolatile(ObjectNode a, ObjectNode b) {
    if (a.size() != b.size()) return false;
    for (var it = a.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode other = b.get(e.getKey());
      if (other == null) return false;
      if (e.getKey().equals("metadata") && e.getValue() instanceof ObjectNode ma && other instanceof ObjectNode mb) {
        if (!sameMetadata(ma, mb)) return false;
      } else if (!e.getValue().equals(other)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameMetadata(ObjectNode a, ObjectNode b) {
    int skippedA = (a.has("resourceVersion") ? 1 : 0) + (a.has("managedFields") ? 1 : 0);
    int skippedB = (b.has("resourceVersion") ? 1 : 0) + (b.has("managedFields") ? 1 : 0);
    if (a.size() - skippedA != b.size() - skippedB) return false;
    for (var it = a.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("resourceVersion") || e.getKey().equals("managedFields")) continue;
      if (!e.getValue().equals(b.get(e.getKey()))) return false;
    }
    return true;
  }

  /** Everything but metadata and status is "spec" for the generation counter. */
  private static boolean specChanged(ObjectNode old, ObjectNode next) {
    ObjectNode a = old.deepCopy();
    ObjectNode b = next.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      o.remove(List.of("metadata", "status", "apiVersion", "kind"));
    }
    return !a.equals(b);
  }

  // ---- helpers --------------------------------------------------------------------------

  static long parseLong(String v, long fallback, String what) {
    if (v == null || v.isEmpty()) return fallback;
    try {
      long n = Long.parseLong(v);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid " + what + ": \"" + v + "\" is not a non-negative integer");
    }
  }

  ObjectStore store() {
    return store;
  }

  Admission admission() {
    return admission;
  }

  /** The opaque {@code continue} token of a paged list. */
  record ContinueToken(long revision, String startAfter) {
    String encode() {
      ObjectNode o = Json.object();
      o.put("v", "meta.k8s.io/v1");
      o.put("rv", revision);
      o.put("start", startAfter);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(o));
    }

    static ContinueToken decode(String token) {
      try {
        JsonNode o = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII)));
        if (!o.path("start").isTextual() || !o.path("rv").canConvertToLong()) throw new IllegalArgumentException();
        return new ContinueToken(o.path("rv").asLong(), o.path("start").asText());
      } catch (Exception e) {
        throw ApiException.badRequest("continue key is not valid: the token could not be decoded");
      }
    }
  }
}
