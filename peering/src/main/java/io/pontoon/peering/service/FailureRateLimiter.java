package io.pontoon.peering.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed token attempts per source address in a sliding window; a source with too many
 * is refused until its oldest failure leaves the window. The map is bounded (least recently
 * touched sources are forgotten first), so a flood of addresses cannot exhaust memory.
 */
public final class FailureRateLimiter {
  private final int maxFailures;
  private final Duration window;
  private final int maxSources;
  private final Clock clock;
  private final LinkedHashMap<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

  public FailureRateLimiter(int maxFailures, Duration window, int maxSources, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.maxSources = maxSources;
    this.clock = clock;
  }

  /** Zero when {@code source} may try, else how long it must wait. */
  public synchronized Duration retryAfter(String source) {
    Deque<Long> d = failures.get(source);
    if (d == null) return Duration.ZERO;
    long now = clock.millis();
    prune(d, now);
    if (d.isEmpty()) {
      failures.remove(source);
      return Duration.ZERO;
    }
    if (d.size() < maxFailures) return Duration.ZERO;
    return Duration.ofMillis(Math.max(1, d.peekFirst() + window.toMillis() - now));
  }

  public synchronized void recordFailure(String source) {
    long now = clock.millis();
    Deque<Long> d = failures.computeIfAbsent(source, k -> new ArrayDeque<>());
    prune(d, now);
    d.addLast(now);
    while (d.size() > maxFailures) d.removeFirst();
    if (failures.size() > maxSources) {
      Iterator<Map.Entry<String, Deque<Long>>> it = failures.entrySet().iterator();
      it.next();
      it.remove();
    }
  }

  public synchronized int trackedSources() {
    return failures.size();
  }

  private void prune(Deque<Long> d, long now) {
    while (!d.isEmpty() && d.peekFirst() + window.toMillis() <= now) d.removeFirst();
  }
}
