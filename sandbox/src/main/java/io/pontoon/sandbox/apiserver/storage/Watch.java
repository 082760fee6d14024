package io.pontoon.sandbox.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A watcher of one resource type: the store fills its queue in revision order, the transport
 * drains it on its own thread. A watcher that falls too far behind is closed, as kube-apiserver
 * closes slow watchers; its client lists and watches again.
 */
public final class Watch {
  /** Called (from any thread) when the queue turns non-empty or the watch closes. */
  public interface Listener {
    void ready(Watch watch);
  }

  private final String namespace;
  private final Predicate<ObjectNode> filter;
  private final int maxQueued;
  private final ConcurrentLinkedQueue<WatchEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Listener listener;
  private volatile boolean overflowed;
  private Runnable onClose = () -> {};

  Watch(String namespace, Predicate<ObjectNode> filter, int maxQueued) {
    this.namespace = namespace;
    this.filter = filter;
    this.maxQueued = maxQueued;
  }

  /** A watch that yields one event (an ERROR) and ends. */
  public static Watch ofSingleEvent(WatchEvent event) {
    Watch w = new Watch(null, o -> false, 1);
    w.offer(event);
    w.closed.set(true);
    return w;
  }

  String namespace() {
    return namespace;
  }

  boolean passes(ObjectNode obj) {
    if (obj == null) return false;
    if (namespace != null && !namespace.equals(obj.path("metadata").path("namespace").asText())) return false;
    return filter.test(obj);
  }

  void onClose(Runnable r) {
    this.onClose = r;
  }

  /** Sets who is told about new events; tells it at once when events are already waiting. */
  public void listen(Listener l) {
    this.listener = l;
    if (!queue.isEmpty() || closed.get()) signal();
  }

  void offer(WatchEvent e) {
    if (closed.get()) return;
    if (queued.incrementAndGet() > maxQueued) {
      overflowed = true;
      close();
      return;
    }
    queue.add(e);
    signal();
  }

  private void signal() {
    Listener l = listener;
    if (l != null && signalled.compareAndSet(false, true)) l.ready(this);
  }

  /** Everything queued so far, in order. */
  public List<WatchEvent> drain() {
    signalled.set(false);
    List<WatchEvent> out = new ArrayList<>();
    WatchEvent e;
    while ((e = queue.poll()) != null) {
      out.add(e);
      queued.decrementAndGet();
    }
    return out;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** True when the watch was closed because its reader fell behind. */
  public boolean overflowed() {
    return overflowed;
  }

  public void close() {
    if (closed.compareAndSet(false, true)) {
      onClose.run();
      signal();
    }
  }
}
