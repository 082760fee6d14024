package io.pontoon.api.controller;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A de-duplicating work queue with client-go's guarantees: a key waits at most once in the queue,
 * is processed by one worker at a time, and a key added while being processed runs again after.
 * Delayed re-adds serve retries with backoff and periodic requeues.
 */
public final class WorkQueue<K> {
  private final Set<K> queued = new LinkedHashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Set<K> dirtyWhileProcessing = new HashSet<>();
  private final DelayQueue<Delayed> delayed = new DelayQueue<>();
  private boolean shutdown;

  private final class Later implements Delayed {
    final K key;
    final long due;

    Later(K key, Duration after) {
      this.key = key;
      this.due = System.nanoTime() + after.toNanos();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }
  }

  public synchronized void add(K key) {
    if (shutdown) return;
    if (processing.contains(key)) {
      dirtyWhileProcessing.add(key);
      return;
    }
    if (queued.add(key)) notifyAll();
  }

  public void addAfter(K key, Duration after) {
    if (after.isZero() || after.isNegative()) {
      add(key);
      return;
    }
    delayed.add(new Later(key, after));
  }

  /** The next key, or null once shut down. */
  @SuppressWarnings("unchecked")
  public K take() throws InterruptedException {
    while (true) {
      Delayed due;
      while ((due = delayed.poll()) != null) add(((Later) due).key);
      synchronized (this) {
        if (shutdown) return null;
        if (!queued.isEmpty()) {
          K key = queued.iterator().next();
          queued.remove(key);
          processing.add(key);
          return key;
        }
        Delayed head = delayed.peek();
        long waitMs = head == null ? 100 : Math.max(1, Math.min(100, head.getDelay(TimeUnit.MILLISECONDS)));
        wait(waitMs);
      }
    }
  }

  /** Marks a key finished; re-queues it when it was added meanwhile. */
  public synchronized void done(K key) {
    processing.remove(key);
    if (dirtyWhileProcessing.remove(key) && queued.add(key)) notifyAll();
  }

  public synchronized int depth() {
    return queued.size();
  }

  public synchronized void shutdown() {
    shutdown = true;
    notifyAll();
  }
}
