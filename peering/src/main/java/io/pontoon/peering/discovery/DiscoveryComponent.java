package io.pontoon.peering.discovery;

import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.Discovered;
import io.pontoon.discovery.DiscoveryListener;
import io.pontoon.discovery.Source;
import io.pontoon.discovery.dns.BrowseResult;
import io.pontoon.discovery.dns.DnsSdBrowser;
import io.pontoon.discovery.mdns.MdnsAnnouncer;
import io.pontoon.discovery.mdns.MdnsBrowser;
import io.pontoon.peering.agent.AgentComponent;
import io.pontoon.peering.agent.AgentContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery inside the agent: browses the DNS-SD domains every {@code browseInterval}, browses
 * mDNS continuously and announces this cluster there (its published peering URL and
 * fingerprint), and feeds everything into {@link DiscoveredClusters}, which keeps the
 * ForeignClusters and their expiry. All API server calls run on one discovery thread, so the
 * browsers' callbacks return at once and events for a cluster stay in order.
 */
public final class DiscoveryComponent implements AgentComponent {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryComponent.class);

  /**
   * @param domains DNS-SD domains to browse (may be empty)
   * @param dnsServers resolvers for them (empty: the system's)
   * @param mdns announce and browse over mDNS
   * @param mdnsInterfaces interfaces for mDNS (empty: every up, multicast, non-loopback IPv4 one)
   */
  public record Settings(List<String> domains, List<InetSocketAddress> dnsServers, boolean mdns,
      List<String> mdnsInterfaces, Duration browseInterval, Duration expireInterval) {
    public Settings {
      domains = List.copyOf(domains);
      dnsServers = List.copyOf(dnsServers);
      mdnsInterfaces = List.copyOf(mdnsInterfaces);
      if (!mdns && !mdnsInterfaces.isEmpty()) throw new IllegalArgumentException("mDNS interfaces need mDNS");
      if (browseInterval.isNegative() || browseInterval.isZero()) throw new IllegalArgumentException("browse interval must be positive");
      if (expireInterval.isNegative() || expireInterval.isZero()) throw new IllegalArgumentException("expire interval must be positive");
    }

    public static Settings of(List<String> domains, List<InetSocketAddress> dnsServers, boolean mdns, List<String> mdnsInterfaces) {
      return new Settings(domains, dnsServers, mdns, mdnsInterfaces, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public Settings withIntervals(Duration browse, Duration expire) {
      return new Settings(domains, dnsServers, mdns, mdnsInterfaces, browse, expire);
    }

    public boolean enabled() {
      return mdns || !domains.isEmpty();
    }
  }

  private final Settings settings;
  private ScheduledExecutorService worker;
  private DiscoveredClusters clusters;
  private final List<MdnsAnnouncer> announcers = new ArrayList<>();
  private final List<MdnsBrowser> browsers = new ArrayList<>();
  /** Per domain, the cluster announcements of the last successful browse (to notice removals). */
  private final Map<String, Map<String, Discovered>> lastBrowse = new HashMap<>();

  public DiscoveryComponent(Settings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "discovery";
  }

  @Override
  public synchronized void start(AgentContext ctx) throws IOException {
    clusters = new DiscoveredClusters(ctx.client(), ctx.identity(), Clock.systemUTC());
    worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "discovery");
      t.setDaemon(true);
      return t;
    });
    try {
      if (settings.mdns()) startMdns(ctx);
      if (!settings.domains().isEmpty()) {
        List<InetSocketAddress> servers = settings.dnsServers().isEmpty()
            ? org.xbill.DNS.ResolverConfig.getCurrentConfig().servers() : settings.dnsServers();
        if (servers.isEmpty()) throw new IllegalStateException("no system DNS resolver found; give --dns-server HOST:PORT");
        DnsSdBrowser dns = new DnsSdBrowser(DnsSdBrowser.Options.defaults(servers));
        worker.scheduleWithFixedDelay(() -> browseAll(dns), 0, settings.browseInterval().toMillis(), TimeUnit.MILLISECONDS);
      }
      worker.scheduleWithFixedDelay(this::expire, settings.expireInterval().toMillis(),
          settings.expireInterval().toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("event=discovery-started domains={} dnsServers={} mdns={} mdnsBrowsers={}", settings.domains(),
        settings.dnsServers(), settings.mdns(), browsers.size());
  }

  private void startMdns(AgentContext ctx) throws IOException {
    URI url = URI.create(ctx.peeringUrl());
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    Announcement self = Announcement.of(ctx.identity().id(), ctx.identity().name(), host, url.getPort(), ctx.fingerprint());
    DiscoveryListener listener = new DiscoveryListener() {
      @Override
      public void appeared(Discovered d) {
        run("appeared", () -> clusters.onAppeared(d.announcement(), d.source()));
      }

      @Override
      public void updated(Discovered previous, Discovered current) {
        run("updated", () -> clusters.onUpdated(current.announcement(), current.source()));
      }

      @Override
      public void gone(Discovered d) {
        run("gone", () -> clusters.onGone(d.announcement(), d.source()));
      }
    };
    for (Map.Entry<String, InetAddress> e : mdnsAddresses().entrySet()) {
      announcers.add(MdnsAnnouncer.start(e.getValue(), self));
      browsers.add(MdnsBrowser.start(MdnsBrowser.Options.defaults(e.getValue()).withOrigin(e.getKey()), listener));
      LOG.info("event=mdns-started interface={} address={} announced={}", e.getKey(), e.getValue().getHostAddress(),
          self.peeringUrl());
    }
  }

  private Map<String, InetAddress> mdnsAddresses() throws SocketException {
    Map<String, InetAddress> out = new LinkedHashMap<>();
    if (settings.mdnsInterfaces().isEmpty()) {
      for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
        if (nif.isUp() && !nif.isLoopback() && nif.supportsMulticast()) ipv4(nif).ifPresent(a -> out.put(nif.getName(), a));
      }
      if (out.isEmpty()) {
        throw new IllegalStateException("no up, multicast IPv4 interface for mDNS; give --mdns-interface IF");
      }
      return out;
    }
    for (String name : settings.mdnsInterfaces()) {
      NetworkInterface nif = NetworkInterface.getByName(name);
      if (nif == null) throw new IllegalStateException("no network interface " + name + " for mDNS; list them with `ip link`");
      out.put(name, ipv4(nif).orElseThrow(() -> new IllegalStateException(
          "interface " + name + " has no IPv4 address; mDNS needs one")));
    }
    return out;
  }

  private static java.util.Optional<InetAddress> ipv4(NetworkInterface nif) {
    return nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
  }

  /** Unicast DNS-SD has no goodbye: an instance missing from a successful browse is gone. */
  private void browseAll(DnsSdBrowser dns) {
    for (String domain : settings.domains()) {
      try {
        BrowseResult r = dns.browse(domain).join();
        r.warnings().forEach(w -> LOG.warn("event=discovery-warning domain={} warning=\"{}\"", domain, w));
        if (r.failed()) {
          LOG.warn("event=discovery-browse-failed domain={} reason=\"{}\"", domain, r.failure().orElse("-"));
          continue; // keep what was seen; expiry handles clusters that really left
        }
        Map<String, Discovered> now = r.instances().stream().map(DiscoveryComponent::byAddress)
            .collect(Collectors.toMap(d -> d.announcement().clusterId(), d -> d, (a, b) -> a, LinkedHashMap::new));
        Map<String, Discovered> before = lastBrowse.getOrDefault(domain, Map.of());
        for (Discovered d : now.values()) clusters.onAppeared(d.announcement(), d.source());
        for (String id : Set.copyOf(before.keySet())) {
          if (!now.containsKey(id)) clusters.onGone(before.get(id).announcement(), before.get(id).source());
        }
        lastBrowse.put(domain, now);
      } catch (RuntimeException e) {
        LOG.warn("event=discovery-browse-error domain={} error=\"{}\"", domain, e.getMessage());
      }
    }
  }

  /**
   * The SRV target was resolved through the discovery resolvers, which the API server's and
   * users' resolvers may not know: the peering URL uses the address found (TLS is pinned by
   * fingerprint, so the name adds no trust).
   */
  static Discovered byAddress(Discovered d) {
    String host = d.announcement().host();
    if (d.addresses().isEmpty() || host.matches("^[0-9.]+$") || host.contains(":")) return d;
    return new Discovered(d.announcement().withEndpoint(d.addresses().get(0).getHostAddress(), d.announcement().port()),
        d.source(), d.instance(), d.addresses());
  }

  private void expire() {
    try {
      clusters.expire();
    } catch (RuntimeException e) {
      LOG.warn("event=discovery-expire-error error=\"{}\"", e.getMessage());
    }
  }

  private void run(String what, Runnable r) {
    ScheduledExecutorService w = worker;
    if (w == null || w.isShutdown()) return;
    try {
      w.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("event=discovery-{}-error error=\"{}\"", what, e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  @Override
  public synchronized void close() {
    if (worker != null) worker.shutdownNow();
    // Goodbyes first, so peers forget this cluster at once rather than after the TTL.
    for (MdnsAnnouncer a : announcers) closeQuietly(a);
    for (MdnsBrowser b : browsers) closeQuietly(b);
    announcers.clear();
    browsers.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("event=discovery-close-error error=\"{}\"", e.getMessage());
    }
  }
}
