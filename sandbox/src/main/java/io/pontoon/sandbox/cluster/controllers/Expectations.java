package io.pontoon.sandbox.cluster.controllers;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kube-controller-manager's (UID-tracking) controller expectations: after a controller asks for
 * N creations or for the deletion of given pods, it does not act on the same key again until its
 * informer has seen them happen (or the expectations expire), so a stale cache cannot make it
 * create or delete twice.
 */
final class Expectations {
  private record Entry(AtomicInteger adds, Set<String> deletes, long sinceNanos) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final Duration ttl;

  Expectations(Duration ttl) {
    this.ttl = ttl;
  }

  /** True when nothing is awaited for the key, or what was awaited is too old to wait for. */
  boolean satisfied(String key) {
    Entry e = entries.get(key);
    if (e == null) return true;
    if (e.adds().get() <= 0 && e.deletes().isEmpty()) return true;
    return System.nanoTime() - e.sinceNanos() > ttl.toNanos();
  }

  void expectCreations(String key, int n) {
    entries.put(key, new Entry(new AtomicInteger(n), ConcurrentHashMap.newKeySet(), System.nanoTime()));
  }

  void expectDeletions(String key, Set<String> podKeys) {
    Set<String> deletes = ConcurrentHashMap.newKeySet();
    deletes.addAll(podKeys);
    entries.put(key, new Entry(new AtomicInteger(), deletes, System.nanoTime()));
  }

  void creationObserved(String key) {
    Entry e = entries.get(key);
    if (e != null) e.adds().decrementAndGet();
  }

  void deletionObserved(String key, String podKey) {
    Entry e = entries.get(key);
    if (e != null) e.deletes().remove(podKey);
  }

  void forget(String key) {
    entries.remove(key);
  }
}
