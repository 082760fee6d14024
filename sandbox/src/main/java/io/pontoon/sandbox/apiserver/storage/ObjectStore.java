package io.pontoon.sandbox.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The in-memory equivalent of etcd plus kube-apiserver's watch cache: objects by resource type,
 * one global, strictly increasing revision that becomes each object's {@code resourceVersion},
 * compare-and-swap writes, and a bounded per-type history that watches replay from.
 *
 * <p>Stored trees are shared and must never be modified: callers copy before changing.
 */
public final class ObjectStore {
  /** A change as the history keeps it. */
  public record Change(ResourceType resource, long revision, WatchEvent.Type type, ObjectNode previous,
      ObjectNode current) {}

  /** A page of a list. {@code continueAfter} is the last key returned when more items remain. */
  public record Page(List<ObjectNode> items, long revision, String continueAfter, long remaining) {}

  private final Object lock = new Object();
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final int historyPerType;
  private final int maxQueuedPerWatch;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private long revision;

  private static final class Bucket {
    final NavigableMap<String, ObjectNode> objects = new TreeMap<>();
    final ArrayDeque<Change> history = new ArrayDeque<>();
    final List<Watch> watches = new CopyOnWriteArrayList<>();
    /** Pods only: the watches that pin {@code spec.nodeName}, by that value. */
    final Map<String, List<Watch>> byNodeName = new ConcurrentHashMap<>();
    /** Pods only: the other watches. */
    final List<Watch> unpinned = new CopyOnWriteArrayList<>();
    /** Every change of this type with a revision above this one is still in {@link #history}. */
    long horizon;
  }

  public ObjectStore(int historyPerType, int maxQueuedPerWatch) {
    this.historyPerType = historyPerType;
    this.maxQueuedPerWatch = maxQueuedPerWatch;
  }

  /** Listeners run synchronously, in revision order, after each change; they must be quick. */
  public void addListener(Consumer<Change> listener) {
    listeners.add(listener);
  }

  public long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  private Bucket bucket(String key) {
    return buckets.computeIfAbsent(key, k -> {
      Bucket b = new Bucket();
      b.horizon = revision;
      return b;
    });
  }

  static String objectKey(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    synchronized (lock) {
      return Optional.ofNullable(bucket(type.key()).objects.get(objectKey(type.namespaced() ? namespace : null, name)));
    }
  }

  public static long resourceVersionOf(ObjectNode obj) {
    String rv = obj.path("metadata").path("resourceVersion").asText("");
    try {
      return rv.isEmpty() ? 0 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Stores a new object; its {@code resourceVersion} is set here. */
  public ObjectNode create(ResourceType type, ObjectNode obj) {
    String ns = namespaceOf(obj);
    String name = nameOf(obj);
    synchronized (lock) {
      Bucket b = bucket(type.key());
      String key = objectKey(type.namespaced() ? ns : null, name);
      if (b.objects.containsKey(key)) throw ApiException.alreadyExists(type.group(), type.plural(), name);
      long rv = ++revision;
      ((ObjectNode) obj.get("metadata")).put("resourceVersion", Long.toString(rv));
      StoredObject stored = StoredObject.of(obj);
      b.objects.put(key, stored);
      publish(b, new Change(type, rv, WatchEvent.Type.ADDED, null, stored));
      return stored;
    }
  }

  /**
   * Replaces an object when its stored {@code resourceVersion} equals {@code expectedRevision};
   * otherwise 409 Conflict, as etcd's compare-and-swap under kube-apiserver's GuaranteedUpdate.
   */
  public ObjectNode update(ResourceType type, ObjectNode obj, long expectedRevision) {
    String name = nameOf(obj);
    synchronized (lock) {
      Bucket b = bucket(type.key());
      String key = objectKey(type.namespaced() ? namespaceOf(obj) : null, name);
      ObjectNode old = b.objects.get(key);
      if (old == null) throw ApiException.notFound(type.group(), type.plural(), name);
      if (resourceVersionOf(old) != expectedRevision) {
        throw stale(type, name);
      }
      long rv = ++revision;
      ((ObjectNode) obj.get("metadata")).put("resourceVersion", Long.toString(rv));
      StoredObject stored = StoredObject.of(obj);
      b.objects.put(key, stored);
      publish(b, new Change(type, rv, WatchEvent.Type.MODIFIED, old, stored));
      return stored;
    }
  }

  private static ApiException stale(ResourceType type, String name) {
    return ApiException.conflict(type.group(), type.plural(), name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  /** Removes an object at {@code expectedRevision}; the DELETED event carries a new revision. */
  public ObjectNode remove(ResourceType type, String namespace, String name, long expectedRevision) {
    synchronized (lock) {
      Bucket b = bucket(type.key());
      String key = objectKey(type.namespaced() ? namespace : null, name);
      ObjectNode old = b.objects.get(key);
      if (old == null) throw ApiException.notFound(type.group(), type.plural(), name);
      if (resourceVersionOf(old) != expectedRevision) {
        throw stale(type, name);
      }
      long rv = ++revision;
      b.objects.remove(key);
      ObjectNode copy = old.deepCopy();
      ((ObjectNode) copy.get("metadata")).put("resourceVersion", Long.toString(rv));
      StoredObject gone = StoredObject.of(copy);
      publish(b, new Change(type, rv, WatchEvent.Type.DELETED, old, gone));
      return gone;
    }
  }

  /** Drops every object of a type (a deleted CRD); watchers see each go. */
  public void removeAll(ResourceType type) {
    synchronized (lock) {
      Bucket b = bucket(type.key());
      for (ObjectNode old : new ArrayList<>(b.objects.values())) {
        remove(type, namespaceOf(old), nameOf(old), resourceVersionOf(old));
      }
      b.watches.forEach(Watch::close);
    }
  }

  public Page list(ResourceType type, String namespace, Predicate<ObjectNode> filter, String continueAfter,
      long limit) {
    return list(type, namespace, filter, continueAfter, limit, -1);
  }

  /**
   * A list as of {@code atRevision} (negative: now), as etcd serves the later pages of a paged
   * list from the snapshot of the first: changes since are undone from the history. A revision
   * the history no longer reaches is a 410 Expired, as a compacted continue token.
   */
  public Page list(ResourceType type, String namespace, Predicate<ObjectNode> filter, String continueAfter,
      long limit, long atRevision) {
    synchronized (lock) {
      Bucket b = bucket(type.key());
      NavigableMap<String, ObjectNode> view = atRevision < 0 ? b.objects : snapshot(type, b, atRevision);
      if (namespace != null && type.namespaced()) {
        view = view.subMap(namespace + "/", true, namespace + "/\uffff", false);
      }
      if (continueAfter != null) view = view.tailMap(continueAfter, false);
      List<ObjectNode> items = new ArrayList<>();
      String last = null;
      long remaining = 0;
      for (Map.Entry<String, ObjectNode> e : view.entrySet()) {
        if (!filter.test(e.getValue())) continue;
        if (limit > 0 && items.size() >= limit) {
          remaining++;
          continue;
        }
        items.add(e.getValue());
        last = e.getKey();
      }
      return new Page(items, revision, remaining > 0 ? last : null, remaining);
    }
  }

  private NavigableMap<String, ObjectNode> snapshot(ResourceType type, Bucket b, long atRevision) {
    if (b.history.isEmpty() || b.history.peekLast().revision() <= atRevision) return b.objects;
    if (atRevision < b.horizon) {
      throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a consistent "
          + "list result. You can start a new list without the continue parameter, or use the continue token in "
          + "this response to retrieve the remainder of the results. Continuing with the provided token results in "
          + "an inconsistent list - objects that were created, modified, or deleted between the time the first "
          + "chunk was returned and now may show up in the list.");
    }
    NavigableMap<String, ObjectNode> view = new TreeMap<>(b.objects);
    for (Iterator<Change> it = b.history.descendingIterator(); it.hasNext(); ) {
      Change c = it.next();
      if (c.revision() <= atRevision) break;
      ObjectNode o = c.previous() != null ? c.previous() : c.current();
      String key = objectKey(type.namespaced() ? namespaceOf(o) : null, nameOf(o));
      if (c.previous() == null) view.remove(key);
      else view.put(key, c.previous());
    }
    return view;
  }

  /**
   * Starts a watch. With {@code fromRevision < 0} the watcher first gets the current objects as
   * ADDED (the "no resourceVersion / 0" semantics); otherwise every change after that revision.
   * A revision older than the kept history is a 410 Expired; the caller streams it as an ERROR
   * event, as the watch cache answers.
   */
  public Watch watch(ResourceType type, String namespace, Predicate<ObjectNode> filter, long fromRevision,
      boolean initialEventsEndBookmark) {
    return watch(type, namespace, filter, null, fromRevision, initialEventsEndBookmark);
  }

  /**
   * The same, for a pod watch whose field selector pins {@code spec.nodeName} to {@code nodeName}
   * (null: it does not): its changes are matched only against the watches of the nodes they
   * concern, as kube-apiserver's watch cache triggers pod watches by node name, instead of
   * against every kubelet's watch.
   */
  public Watch watch(ResourceType type, String namespace, Predicate<ObjectNode> filter, String nodeName,
      long fromRevision, boolean initialEventsEndBookmark) {
    synchronized (lock) {
      Bucket b = bucket(type.key());
      Watch w = new Watch(type.namespaced() ? namespace : null, filter, maxQueuedPerWatch);
      if (fromRevision < 0) {
        NavigableMap<String, ObjectNode> view = b.objects;
        if (w.namespace() != null) view = view.subMap(w.namespace() + "/", true, w.namespace() + "/\uffff", false);
        for (ObjectNode o : view.values()) {
          if (w.passes(o)) w.offer(new WatchEvent(WatchEvent.Type.ADDED, o));
        }
        if (initialEventsEndBookmark) w.offer(new WatchEvent(WatchEvent.Type.BOOKMARK, bookmarkObject(type, true)));
      } else if (fromRevision < b.horizon) {
        throw new ApiException(410, "Expired", "too old resource version: " + fromRevision + " (" + b.horizon + ")");
      } else {
        for (Change c : b.history) {
          if (c.revision() > fromRevision) deliver(w, c, new WatchEvent[WatchEvent.Type.values().length]);
        }
      }
      b.watches.add(w);
      boolean pinned = indexedByNodeName(type) && nodeName != null;
      if (pinned) {
        b.byNodeName.compute(nodeName, (k, l) -> {
          List<Watch> list = l != null ? l : new CopyOnWriteArrayList<>();
          list.add(w);
          return list;
        });
      } else if (indexedByNodeName(type)) {
        b.unpinned.add(w);
      }
      w.onClose(() -> {
        b.watches.remove(w);
        if (pinned) {
          b.byNodeName.computeIfPresent(nodeName, (k, l) -> l.remove(w) && l.isEmpty() ? null : l);
        } else {
          b.unpinned.remove(w);
        }
      });
      return w;
    }
  }

  /** Queues a BOOKMARK at the current revision, behind every event already queued. */
  public void bookmark(ResourceType type, Watch w) {
    synchronized (lock) {
      if (!w.isClosed()) w.offer(new WatchEvent(WatchEvent.Type.BOOKMARK, bookmarkObject(type, false)));
    }
  }

  private ObjectNode bookmarkObject(ResourceType type, boolean initialEventsEnd) {
    ObjectNode o = io.pontoon.sandbox.apiserver.Json.object();
    o.put("kind", type.kind());
    o.put("apiVersion", type.preferredApiVersion());
    ObjectNode meta = o.putObject("metadata");
    meta.put("resourceVersion", Long.toString(revision));
    if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    return o;
  }

  private void publish(Bucket b, Change c) {
    b.history.addLast(c);
    while (b.history.size() > historyPerType) {
      b.horizon = b.history.removeFirst().revision();
    }
    WatchEvent[] shared = new WatchEvent[WatchEvent.Type.values().length];
    if (indexedByNodeName(c.resource())) {
      for (Watch w : b.unpinned) deliver(w, c, shared);
      // A pinned watch can match only an object (before or after the change) on its node.
      String now = nodeNameOf(c.current());
      String before = nodeNameOf(c.previous());
      deliverAll(b.byNodeName.get(now), c, shared);
      if (before != null && !before.equals(now)) deliverAll(b.byNodeName.get(before), c, shared);
    } else {
      for (Watch w : b.watches) deliver(w, c, shared);
    }
    for (Consumer<Change> l : listeners) l.accept(c);
  }

  /** Core pods: the one kind whose watches are indexed by node name, as in kube's cacher. */
  private static boolean indexedByNodeName(ResourceType type) {
    return type.key().equals("pods");
  }

  /** {@code spec.nodeName} of a pod as its field selector sees it ("" when unset), or null for no object. */
  private static String nodeNameOf(ObjectNode pod) {
    return pod == null ? null : pod.path("spec").path("nodeName").asText("");
  }

  private static void deliverAll(List<Watch> watches, Change c, WatchEvent[] shared) {
    if (watches == null) return;
    for (Watch w : watches) deliver(w, c, shared);
  }

  /** Selector semantics of kube's cacher: an object that stops matching arrives as DELETED. */
  private static void deliver(Watch w, Change c, WatchEvent[] shared) {
    boolean now = c.type() != WatchEvent.Type.DELETED && w.passes(c.current());
    boolean before = c.previous() != null && w.passes(c.previous());
    if (c.type() == WatchEvent.Type.DELETED) {
      if (before) w.offer(shared(shared, WatchEvent.Type.DELETED, c.current()));
    } else if (now && before) {
      w.offer(shared(shared, WatchEvent.Type.MODIFIED, c.current()));
    } else if (now) {
      w.offer(shared(shared, WatchEvent.Type.ADDED, c.current()));
    } else if (before) {
      ObjectNode last = c.previous().deepCopy();
      ((ObjectNode) last.get("metadata")).put("resourceVersion", Long.toString(c.revision()));
      w.offer(new WatchEvent(WatchEvent.Type.DELETED, last));
    }
  }

  /** One event object per type and change, so its JSON line is written once for all watchers. */
  private static WatchEvent shared(WatchEvent[] cache, WatchEvent.Type type, ObjectNode obj) {
    int i = type.ordinal();
    if (cache[i] == null) cache[i] = new WatchEvent(type, obj);
    return cache[i];
  }

  /** Every stored object of a type, for controllers inside the server. */
  public List<ObjectNode> all(ResourceType type) {
    synchronized (lock) {
      return new ArrayList<>(bucket(type.key()).objects.values());
    }
  }

  public static String namespaceOf(ObjectNode obj) {
    return obj.path("metadata").path("namespace").asText("");
  }

  public static String nameOf(ObjectNode obj) {
    return obj.path("metadata").path("name").asText("");
  }

  /** How many objects of a type are stored. */
  public int count(ResourceType type) {
    synchronized (lock) {
      return bucket(type.key()).objects.size();
    }
  }

  /** For metrics and diagnostics: how many watches are open on a type. */
  public int watchCount(ResourceType type) {
    return bucket(type.key()).watches.size();
  }
}
