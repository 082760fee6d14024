package io.pontoon.discovery.mdns;

import io.pontoon.discovery.Announcement;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces one cluster on mDNS: service {@code _pontoon._tcp.local.}, instance = cluster name,
 * the TXT of the {@link Announcement}, on one local address (JmDNS binds to it explicitly,
 * because its own choice of interface is unreliable). {@link #update} re-announces,
 * {@link #close} sends goodbye packets (TTL 0) so browsers drop the instance at once.
 *
 * <p>Probing and announcing follow RFC 6762 §8.1/§8.3 timing ({@link RfcTimedTaskStarter}): the
 * first announcement goes out 0.75–1.0 s after {@link #start}.
 *
 * <p>The record TTL is jmdns's, set per JVM with the system property {@code net.dns.ttl}
 * (seconds, default 3600); jmdns re-announces at half of it.
 */
public final class MdnsAnnouncer implements AutoCloseable {
  public static final String SERVICE_TYPE = "_pontoon._tcp.local.";
  private static final Logger LOG = LoggerFactory.getLogger(MdnsAnnouncer.class);

  private final JmDNS jmdns;
  private final InetAddress address;
  private Announcement current;
  private ServiceInfo info;

  private MdnsAnnouncer(JmDNS jmdns, InetAddress address) {
    this.jmdns = jmdns;
    this.address = address;
  }

  /**
   * Starts announcing {@code announcement} on {@code address}; returns at once. Probing (RFC 6762
   * §8.1) runs in the background and the first announcement follows 0.75–1.0 s later.
   */
  public static MdnsAnnouncer start(InetAddress address, Announcement announcement) throws IOException {
    Objects.requireNonNull(address, "address");
    RfcTimedTaskStarter.install();
    JmDNS jmdns = JmDNS.create(address, "pontoon-" + announcement.clusterName());
    MdnsAnnouncer announcer = new MdnsAnnouncer(jmdns, address);
    try {
      announcer.register(announcement);
    } catch (IOException | RuntimeException e) {
      jmdns.close();
      throw e;
    }
    return announcer;
  }

  /** The address announced on. */
  public InetAddress address() {
    return address;
  }

  public synchronized Announcement current() {
    return current;
  }

  /**
   * Announces {@code next}. Only a TXT change is sent as an update of the same records; a new
   * port or name needs new SRV records, so the service is withdrawn and registered again.
   */
  public synchronized void update(Announcement next) throws IOException {
    if (next.equals(current)) return;
    boolean txtOnly = next.clusterName().equals(current.clusterName()) && next.port() == current.port();
    if (txtOnly) {
      info.setText(next.txtMap());
      current = next;
      LOG.info("mdns re-announced cluster={} fingerprint={}", next.clusterName(), next.fingerprint());
      return;
    }
    jmdns.unregisterService(info);
    register(next);
  }

  private void register(Announcement announcement) throws IOException {
    ServiceInfo si = ServiceInfo.create(SERVICE_TYPE, announcement.clusterName(), announcement.port(), 0, 0,
        announcement.txtMap());
    jmdns.registerService(si);
    this.info = si;
    this.current = announcement;
    LOG.info("mdns announcing cluster={} id={} address={} port={}", announcement.clusterName(),
        announcement.clusterId(), address.getHostAddress(), announcement.port());
  }

  /** Sends goodbye and stops (jmdns takes a few seconds to close). */
  @Override
  public synchronized void close() throws IOException {
    try {
      jmdns.unregisterAllServices();
    } finally {
      jmdns.close();
    }
    LOG.info("mdns stopped announcing cluster={}", current == null ? "-" : current.clusterName());
  }
}
