package io.pontoon.vk.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the provider's API server answers, probed on {@code /readyz}. Listeners hear of every
 * change, so pods go not-Ready when the provider vanishes and resync when it returns.
 */
public final class ProviderHealth {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderHealth.class);

  /** The latest probe's outcome; {@code message} says why when unreachable. */
  public record State(boolean reachable, String message) {}

  private final KubernetesClient foreign;
  private final Duration timeout;
  private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
  private volatile State state = new State(true, "not probed yet");

  public ProviderHealth(KubernetesClient foreign, Duration timeout) {
    this.foreign = foreign;
    this.timeout = timeout;
  }

  public State state() {
    return state;
  }

  public boolean reachable() {
    return state.reachable();
  }

  public void onChange(Consumer<State> listener) {
    listeners.add(listener);
  }

  /** Probes once and notifies listeners when the outcome changed. */
  public State probe() {
    State next;
    try {
      String body = foreign.getHttpClient()
          .sendAsync(foreign.getHttpClient().newHttpRequestBuilder()
              .uri(foreign.getMasterUrl().toString().replaceAll("/$", "") + "/readyz").build(), String.class)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .body();
      next = "ok".equals(body == null ? null : body.trim())
          ? new State(true, "the provider's API server is ready")
          : new State(false, "the provider's API server is not ready: " + abbreviate(body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return state;
    } catch (Exception e) {
      next = new State(false, "the provider's API server at " + foreign.getMasterUrl()
          + " is unreachable: " + rootMessage(e));
    }
    State previous = state;
    state = next;
    if (previous.reachable() != next.reachable()) {
      LOG.info("event=provider-{} message=\"{}\"", next.reachable() ? "reachable" : "unreachable", next.message());
      for (Consumer<State> l : listeners) l.accept(next);
    }
    return next;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return Objects.requireNonNullElse(t.getMessage(), t.getClass().getSimpleName());
  }

  private static String abbreviate(String s) {
    if (s == null) return "no answer";
    s = s.strip();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
