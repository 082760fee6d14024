package io.pontoon.sandbox.cluster.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events off the caller's thread, as client-go's event broadcaster does, and
 * aggregates repeats like its correlator: the same reason and message about the same object bump
 * {@code count} and {@code lastTimestamp} of one Event (at most one write per object and message
 * every {@link #MIN_REWRITE}) instead of creating new ones. When the backlog is full, events are
 * dropped rather than slowing the component down.
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;
  private static final java.time.Duration MIN_REWRITE = java.time.Duration.ofSeconds(10);

  private record Key(String namespace, String uid, String name, String type, String reason, String message) {}

  private static final class Seen {
    final String eventName;
    int count = 1;
    Instant lastWrite;

    Seen(String eventName, Instant lastWrite) {
      this.eventName = eventName;
      this.lastWrite = lastWrite;
    }
  }

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final ThreadPoolExecutor executor;
  private final Map<Key, Seen> seen = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Seen> eldest) {
      return size() > REMEMBERED;
    }
  };

  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(20_000),
        r -> {
          Thread t = new Thread(r, component + "-events");
          t.setDaemon(true);
          return t;
        }, (r, e) -> LOG.debug("component={} msg=\"event dropped, backlog full\"", component));
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    ObjectReference ref = reference(object);
    executor.execute(() -> {
      try {
        write(ref, type, reason, message);
      } catch (RuntimeException e) {
        LOG.debug("component={} object={}/{} reason={} msg=\"event not written\" error=\"{}\"", component,
            ref.getNamespace(), ref.getName(), reason, e.toString());
      }
    });
  }

  /** Runs on the single event thread only. */
  private void write(ObjectReference ref, String type, String reason, String message) {
    // events about cluster-scoped objects live in "default", as kube records them
    String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
    Key key = new Key(ns, ref.getUid(), ref.getName(), type, reason, message);
    Instant now = clock.instant();
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    Seen s = seen.get(key);
    if (s != null) {
      s.count++;
      if (now.isBefore(s.lastWrite.plus(MIN_REWRITE))) return;
      try {
        client.v1().events().inNamespace(ns).withName(s.eventName).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"count\":" + s.count + ",\"lastTimestamp\":\"" + ts + "\"}");
        s.lastWrite = now;
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
        seen.remove(key); // the event expired or was deleted: start a new one
      }
    }
    String name = ref.getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    Event event = new EventBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withInvolvedObject(ref).withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(component).endSource()
        .withReportingComponent(component).withReportingInstance(component)
        .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1).build();
    client.v1().events().inNamespace(ns).resource(event).create();
    seen.put(key, new Seen(name, now));
  }

  private static ObjectReference reference(HasMetadata o) {
    String uid = o.getMetadata().getUid();
    // kube refers to nodes in events by name, not UID
    if ("Node".equals(o.getKind())) uid = o.getMetadata().getName();
    return new ObjectReferenceBuilder().withKind(o.getKind()).withApiVersion(o.getApiVersion())
        .withNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName()).withUid(uid)
        .withResourceVersion(o.getMetadata().getResourceVersion()).build();
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }
}
