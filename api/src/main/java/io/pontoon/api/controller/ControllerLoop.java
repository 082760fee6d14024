package io.pontoon.api.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informer events → {@link WorkQueue} → N workers running a {@link Reconciler}, with per-key
 * exponential backoff on failure (5 ms doubling to 30 s, as client-go's default rate limiter).
 */
public final class ControllerLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);
  private static final Duration BASE_DELAY = Duration.ofMillis(5);
  private static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private final String name;
  private final Reconciler reconciler;
  private final WorkQueue<String> queue = new WorkQueue<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();

  public ControllerLoop(String name, Reconciler reconciler) {
    this.name = name;
    this.reconciler = reconciler;
  }

  public void start(int workerCount) {
    for (int i = 0; i < workerCount; i++) {
      Thread t = new Thread(this::work, name + "-worker-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  public void enqueue(String key) {
    queue.add(key);
  }

  public void enqueueAfter(String key, Duration after) {
    queue.addAfter(key, after);
  }

  public int depth() {
    return queue.depth();
  }

  private void work() {
    while (true) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) return;
      try {
        Reconciler.Result r = reconciler.reconcile(key);
        failures.remove(key);
        r.requeueAfter().ifPresent(d -> queue.addAfter(key, d));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        int n = failures.merge(key, 1, Integer::sum);
        long delay = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(n, 20));
        LOG.debug("controller={} key={} attempt={} retryInMs={} error=\"{}\"", name, key, n, delay, e.toString());
        queue.addAfter(key, Duration.ofMillis(delay));
      } finally {
        queue.done(key);
      }
    }
  }

  @Override
  public void close() {
    queue.shutdown();
    workers.forEach(Thread::interrupt);
  }
}
