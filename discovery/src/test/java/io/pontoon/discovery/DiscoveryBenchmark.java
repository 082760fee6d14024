package io.pontoon.discovery;

import io.pontoon.discovery.dns.BrowseResult;
import io.pontoon.discovery.dns.DnsSdBrowser;
import io.pontoon.discovery.mdns.MdnsAnnouncer;
import io.pontoon.discovery.mdns.MdnsBrowser;
import io.pontoon.discovery.testing.Dnsmasq;
import io.pontoon.sandbox.junit.HostRequirements;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Discovery speed and memory: mDNS announcement to browser event (loopback), browsing 100
 * instances through dnsmasq, heap of a browse result holding 1,000 instances. Prints a table.
 * Run: {@code ./mvnw -B -o -pl discovery -am verify -Pbench -Dtest=DiscoveryBenchmark}
 */
@Tag("bench")
class DiscoveryBenchmark {
  static final String FP = "sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  @Test
  void run() throws Exception {
    HostRequirements.check().tool("dnsmasq", "dnsmasq-base").orSkip();
    List<String> rows = new ArrayList<>();
    rows.add(mdnsLatency(20));
    rows.add(dnsBrowse(100, 20));
    rows.add(heap(1000));
    System.out.println();
    System.out.printf(Locale.ROOT, "%-44s %6s %10s %10s %10s%n", "measure", "n", "p50", "p99", "max");
    rows.forEach(System.out::println);
    System.out.println();
  }

  /**
   * Announcer start to the browser's {@code appeared}, split at what a packet capture on the
   * loopback shows: the first probe and the first announcement (a response carrying the
   * instance's SRV) of each instance.
   */
  private String mdnsLatency(int n) throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    Map<String, Long> seenAt = new ConcurrentHashMap<>();
    List<Long> toProbe = new ArrayList<>();
    List<Long> toAnnouncement = new ArrayList<>();
    List<Long> announcementToAppeared = new ArrayList<>();
    List<Long> fromStart = new ArrayList<>();
    try (WireWatch wire = WireWatch.start(lo);
        MdnsBrowser browser = MdnsBrowser.start(MdnsBrowser.Options.defaults(lo), new DiscoveryListener() {
          @Override
          public void appeared(Discovered d) {
            seenAt.putIfAbsent(d.announcement().clusterName(), System.nanoTime());
          }

          @Override
          public void updated(Discovered previous, Discovered current) {}

          @Override
          public void gone(Discovered d) {}
        })) {
      for (int i = 0; i < n; i++) {
        String name = "bench-" + i + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        long start = System.nanoTime();
        MdnsAnnouncer a = MdnsAnnouncer.start(lo, Announcement.of(java.util.UUID.randomUUID().toString(), name,
            "127.0.0.1", 8443, FP));
        long until = start + TimeUnit.SECONDS.toNanos(10);
        while (!seenAt.containsKey(name) && System.nanoTime() < until) Thread.sleep(1);
        Long at = seenAt.get(name);
        if (at != null) {
          fromStart.add(at - start);
          Long probe = wire.firstProbe.get(name);
          Long announced = wire.firstAnnouncement.get(name);
          if (probe != null) toProbe.add(probe - start);
          if (announced != null) {
            toAnnouncement.add(announced - start);
            announcementToAppeared.add(Math.max(0, at - announced));
          }
        }
        Thread t = new Thread(() -> {
          try {
            a.close();
          } catch (Exception e) {
            // benchmark cleanup
          }
        });
        t.setDaemon(true);
        t.start();
      }
    }
    return row("mDNS announce start -> appeared (loopback)", fromStart) + "\n"
        + row("  start -> first probe on the wire", toProbe) + "\n"
        + row("  start -> first announcement on the wire", toAnnouncement) + "\n"
        + row("  announcement on the wire -> appeared", announcementToAppeared);
  }

  /** Receives the mDNS group's traffic and notes when each instance was first probed and announced. */
  private static final class WireWatch implements AutoCloseable {
    final Map<String, Long> firstProbe = new ConcurrentHashMap<>();
    final Map<String, Long> firstAnnouncement = new ConcurrentHashMap<>();
    private final MulticastSocket socket;

    private WireWatch(MulticastSocket socket) {
      this.socket = socket;
    }

    static WireWatch start(InetAddress on) throws IOException {
      MulticastSocket socket = new MulticastSocket(null);
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(5353));
      socket.joinGroup(new InetSocketAddress("224.0.0.251", 5353), NetworkInterface.getByInetAddress(on));
      WireWatch w = new WireWatch(socket);
      Thread t = new Thread(w::receive, "bench-wire-watch");
      t.setDaemon(true);
      t.start();
      return w;
    }

    private void receive() {
      byte[] buf = new byte[9000];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (IOException e) {
          return;
        }
        long now = System.nanoTime();
        try {
          Message m = new Message(Arrays.copyOf(buf, p.getLength()));
          boolean response = m.getHeader().getFlag(Flags.QR);
          if (!response) {
            for (org.xbill.DNS.Record q : m.getSection(Section.QUESTION)) firstProbe.putIfAbsent(instance(q.getName()), now);
          } else {
            for (org.xbill.DNS.Record r : m.getSection(Section.ANSWER)) {
              if (r.getType() == Type.SRV && r.getTTL() > 0) firstAnnouncement.putIfAbsent(instance(r.getName()), now);
            }
          }
        } catch (IOException e) {
          // not DNS: ignore
        }
      }
    }

    private static String instance(Name name) {
      return name.getLabelString(0);
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  private String dnsBrowse(int instances, int runs) throws Exception {
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      flags.addAll(Dnsmasq.flags(ZoneRecords.of("bench.test", Announcement.of(java.util.UUID.randomUUID().toString(),
          "c" + i, "10.9." + (i / 250) + "." + (i % 250 + 1), 8443, FP), Duration.ofSeconds(60), List.of())));
    }
    List<Long> times = new ArrayList<>();
    try (Dnsmasq dnsmasq = Dnsmasq.start("bench.test", 60, flags, dir)) {
      for (int r = 0; r < runs + 3; r++) {
        DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(dnsmasq.address())));
        long start = System.nanoTime();
        BrowseResult result = browser.browse("bench.test").get(30, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        if (result.instances().size() != instances) {
          throw new AssertionError("found " + result.instances().size() + ": " + result.warnings() + result.failure());
        }
        if (r >= 3) times.add(took); // the first runs warm up the JIT
      }
    }
    return row("DNS-SD browse " + instances + " instances (dnsmasq)", times);
  }

  private String heap(int instances) throws Exception {
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      flags.addAll(Dnsmasq.flags(ZoneRecords.of("heap.test", Announcement.of(java.util.UUID.randomUUID().toString(),
          "h" + i, "10.8." + (i / 250) + "." + (i % 250 + 1), 8443, FP), Duration.ofSeconds(60), List.of())));
    }
    try (Dnsmasq dnsmasq = Dnsmasq.start("heap.test", 60, flags, dir)) {
      long before = usedAfterGc();
      DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(dnsmasq.address()))
          .withDeadline(Duration.ofSeconds(30)));
      BrowseResult result = browser.browse("heap.test").get(60, TimeUnit.SECONDS);
      long after = usedAfterGc();
      if (result.instances().size() != instances) throw new AssertionError("found " + result.instances().size());
      long bytes = after - before;
      Collections.singletonList(browser).size(); // keep the browser (and its cache) reachable until here
      return String.format(Locale.ROOT, "%-44s %6d %10s %10s %10s", "heap: browser + result, " + instances + " instances",
          instances, String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0),
          String.format(Locale.ROOT, "%.0f B/inst", (double) bytes / instances), "-")
          + (result.instances().isEmpty() ? "" : "");
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String row(String name, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%-44s %6d %8.1fms %8.1fms %8.1fms", name, sorted.size(), pct(sorted, 0.5),
        pct(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }
}
