package io.pontoon.discovery.mdns;

import java.net.InetAddress;
import java.util.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.tasks.state.Announcer;
import javax.jmdns.impl.tasks.state.Canceler;
import javax.jmdns.impl.tasks.state.Prober;
import javax.jmdns.impl.tasks.state.Renewer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jmdns's task starter with the probing and announcing schedule of RFC 6762 §8.1 and §8.3.
 *
 * <p>jmdns 3.6.5 probes a JmDNS that has not announced yet (every new announcer) at 1 s
 * intervals after a 1 s delay and sends the first announcement 1 s after the third probe, so a new
 * service is first announced 4 s after registration. The RFC asks for a random 0–250 ms delay,
 * three probes 250 ms apart and announcing once 250 ms have passed after the third probe with no
 * conflict, then at least two announcements one second apart: 0.75–1.0 s. Everything else
 * (resolvers, responder, reaper, renewing, goodbyes, conflict handling and its throttle) is
 * jmdns's own.
 *
 * <p>jmdns offers this only as a per-JVM hook ({@link DNSTaskStarter.Factory#setClassDelegate});
 * {@link #install()} sets it once and leaves a hook installed by someone else alone.
 */
final class RfcTimedTaskStarter implements DNSTaskStarter {
  private static final Logger LOG = LoggerFactory.getLogger(RfcTimedTaskStarter.class);
  /** RFC 6762 §8.1: probe interval, the bound of the initial random delay, and the wait after the third probe. */
  static final int PROBE_INTERVAL_MS = 250;
  /** RFC 6762 §8.3: announcements one second apart. */
  static final int ANNOUNCE_INTERVAL_MS = 1000;

  private final JmDNSImpl dns;
  private final DNSTaskStarter jmdnsOwn;
  // Probing, announcing, renewing and goodbyes share one thread, as in jmdns, so that the
  // state tasks of one JmDNS never run at the same time.
  private final Timer stateTimer;
  // When the current probing round sends its first probe (System.nanoTime()). JmDNS.create
  // starts a round for the host name and registerService another for the service a moment
  // later: the second joins the first one's schedule, so host and service are announced
  // together instead of at two independent random moments.
  private long firstProbeAt = Long.MIN_VALUE;

  private RfcTimedTaskStarter(JmDNSImpl dns) {
    this.dns = dns;
    this.jmdnsOwn = new DNSTaskStarter.DNSTaskStarterImpl(dns);
    this.jmdnsOwn.cancelStateTimer(); // its state timer is replaced by ours; end its thread
    this.stateTimer = new DNSTaskStarter.DNSTaskStarterImpl.StarterTimer("JmDNS(" + dns.getName() + ").State.Timer", false);
  }

  /** Makes every JmDNS created afterwards in this JVM use the RFC schedule (idempotent). */
  static synchronized void install() {
    DNSTaskStarter.Factory.ClassDelegate current = DNSTaskStarter.Factory.classDelegate();
    if (current instanceof Delegate) return;
    if (current != null) {
      LOG.warn("mdns jmdns task starter already replaced by {}; probing keeps that schedule", current.getClass().getName());
      return;
    }
    DNSTaskStarter.Factory.setClassDelegate(new Delegate());
  }

  private static final class Delegate implements DNSTaskStarter.Factory.ClassDelegate {
    @Override
    public DNSTaskStarter newDNSTaskStarter(JmDNSImpl jmDNSImpl) {
      return new RfcTimedTaskStarter(jmDNSImpl);
    }
  }

  @Override
  public void startProber() {
    new RfcProber(dns, initialProbeDelayMs()).start(stateTimer);
  }

  private synchronized long initialProbeDelayMs() {
    long now = System.nanoTime();
    if (firstProbeAt != Long.MIN_VALUE && firstProbeAt - now > 0) {
      return TimeUnit.NANOSECONDS.toMillis(firstProbeAt - now);
    }
    long delay = ThreadLocalRandom.current().nextInt(PROBE_INTERVAL_MS + 1);
    firstProbeAt = now + TimeUnit.MILLISECONDS.toNanos(delay);
    return delay;
  }

  @Override
  public void startAnnouncer() {
    new RfcAnnouncer(dns).start(stateTimer);
  }

  @Override
  public void startRenewer() {
    new Renewer(dns).start(stateTimer);
  }

  @Override
  public void startCanceler() {
    new Canceler(dns).start(stateTimer);
  }

  @Override
  public void purgeStateTimer() {
    stateTimer.purge();
  }

  @Override
  public void cancelStateTimer() {
    stateTimer.cancel();
  }

  @Override
  public void purgeTimer() {
    jmdnsOwn.purgeTimer();
  }

  @Override
  public void cancelTimer() {
    jmdnsOwn.cancelTimer();
  }

  @Override
  public void startReaper() {
    jmdnsOwn.startReaper();
  }

  @Override
  public void startServiceInfoResolver(ServiceInfoImpl info) {
    jmdnsOwn.startServiceInfoResolver(info);
  }

  @Override
  public void startTypeResolver() {
    jmdnsOwn.startTypeResolver();
  }

  @Override
  public void startServiceResolver(String type) {
    jmdnsOwn.startServiceResolver(type);
  }

  @Override
  public void startResponder(DNSIncoming in, InetAddress addr, int port) {
    jmdnsOwn.startResponder(in, addr, port);
  }

  /**
   * jmdns's prober, scheduled as RFC 6762 §8.1 says for every probing round: after a random
   * 0–250 ms delay, three probes 250 ms apart.
   */
  static final class RfcProber extends Prober {
    private final long initialDelayMs;

    RfcProber(JmDNSImpl dns, long initialDelayMs) {
      super(dns);
      this.initialDelayMs = initialDelayMs;
    }

    @Override
    public void start(Timer timer) {
      // jmdns's conflict throttle: a probe round started within 5 s of the previous one counts
      // up; from the tenth on, rounds go at 1 s (RFC 6762 §8.1 asks for slowing down after
      // repeated conflicts).
      JmDNSImpl dns = getDns();
      long now = System.currentTimeMillis();
      boolean recent = now - dns.getLastThrottleIncrement() < DNSConstants.PROBE_THROTTLE_COUNT_INTERVAL;
      dns.setThrottle(recent ? dns.getThrottle() + 1 : 1);
      dns.setLastThrottleIncrement(now);
      if (dns.isCanceling() || dns.isCanceled()) return;
      if (dns.getThrottle() < DNSConstants.PROBE_THROTTLE_COUNT) {
        timer.schedule(this, initialDelayMs, PROBE_INTERVAL_MS);
      } else {
        timer.schedule(this, DNSConstants.PROBE_CONFLICT_INTERVAL, DNSConstants.PROBE_CONFLICT_INTERVAL);
      }
    }
  }

  /**
   * jmdns's announcer; the prober starts it right after sending the third probe, so the first
   * announcement goes 250 ms later, the next one second after that.
   */
  static final class RfcAnnouncer extends Announcer {
    RfcAnnouncer(JmDNSImpl dns) {
      super(dns);
    }

    @Override
    public void start(Timer timer) {
      if (getDns().isCanceling() || getDns().isCanceled()) return;
      timer.schedule(this, PROBE_INTERVAL_MS, ANNOUNCE_INTERVAL_MS);
    }
  }
}
