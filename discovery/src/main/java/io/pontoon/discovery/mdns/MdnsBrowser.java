package io.pontoon.discovery.mdns;

import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.Discovered;
import io.pontoon.discovery.DiscoveryListener;
import io.pontoon.discovery.InvalidAnnouncementException;
import io.pontoon.discovery.Source;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.JmDNSImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browses {@code _pontoon._tcp.local.} on one local address and turns jmdns's callbacks into
 * appeared / updated / gone events of valid announcements.
 *
 * <ul>
 *   <li>An announcement carries PTR, SRV, TXT and A together; jmdns caches them before it reports
 *       the PTR, so the instance is resolved from the cache at once. Only when records are missing
 *       (a PTR-only answer, a lost packet) does jmdns query for them; that happens on a thread of
 *       its own, waiting at most {@value #RESOLVE_WAIT_MS} ms, and is retried after 1, 2 and 4 s
 *       while the instance stays unresolved.
 *   <li>jmdns resolves an instance several times (the first call may lack TXT): repeated results
 *       with the same content produce no event, a different content produces {@code updated}.
 *   <li>{@code gone} follows a goodbye or the expiry of the instance's records (their TTL, reaped
 *       by jmdns every 10 s). A removal followed by a new registration within {@code goneGrace}
 *       (an announcer changing its port withdraws and re-registers) is reported as {@code updated}.
 *   <li>Invalid TXT is skipped with one warning per distinct content; at most {@code maxInstances}
 *       instances are kept (a warning says when more are announced).
 * </ul>
 * All listener calls come from one thread, in order.
 */
public final class MdnsBrowser implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MdnsBrowser.class);
  /** How long one resolve request waits for jmdns's cache (jmdns waits in steps of 200 ms). */
  static final int RESOLVE_WAIT_MS = 200;
  /** Delays of the resolve retries while an instance stays unresolved. */
  private static final List<Duration> RESOLVE_RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(4));

  /**
   * @param address local address to browse on (JmDNS binds to it)
   * @param origin how sightings name where they came from (an interface name or the address)
   * @param goneGrace how long a removal waits for a re-registration before it becomes {@code gone}
   * @param maxInstances instances kept at most
   * @param defaultTtl TTL reported when the record's own TTL cannot be read
   */
  public record Options(InetAddress address, String origin, Duration goneGrace, int maxInstances, Duration defaultTtl) {
    public Options {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(origin, "origin");
      if (maxInstances < 1) throw new IllegalArgumentException("maxInstances must be at least 1");
    }

    public static Options defaults(InetAddress address) {
      return new Options(address, address.getHostAddress(), Duration.ofSeconds(1), 1000, Duration.ofSeconds(120));
    }

    public Options withOrigin(String o) {
      return new Options(address, o, goneGrace, maxInstances, defaultTtl);
    }

    public Options withMaxInstances(int n) {
      return new Options(address, origin, goneGrace, n, defaultTtl);
    }
  }

  private final Options options;
  private final DiscoveryListener listener;
  private final ScheduledExecutorService events;
  // Resolve requests block their caller until jmdns has the records; they get a thread of their
  // own so that neither jmdns's callback thread nor the events thread waits on the network.
  private final ExecutorService resolves;
  private final JmDNS jmdns;
  // Touched only on the events thread. Instances are keyed by cluster ID: jmdns renames an
  // instance ("alpha (2)") when it re-registers, and it is still the same cluster.
  private final Map<String, Discovered> known = new HashMap<>();
  private final Map<String, String> idByInstance = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> pendingGone = new HashMap<>();
  private final Set<String> warned = new HashSet<>();
  private final Map<String, ScheduledFuture<?>> unresolved = new HashMap<>();
  private boolean capWarned;
  private volatile List<Discovered> snapshot = List.of();

  private MdnsBrowser(Options options, DiscoveryListener listener, JmDNS jmdns, ScheduledExecutorService events,
      ExecutorService resolves) {
    this.options = options;
    this.listener = listener;
    this.jmdns = jmdns;
    this.events = events;
    this.resolves = resolves;
  }

  public static MdnsBrowser start(Options options, DiscoveryListener listener) throws IOException {
    ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(daemon("mdns-browser-events"));
    ExecutorService resolves = Executors.newSingleThreadExecutor(daemon("mdns-browser-resolve"));
    JmDNS jmdns;
    try {
      RfcTimedTaskStarter.install();
      jmdns = JmDNS.create(options.address(), "pontoon-browser-" + Long.toHexString(System.nanoTime()));
    } catch (IOException | RuntimeException e) {
      events.shutdownNow();
      resolves.shutdownNow();
      throw e;
    }
    MdnsBrowser browser = new MdnsBrowser(options, listener, jmdns, events, resolves);
    jmdns.addServiceListener(MdnsAnnouncer.SERVICE_TYPE, browser.new Callbacks());
    LOG.info("mdns browsing service={} address={}", MdnsAnnouncer.SERVICE_TYPE, options.address().getHostAddress());
    return browser;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The instances known now. */
  public List<Discovered> instances() {
    return snapshot;
  }

  /** jmdns's callbacks, moved onto the events thread. */
  private final class Callbacks implements ServiceListener {
    @Override
    public void serviceAdded(ServiceEvent event) {
      // With complete records jmdns follows up with serviceResolved by itself.
      if (event.getInfo() != null && event.getInfo().hasData()) return;
      String name = key(event.getName());
      String type = event.getType();
      String instance = event.getName();
      submit(() -> awaitResolution(name, type, instance, 0));
      requestResolve(type, instance);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {
      String name = key(event.getName());
      submit(() -> {
        stopAwaiting(name);
        scheduleGone(name);
      });
    }

    @Override
    public void serviceResolved(ServiceEvent event) {
      ServiceInfo info = event.getInfo();
      if (info == null) return;
      String name = key(event.getName());
      byte[] txt = info.getTextBytes();
      int port = info.getPort();
      List<InetAddress> addresses = new ArrayList<>(Arrays.asList(info.getInetAddresses()));
      long ttl = ttlOf(info);
      submit(() -> resolved(name, txt, port, addresses, ttl));
    }
  }

  /**
   * Asks jmdns for the instance's SRV/TXT/A: answered from its cache when the announcement
   * brought them, else queried; either way the result arrives as serviceResolved.
   */
  private void requestResolve(String type, String instance) {
    try {
      resolves.execute(() -> {
        try {
          jmdns.requestServiceInfo(type, instance, RESOLVE_WAIT_MS);
        } catch (RuntimeException e) {
          LOG.debug("mdns resolve request failed instance={} error=\"{}\"", instance, e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /** Events thread: retries the resolve of {@code name} while no resolution has arrived. */
  private void awaitResolution(String name, String type, String instance, int attempt) {
    stopAwaiting(name);
    if (attempt >= RESOLVE_RETRIES.size()) {
      LOG.debug("mdns instance={} still unresolved after {} retries", instance, attempt);
      return;
    }
    unresolved.put(name, events.schedule(() -> {
      unresolved.remove(name);
      LOG.debug("mdns instance={} unresolved, asking again attempt={}", instance, attempt + 1);
      requestResolve(type, instance);
      awaitResolution(name, type, instance, attempt + 1);
    }, RESOLVE_RETRIES.get(attempt).toMillis(), TimeUnit.MILLISECONDS));
  }

  private void stopAwaiting(String name) {
    ScheduledFuture<?> retry = unresolved.remove(name);
    if (retry != null) retry.cancel(false);
  }

  private void submit(Runnable task) {
    try {
      events.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("mdns event handling failed error=\"{}\"", e.toString(), e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void resolved(String name, byte[] txt, int port, List<InetAddress> addresses, long ttlSeconds) {
    if (TxtBytes.isEmpty(txt) || addresses.isEmpty()) {
      return; // an early, partial resolution: the full one follows
    }
    stopAwaiting(name);
    Discovered next;
    try {
      InetAddress host = addresses.stream().filter(a -> a instanceof Inet4Address).findFirst().orElse(addresses.get(0));
      Announcement a = Announcement.fromTxtBytes(TxtBytes.split(txt), host.getHostAddress(), port);
      addresses.sort((x, y) -> Boolean.compare(y instanceof Inet4Address, x instanceof Inet4Address));
      next = new Discovered(a, Source.mdns(options.origin(), Duration.ofSeconds(ttlSeconds)), name, addresses);
    } catch (InvalidAnnouncementException e) {
      String key = name + "\u0000" + Arrays.toString(txt) + port;
      if (warned.add(key)) {
        LOG.warn("mdns skipping instance={} record=\"TXT/SRV of {}.{}\" reason=\"{}\"", name, name,
            MdnsAnnouncer.SERVICE_TYPE, e.getMessage());
      }
      return;
    }
    String id = next.announcement().clusterId();
    String formerId = idByInstance.put(name, id);
    if (formerId != null && !formerId.equals(id) && !idByInstance.containsValue(formerId)) {
      goneNow(formerId); // the instance now announces another cluster
    }
    ScheduledFuture<?> gone = pendingGone.remove(id);
    if (gone != null) gone.cancel(false);
    Discovered previous = known.get(id);
    if (previous == null) {
      if (known.size() >= options.maxInstances()) {
        idByInstance.remove(name);
        if (!capWarned) {
          capWarned = true;
          LOG.warn("mdns more than {} instances announced; ignoring instance={} and any further new ones",
              options.maxInstances(), name);
        }
        return;
      }
      put(id, next);
      listener.appeared(next);
    } else if (!sameSighting(previous, next)) {
      put(id, next);
      listener.updated(previous, next);
    }
  }

  /** Equal announcement and addresses; the TTL alone does not make an update. */
  private static boolean sameSighting(Discovered a, Discovered b) {
    return a.announcement().equals(b.announcement()) && new HashSet<>(a.addresses()).equals(new HashSet<>(b.addresses()));
  }

  private void scheduleGone(String instance) {
    String id = idByInstance.remove(instance);
    if (id == null || idByInstance.containsValue(id) || pendingGone.containsKey(id)) return;
    pendingGone.put(id, events.schedule(() -> {
      pendingGone.remove(id);
      goneNow(id);
    }, options.goneGrace().toMillis(), TimeUnit.MILLISECONDS));
  }

  private void goneNow(String id) {
    Discovered last = known.remove(id);
    snapshot = List.copyOf(known.values());
    if (last != null) listener.gone(last);
  }

  private void put(String name, Discovered d) {
    known.put(name, d);
    snapshot = List.copyOf(known.values());
  }

  /** The TTL of the instance's SRV record in jmdns's cache, else the configured default. */
  private long ttlOf(ServiceInfo info) {
    try {
      if (jmdns instanceof JmDNSImpl impl) {
        long ttl = Long.MAX_VALUE;
        for (DNSEntry e : impl.getCache().getDNSEntryList(info.getQualifiedName().toLowerCase(java.util.Locale.ROOT))) {
          if (e instanceof DNSRecord r && r.getTTL() > 0) ttl = Math.min(ttl, r.getTTL());
        }
        if (ttl != Long.MAX_VALUE) return ttl;
      }
    } catch (RuntimeException e) {
      LOG.debug("mdns cannot read TTL from jmdns cache: {}", e.toString());
    }
    return options.defaultTtl().toSeconds();
  }

  private static String key(String instanceName) {
    return instanceName.toLowerCase(java.util.Locale.ROOT);
  }

  /** Stops browsing (jmdns takes a few seconds to close); no events follow. */
  @Override
  public void close() throws IOException {
    events.shutdownNow();
    resolves.shutdownNow();
    jmdns.close();
  }
}
