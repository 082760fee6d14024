package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-controller-manager's garbage collector: dependents whose owners are all gone are deleted;
 * owners deleted in the foreground wait for their dependents; orphaning owners release theirs.
 *
 * <p>Like kube's, it keeps a graph of owner references fed by every change, so a change costs
 * work proportional to the objects it concerns: a pass never reads the whole store (with tens of
 * thousands of pods and a deletion burst, whole-store passes cost more than the API itself).
 * {@link #observe} runs on the writer's thread under the store's lock and only updates the graph
 * and marks objects to look at; {@link #process} does the deletions and updates on the controller
 * thread.
 */
final class GarbageCollector {
  /** Where an object lives and what the graph knows about it. */
  private record Node(ResourceType type, String namespace, String name, Set<String> owners, boolean deleting) {}

  private final ObjectStore store;
  private final Deleter deleter;
  /** Guards the fields below; never held while calling the store. */
  private final Object lock = new Object();
  private final Map<String, Node> byUid = new HashMap<>();
  private final Map<String, Set<String>> dependentsByOwner = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();

  GarbageCollector(ObjectStore store, Deleter deleter) {
    this.store = store;
    this.deleter = deleter;
  }

  /** Records a change in the graph; returns whether there is now something to process. */
  boolean observe(ObjectStore.Change change) {
    ObjectNode obj = change.current();
    String uid = Meta.uid(obj);
    if (uid.isEmpty() || change.resource().storage() != ResourceType.Storage.STORED) return false;
    synchronized (lock) {
      Node old = byUid.get(uid);
      if (change.type() == WatchEvent.Type.DELETED) {
        if (old == null) return !dirty.isEmpty();
        byUid.remove(uid);
        unlink(uid, old.owners());
        // its dependents may have lost their last owner; a foreground owner may be unblocked
        dirty.addAll(dependentsByOwner.getOrDefault(uid, Set.of()));
        dirty.addAll(old.owners());
        return !dirty.isEmpty();
      }
      Set<String> owners = ownerUids(obj);
      boolean deleting = Meta.isDeleting(obj);
      Node node = new Node(change.resource(), Meta.namespace(obj), Meta.name(obj), owners, deleting);
      byUid.put(uid, node);
      if (old != null) unlink(uid, old.owners());
      for (String o : owners) dependentsByOwner.computeIfAbsent(o, k -> new HashSet<>()).add(uid);
      if (deleting) dirty.add(uid);
      if (!owners.isEmpty() && (old == null || !old.owners().equals(owners) || deleting)) dirty.add(uid);
      // a dependent that changed (deleting, owner references edited) may unblock a foreground owner
      if (old != null && !owners.isEmpty() && (deleting || !old.owners().equals(owners))) dirty.addAll(owners);
      if (old != null && !old.owners().equals(owners)) dirty.addAll(old.owners());
      return !dirty.isEmpty();
    }
  }

  private void unlink(String uid, Set<String> owners) {
    for (String o : owners) {
      Set<String> deps = dependentsByOwner.get(o);
      if (deps != null && deps.remove(uid) && deps.isEmpty()) dependentsByOwner.remove(o);
    }
  }

  private static Set<String> ownerUids(JsonNode obj) {
    JsonNode refs = obj.path("metadata").path("ownerReferences");
    if (refs.isEmpty()) return Set.of();
    Set<String> out = new HashSet<>();
    for (JsonNode r : refs) {
      String u = r.path("uid").asText("");
      if (!u.isEmpty()) out.add(u);
    }
    return out;
  }

  /** Marks every object that has owners or is being deleted: a safety net, cheap without the store. */
  void markAll() {
    synchronized (lock) {
      byUid.forEach((uid, n) -> {
        if (n.deleting() || !n.owners().isEmpty()) dirty.add(uid);
      });
    }
  }

  /** Looks at every marked object; errors leave the rest marked for the next call. */
  void process() {
    while (true) {
      String uid;
      synchronized (lock) {
        if (dirty.isEmpty()) return;
        var it = dirty.iterator();
        uid = it.next();
        it.remove();
      }
      try {
        examine(uid);
      } catch (RuntimeException e) {
        synchronized (lock) {
          dirty.add(uid);
        }
        throw e;
      }
    }
  }

  private record Ref(ResourceType type, ObjectNode obj) {}

  private Ref current(String uid) {
    Node n;
    synchronized (lock) {
      n = byUid.get(uid);
    }
    if (n == null) return null;
    ObjectNode obj = store.get(n.type(), n.namespace(), n.name()).orElse(null);
    return obj == null || !Meta.uid(obj).equals(uid) ? null : new Ref(n.type(), obj);
  }

  private List<Ref> dependentsOf(String uid) {
    List<String> uids;
    synchronized (lock) {
      uids = new ArrayList<>(dependentsByOwner.getOrDefault(uid, Set.of()));
    }
    List<Ref> out = new ArrayList<>();
    for (String d : uids) {
      Ref r = current(d);
      if (r != null) out.add(r);
    }
    return out;
  }

  private void examine(String uid) {
    Ref ref = current(uid);
    if (ref == null) return;
    ObjectNode obj = ref.obj();
    if (Meta.isDeleting(obj)) {
      List<Ref> deps = dependentsOf(uid);
      if (Meta.hasFinalizer(obj, Deleter.ORPHAN)) {
        for (Ref d : deps) removeOwnerReference(d, uid);
        removeFinalizer(ref, Deleter.ORPHAN);
      } else if (Meta.hasFinalizer(obj, Deleter.FOREGROUND)) {
        boolean blocking = false;
        for (Ref d : deps) {
          if (!Meta.isDeleting(d.obj())) deleteQuietly(d, "Foreground");
          if (blocksOwner(d.obj(), uid)) blocking = true;
        }
        if (!blocking) removeFinalizer(ref, Deleter.FOREGROUND);
      }
      return;
    }
    JsonNode refs = obj.path("metadata").path("ownerReferences");
    if (refs.isEmpty()) return;
    boolean anyOwnerLeft = false;
    boolean foregroundOwner = false;
    for (JsonNode r : refs) {
      Ref owner = current(r.path("uid").asText(""));
      if (owner != null) {
        anyOwnerLeft = true;
        if (Meta.isDeleting(owner.obj()) && Meta.hasFinalizer(owner.obj(), Deleter.FOREGROUND)) {
          foregroundOwner = true;
        }
      }
    }
    if (!anyOwnerLeft) deleteQuietly(ref, "Background");
    else if (foregroundOwner) deleteQuietly(ref, "Foreground");
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
    ObjectNode current = d.obj();
    ObjectNode next = current.deepCopy();
    ArrayNode kept = Json.NODES.arrayNode();
    current.path("metadata").path("ownerReferences").forEach(r -> {
      if (!r.path("uid").asText().equals(ownerUid)) kept.add(r);
    });
    if (kept.isEmpty()) Meta.metadata(next).remove("ownerReferences");
    else Meta.metadata(next).set("ownerReferences", kept);
    ServerControllers.updateQuietly(store, d.type(), current, next);
  }

  private void removeFinalizer(Ref owner, String finalizer) {
    ObjectNode next = owner.obj().deepCopy();
    Meta.removeFinalizer(next, finalizer);
    ServerControllers.updateQuietly(store, owner.type(), owner.obj(), next);
  }
}
