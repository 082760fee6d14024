package io.pontoon.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.Discovered;
import io.pontoon.discovery.Source;
import io.pontoon.discovery.ZoneRecords;
import io.pontoon.discovery.testing.Dnsmasq;
import io.pontoon.discovery.testing.ScriptedDnsServer;
import io.pontoon.sandbox.junit.HostRequirements;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/** The unicast browser against a real dnsmasq fed with {@link ZoneRecords}. */
class DnsSdBrowserIT {
  static final String DOMAIN = "clusters.test";
  static final String ID_A = "11111111-2222-4333-8444-555555555555";
  static final String ID_B = "66666666-7777-4888-9999-aaaaaaaaaaaa";
  static final String FP_A = "sha256:" + "0123456789abcdef".repeat(4);
  static final String FP_B = "sha256:" + "fedcba9876543210".repeat(4);

  @TempDir static Path dir;
  static Dnsmasq dnsmasq;
  static ScriptedDnsServer servfail;
  static ScriptedDnsServer silent;

  @BeforeAll
  static void start() throws Exception {
    HostRequirements.check().tool("dnsmasq", "dnsmasq-base").orSkip();
    servfail = ScriptedDnsServer.start((n, t) -> ScriptedDnsServer.Reply.rcode(Rcode.SERVFAIL));
    silent = ScriptedDnsServer.silent();
    List<String> flags = new ArrayList<>();
    flags.addAll(Dnsmasq.flags(ZoneRecords.of(DOMAIN, Announcement.of(ID_A, "alpha", "192.0.2.10", 8443, FP_A),
        Duration.ofSeconds(30), List.of())));
    flags.addAll(Dnsmasq.flags(ZoneRecords.of(DOMAIN, Announcement.of(ID_B, "bravo", "peer-b." + DOMAIN, 9443, FP_B),
        Duration.ofSeconds(30), List.of(InetAddress.getByName("192.0.2.20"), InetAddress.getByName("2001:db8::20")))));
    // SRV order: srv.test has a priority-0 target that does not resolve and a priority-10 one that does;
    // weights.test has two priority-0 targets, the heavier one first. cname.test's target is an alias.
    for (String sub : List.of("srv", "weights", "cname")) {
      String d = sub + "." + DOMAIN;
      String inst = "charlie._pontoon._tcp." + d;
      flags.add("--ptr-record=_pontoon._tcp." + d + "," + inst);
      flags.add(Dnsmasq.txt(inst, Announcement.of("cccccccc-cccc-4ccc-8ccc-cccccccccccc", "charlie", "h", 1, FP_A).txt()));
    }
    flags.add("--srv-host=charlie._pontoon._tcp.srv." + DOMAIN + ",missing." + DOMAIN + ",1111,0,0");
    flags.add("--srv-host=charlie._pontoon._tcp.srv." + DOMAIN + ",good." + DOMAIN + ",2222,10,0");
    flags.add("--srv-host=charlie._pontoon._tcp.weights." + DOMAIN + ",light." + DOMAIN + ",3333,0,1");
    flags.add("--srv-host=charlie._pontoon._tcp.weights." + DOMAIN + ",heavy." + DOMAIN + ",4444,0,50");
    flags.add("--srv-host=charlie._pontoon._tcp.cname." + DOMAIN + ",alias." + DOMAIN + ",5555,0,0");
    flags.add("--cname=alias." + DOMAIN + ",good." + DOMAIN);
    for (String h : List.of("good", "light", "heavy")) flags.add("--host-record=" + h + "." + DOMAIN + ",192.0.2.99");
    flags.add("--server=/servfail.test/127.0.0.1#" + servfail.address().getPort());
    flags.add("--server=/slow.test/127.0.0.1#" + silent.address().getPort());
    dnsmasq = Dnsmasq.start(DOMAIN, 30, flags, dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dnsmasq != null) dnsmasq.close();
    if (servfail != null) servfail.close();
    if (silent != null) silent.close();
  }

  private static DnsSdBrowser browser() {
    return new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(dnsmasq.address()))
        .withQueryTimeout(Duration.ofMillis(800)).withDeadline(Duration.ofSeconds(3)));
  }

  @Test
  void findsEveryFieldEndToEnd() throws Exception {
    BrowseResult r = browser().browse(DOMAIN).get(5, TimeUnit.SECONDS);
    assertThat(r.failure()).as(dnsmasq.log()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.instances()).hasSize(2);
    Discovered a = r.instances().get(0);
    assertThat(a.announcement()).isEqualTo(Announcement.of(ID_A, "alpha", "alpha." + DOMAIN, 8443, FP_A));
    assertThat(a.announcement().version()).isEqualTo(1);
    assertThat(a.addresses()).containsExactly(InetAddress.getByName("192.0.2.10"));
    assertThat(a.instance()).isEqualTo("alpha._pontoon._tcp." + DOMAIN + ".");
    assertThat(a.source().kind()).isEqualTo(Source.Kind.DNS);
    assertThat(a.source().origin()).isEqualTo(DOMAIN);
    assertThat(a.source().ttl()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
    Discovered b = r.instances().get(1);
    assertThat(b.announcement()).isEqualTo(Announcement.of(ID_B, "bravo", "peer-b." + DOMAIN, 9443, FP_B));
    assertThat(b.announcement().peeringUrl()).isEqualTo("https://peer-b." + DOMAIN + ":9443");
    assertThat(b.addresses()).containsExactlyInAnyOrder(
        InetAddress.getByName("192.0.2.20"), InetAddress.getByName("2001:db8::20"));
  }

  @Test
  void srvPriorityThenWeightDecideTheEndpoint() throws Exception {
    DnsSdBrowser browser = browser();
    BrowseResult srv = browser.browse("srv." + DOMAIN).get(5, TimeUnit.SECONDS);
    assertThat(srv.instances()).singleElement().satisfies(d -> {
      assertThat(d.announcement().host()).isEqualTo("good." + DOMAIN);
      assertThat(d.announcement().port()).isEqualTo(2222);
    });
    BrowseResult weights = browser.browse("weights." + DOMAIN).get(5, TimeUnit.SECONDS);
    assertThat(weights.instances()).singleElement()
        .satisfies(d -> assertThat(d.announcement().port()).isEqualTo(4444));
  }

  @Test
  void followsACnameToTheSrvTargetsAddress() throws Exception {
    BrowseResult r = browser().browse("cname." + DOMAIN).get(5, TimeUnit.SECONDS);
    assertThat(r.instances()).singleElement().satisfies(d -> {
      assertThat(d.announcement().host()).isEqualTo("alias." + DOMAIN);
      assertThat(d.addresses()).containsExactly(InetAddress.getByName("192.0.2.99"));
    });
  }

  @Test
  void nxdomainIsAnEmptyDomainNotAFailure() throws Exception {
    BrowseResult r = browser().browse("nobody-here." + DOMAIN).get(5, TimeUnit.SECONDS);
    assertThat(r.failure()).isEmpty();
    assertThat(r.instances()).isEmpty();
  }

  @Test
  void servfailIsAFailureThatSaysSo() throws Exception {
    BrowseResult r = browser().browse("servfail.test").get(5, TimeUnit.SECONDS);
    assertThat(r.failure()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("SERVFAIL").contains(dnsmasq.address().getPort() + "");
  }

  @Test
  void aTimeoutIsAFailureWithinTheDeadline() throws Exception {
    long start = System.nanoTime();
    BrowseResult r = browser().browse("slow.test").get(10, TimeUnit.SECONDS);
    assertThat(r.failure()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3500));
  }

  @Test
  void aResolverThatNeverAnswersFallsBackToTheNext() throws Exception {
    DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(silent.address(), dnsmasq.address()))
        .withQueryTimeout(Duration.ofMillis(300)).withDeadline(Duration.ofSeconds(5)));
    BrowseResult r = browser.browse(DOMAIN).get(10, TimeUnit.SECONDS);
    assertThat(r.failure()).isEmpty();
    assertThat(r.instances()).extracting(d -> d.announcement().clusterName()).containsExactly("alpha", "bravo");
    assertThat(silent.queries()).isPositive();

    DnsSdBrowser onlySilent = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(silent.address()))
        .withQueryTimeout(Duration.ofMillis(300)).withDeadline(Duration.ofSeconds(2)));
    BrowseResult none = onlySilent.browse(DOMAIN).get(10, TimeUnit.SECONDS);
    assertThat(none.failure()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("timed out after 300 ms").contains(silent.address().getPort() + "");
  }

  @Test
  void answersAreCachedForTheirTtl() throws Exception {
    MutableClock clock = new MutableClock();
    DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(dnsmasq.address())), clock,
        ForkJoinPool.commonPool());
    assertThat(browser.browse(DOMAIN).get(5, TimeUnit.SECONDS).instances()).hasSize(2);
    long first = browser.queriesSent();
    assertThat(first).isPositive();
    clock.advance(Duration.ofSeconds(10));
    BrowseResult cached = browser.browse(DOMAIN).get(5, TimeUnit.SECONDS);
    assertThat(cached.instances()).hasSize(2);
    assertThat(browser.queriesSent()).isEqualTo(first);
    assertThat(cached.instances().get(0).source().ttl()).isLessThanOrEqualTo(Duration.ofSeconds(20));
    clock.advance(Duration.ofSeconds(25));
    assertThat(browser.browse(DOMAIN).get(5, TimeUnit.SECONDS).instances()).hasSize(2);
    assertThat(browser.queriesSent()).isGreaterThan(first);
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
