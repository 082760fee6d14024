package io.pontoon.gateway.tunnel;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.nat.Nft;
import io.pontoon.gateway.nat.PeerNat;
import io.pontoon.gateway.nat.Routes;
import io.pontoon.gateway.testing.Pods;
import io.pontoon.gateway.testing.TwoClusters;
import io.pontoon.gateway.wireguard.PeerConfig;
import io.pontoon.gateway.wireguard.WireGuard;
import io.pontoon.sandbox.junit.HostRequirements;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pod→pod iperf3 TCP throughput and ping RTT: (a) Pontoon's double-NAT tunnel between two
 * clusters on the same pod CIDR, (a0) the same with the conntrack-based prefix NAT Pontoon used
 * before (for reference), (b) the same wireguard-go tunnel without any nft table (distinct CIDRs);
 * and, to show the NAT's own cost where nothing slow hides it, (c) a plain routed veth underlay
 * without a tunnel, (d) the same veth with Pontoon's NAT rules on it, (d0) with the conntrack ones.
 * Also the time from applying a tunnel to its first handshake. Prints tables; asserts nothing.
 *
 * <p>All paths exist at once and are measured in rounds, one iperf3 run and one ping burst each
 * per round, the tunnel paths and the veth paths each in an order that rotates every round, so
 * load from other processes on a shared machine falls on all of them alike; each round gives its
 * own ratios to (b) and to (c).
 *
 * <p>{@code ./mvnw -B -o -pl gateway -am verify -Pbench -Dtest=GatewayBenchmark}
 * ({@code -Dbench.rounds=12 -Dbench.iperfSeconds=3 -Dbench.pings=100})
 */
@Tag("bench")
class GatewayBenchmark {
  static final int ROUNDS = Integer.getInteger("bench.rounds", 12);
  static final int IPERF_SECONDS = Integer.getInteger("bench.iperfSeconds", 3);
  static final int PINGS = Integer.getInteger("bench.pings", 100);
  static final int HANDSHAKES = Integer.getInteger("bench.handshakes", 10);
  static final Pattern PING_TIME = Pattern.compile("time=([0-9.]+) ms");
  static final Pattern BPS = Pattern.compile("\"bits_per_second\":\\s*([0-9.eE+]+)");

  /** One path under test: where the client runs and the address it sends to. */
  record Path(String name, TwoClusters net, String target) {}

  /** One measurement of one path in one round. */
  record Sample(double gbit, double rttMedianUs, List<Double> rttsUs) {}

  @Test
  void measure() throws Exception {
    HostRequirements.check().root().tool("wg", "wireguard-tools").tool("wireguard-go", "wireguard-go")
        .tool("nft", "nftables").tool("iperf3", "iperf3").tool("ping", "iputils-ping").orSkip();
    Cidr c1 = Cidr.parse("10.1.0.0/24");
    Cidr c2 = Cidr.parse("10.2.0.0/24");
    List<Double> handshakeMs = new ArrayList<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();

    try (TwoClusters natNet = new TwoClusters(); TwoClusters conntrackNet = new TwoClusters();
        TwoClusters plainNet = new TwoClusters(c1, c2); TwoClusters natVeth = new TwoClusters();
        TwoClusters conntrackVeth = new TwoClusters(); TwoClusters plainVeth = new TwoClusters(c1, c2)) {
      TunnelDataplane a1 = new TunnelDataplane(HostCommands.inNetns(natNet.gw1));
      TunnelDataplane a2 = new TunnelDataplane(HostCommands.inNetns(natNet.gw2));
      TunnelDataplane r1 = new TunnelDataplane(HostCommands.inNetns(conntrackNet.gw1));
      TunnelDataplane r2 = new TunnelDataplane(HostCommands.inNetns(conntrackNet.gw2));
      WireGuard wg1 = new WireGuard(HostCommands.inNetns(plainNet.gw1));
      WireGuard wg2 = new WireGuard(HostCommands.inNetns(plainNet.gw2));
      String dev1 = plainNet.config1().interfaceName();
      String dev2 = plainNet.config2().interfaceName();
      try {
        a2.apply(natNet.config2());
        for (int i = 0; i < HANDSHAKES; i++) {
          a1.remove(natNet.clusterId2);
          long t0 = System.nanoTime();
          a1.apply(natNet.config1());
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() ->
              a1.state(natNet.clusterId2).flatMap(s -> s.peer(natNet.keys2.publicKey()))
                  .flatMap(p -> p.latestHandshake()).isPresent());
          handshakeMs.add((System.nanoTime() - t0) / 1e6);
        }

        r2.apply(conntrackNet.config2());
        r1.apply(conntrackNet.config1());
        r1.nft().applyScript(conntrackNat(TunnelDataplane.tableName(conntrackNet.config1().interfaceName()),
            conntrackNet.config1().nat()));
        r2.nft().applyScript(conntrackNat(TunnelDataplane.tableName(conntrackNet.config2().interfaceName()),
            conntrackNet.config2().nat()));

        wg2.create(dev2, 1420);
        wg2.configure(dev2, plainNet.keys2.privateKey(), plainNet.port2,
            List.of(new PeerConfig(plainNet.keys1.publicKey(), null, List.of(c1), 0)));
        wg1.create(dev1, 1420);
        wg1.configure(dev1, plainNet.keys1.privateKey(), plainNet.port1,
            List.of(new PeerConfig(plainNet.keys2.publicKey(), plainNet.underlay2 + ":" + plainNet.port2, List.of(c2), 25)));
        HostCommands g1 = HostCommands.inNetns(plainNet.gw1);
        HostCommands g2 = HostCommands.inNetns(plainNet.gw2);
        new Routes(g1).enableForwarding();
        new Routes(g2).enableForwarding();
        g1.run("ip", "route", "replace", c2.toString(), "dev", dev1);
        g2.run("ip", "route", "replace", c1.toString(), "dev", dev2);

        routeOverUnderlay(plainVeth, c2, c1);
        routeOverUnderlay(natVeth, TwoClusters.ONE_SEES_TWO, TwoClusters.TWO_SEES_ONE);
        routeOverUnderlay(conntrackVeth, TwoClusters.ONE_SEES_TWO, TwoClusters.TWO_SEES_ONE);
        new Nft(HostCommands.inNetns(natVeth.gw1)).apply("pontoon-bench", List.of(underlayNat1(natVeth)));
        new Nft(HostCommands.inNetns(natVeth.gw2)).apply("pontoon-bench", List.of(underlayNat2(natVeth)));
        new Nft(HostCommands.inNetns(conntrackVeth.gw1)).applyScript(conntrackNat("pontoon-bench",
            underlayNat1(conntrackVeth)));
        new Nft(HostCommands.inNetns(conntrackVeth.gw2)).applyScript(conntrackNat("pontoon-bench",
            underlayNat2(conntrackVeth)));

        List<List<Path>> groups = List.of(
            List.of(new Path("(a) double NAT, stateless", natNet, "10.71.0.5"),
                new Path("(a0) double NAT, conntrack", conntrackNet, "10.71.0.5"),
                new Path("(b) same tunnel, no NAT", plainNet, c2.address(5))),
            List.of(new Path("(d) veth, NAT stateless", natVeth, "10.71.0.5"),
                new Path("(d0) veth, NAT conntrack", conntrackVeth, "10.71.0.5"),
                new Path("(c) plain veth, no tunnel", plainVeth, c2.address(5))));
        for (List<Path> group : groups) {
          for (Path p : group) {
            await().atMost(Duration.ofSeconds(15)).until(() -> Pods.ping(p.net().pod1, p.target()));
            samples.put(p.name(), new ArrayList<>());
            measure(p); // warm-up, discarded
          }
        }
        for (int round = 0; round < ROUNDS; round++) {
          for (List<Path> group : groups) {
            for (int k = 0; k < group.size(); k++) {
              Path p = group.get((round + k) % group.size()); // a, a0, b / a0, b, a / b, a, a0 / ...
              samples.get(p.name()).add(measure(p));
            }
          }
        }
      } finally {
        a1.remove(natNet.clusterId2);
        a2.remove(natNet.clusterId1);
        r1.remove(conntrackNet.clusterId2);
        r2.remove(conntrackNet.clusterId1);
        wg1.delete(dev1);
        wg2.delete(dev2);
      }
    }
    print(samples, handshakeMs);
  }

  /** Routes each side's view of the other's pods over the underlay veth instead of a tunnel. */
  private static void routeOverUnderlay(TwoClusters net, Cidr oneSeesTwo, Cidr twoSeesOne) {
    HostCommands g1 = HostCommands.inNetns(net.gw1);
    HostCommands g2 = HostCommands.inNetns(net.gw2);
    new Routes(g1).enableForwarding();
    new Routes(g2).enableForwarding();
    g1.run("ip", "route", "replace", oneSeesTwo.toString(), "via", net.underlay2);
    g2.run("ip", "route", "replace", twoSeesOne.toString(), "via", net.underlay1);
  }

  private static PeerNat underlayNat1(TwoClusters net) {
    return new PeerNat(net.underlayInterface1(), TwoClusters.POD_CIDR, TwoClusters.TWO_SEES_ONE,
        TwoClusters.ONE_SEES_TWO);
  }

  private static PeerNat underlayNat2(TwoClusters net) {
    return new PeerNat(net.underlayInterface2(), TwoClusters.POD_CIDR, TwoClusters.ONE_SEES_TWO,
        TwoClusters.TWO_SEES_ONE);
  }

  /** The rules Pontoon rendered before its NAT became stateless: conntrack prefix NAT. */
  private static String conntrackNat(String table, PeerNat c) {
    String dev = '"' + c.interfaceName() + '"';
    return "table ip " + table + " {\n}\ndelete table ip " + table + "\ntable ip " + table + " {\n"
        + "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
        + "    iifname " + dev + " ip daddr " + c.tunnelAddress() + " accept\n"
        + "    iifname " + dev + " ip daddr " + c.localRemapped() + " dnat ip prefix to " + c.localPodCidr() + "\n  }\n"
        + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
        + "    oifname " + dev + " ip saddr " + c.localPodCidr() + " snat ip prefix to " + c.localRemapped() + "\n  }\n"
        + "  chain forward {\n    type filter hook forward priority mangle; policy accept;\n"
        + "    oifname " + dev + " tcp flags syn tcp option maxseg size set rt mtu\n"
        + "    iifname " + dev + " tcp flags syn tcp option maxseg size set rt mtu\n  }\n}\n";
  }

  private static void print(Map<String, List<Sample>> samples, List<Double> handshakeMs) {
    List<String> names = new ArrayList<>(samples.keySet());
    System.out.println();
    System.out.println("GatewayBenchmark: pod->pod, " + ROUNDS + " rounds, order rotating within each group "
        + "(a a0 b / a0 b a / b a a0 / ..., d d0 c / ...); per round and path iperf3 1 x " + IPERF_SECONDS
        + " s and " + PINGS + " pings at 10 ms; wireguard-go, MTU 1420, " + Runtime.getRuntime().availableProcessors()
        + " CPUs, load average at the end " + loadAverage());
    List<String> summary = new ArrayList<>();
    summary.addAll(printRounds("a", "a0", "b", samples.get(names.get(0)), samples.get(names.get(1)),
        samples.get(names.get(2))));
    summary.addAll(printRounds("d", "d0", "c", samples.get(names.get(3)), samples.get(names.get(4)),
        samples.get(names.get(5))));
    System.out.println();
    System.out.println(String.format(Locale.ROOT, "%-30s %14s %14s %14s %14s %14s", "path (all rounds)",
        "TCP Gbit/s med", "TCP Gbit/s min", "TCP Gbit/s max", "RTT med (us)", "RTT p99 (us)"));
    for (String name : names) {
      List<Sample> s = samples.get(name);
      List<Double> rtts = new ArrayList<>();
      s.forEach(x -> rtts.addAll(x.rttsUs()));
      Collections.sort(rtts);
      List<Double> gbits = s.stream().map(Sample::gbit).toList();
      System.out.println(String.format(Locale.ROOT, "%-30s %14.3f %14.3f %14.3f %14.0f %14.0f", name, median(gbits),
          min(gbits), max(gbits), percentile(rtts, 50), percentile(rtts, 99)));
    }
    summary.forEach(System.out::println);
    Collections.sort(handshakeMs);
    System.out.println(String.format(Locale.ROOT,
        "apply Tunnel -> first handshake (n=%d): median %.0f ms, p99 %.0f ms, max %.0f ms", handshakeMs.size(),
        percentile(handshakeMs, 50), percentile(handshakeMs, 99), handshakeMs.get(handshakeMs.size() - 1)));
    System.out.println();
  }

  /** Prints one group's rounds with their ratios to the group's baseline; returns the summary lines. */
  private static List<String> printRounds(String x, String x0, String base, List<Sample> sx, List<Sample> sx0,
      List<Sample> sb) {
    System.out.println();
    System.out.println(String.format(Locale.ROOT, "%5s | %8s %8s %8s | %7s %7s | %8s %8s %8s | %7s %7s", "round",
        x + " Gb/s", x0 + " Gb/s", base + " Gb/s", x + "/" + base, x0 + "/" + base, x + " RTT us", x0 + " RTT",
        base + " RTT", x + "/" + base, x0 + "/" + base));
    List<Double> tput = new ArrayList<>();
    List<Double> tput0 = new ArrayList<>();
    List<Double> rtt = new ArrayList<>();
    List<Double> rtt0 = new ArrayList<>();
    for (int i = 0; i < sb.size(); i++) {
      tput.add(sx.get(i).gbit() / sb.get(i).gbit());
      tput0.add(sx0.get(i).gbit() / sb.get(i).gbit());
      rtt.add(sx.get(i).rttMedianUs() / sb.get(i).rttMedianUs());
      rtt0.add(sx0.get(i).rttMedianUs() / sb.get(i).rttMedianUs());
      System.out.println(String.format(Locale.ROOT,
          "%5d | %8.3f %8.3f %8.3f | %7.3f %7.3f | %8.0f %8.0f %8.0f | %7.3f %7.3f", i + 1, sx.get(i).gbit(),
          sx0.get(i).gbit(), sb.get(i).gbit(), tput.get(i), tput0.get(i), sx.get(i).rttMedianUs(),
          sx0.get(i).rttMedianUs(), sb.get(i).rttMedianUs(), rtt.get(i), rtt0.get(i)));
    }
    System.out.println(String.format(Locale.ROOT,
        "%5s | %8.3f %8.3f %8.3f | %7.3f %7.3f | %8.0f %8.0f %8.0f | %7.3f %7.3f", "med",
        median(sx.stream().map(Sample::gbit).toList()), median(sx0.stream().map(Sample::gbit).toList()),
        median(sb.stream().map(Sample::gbit).toList()), median(tput), median(tput0),
        median(sx.stream().map(Sample::rttMedianUs).toList()), median(sx0.stream().map(Sample::rttMedianUs).toList()),
        median(sb.stream().map(Sample::rttMedianUs).toList()), median(rtt), median(rtt0)));
    return List.of(
        String.format(Locale.ROOT, "per-round ratio %s/%s: throughput median %.3f (min %.3f, max %.3f), RTT median %.3f",
            x, base, median(tput), min(tput), max(tput), median(rtt)),
        String.format(Locale.ROOT, "per-round ratio %s/%s: throughput median %.3f (min %.3f, max %.3f), RTT median %.3f",
            x0, base, median(tput0), min(tput0), max(tput0), median(rtt0)));
  }

  private static Sample measure(Path path) throws Exception {
    TwoClusters net = path.net();
    String target = path.target();
    int port = 15201;
    double gbit;
    Process server = iperfServer(net.pod2, port);
    try {
      String json = null;
      String last = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (json == null && System.nanoTime() < deadline) {
        HostCommands.Result r = runLong(net.pod1, List.of("iperf3", "-c", target, "-p", Integer.toString(port),
            "-t", Integer.toString(IPERF_SECONDS), "-J"));
        if (r.ok() && r.stdout().contains("\"sum_received\"")) {
          json = r.stdout();
        } else {
          last = r.stdout();
          // server not listening yet (iperf3 has no readiness signal): start a fresh one
          Pods.stop(server);
          Thread.sleep(100);
          server = iperfServer(net.pod2, port);
        }
      }
      if (json == null) {
        throw new IllegalStateException("iperf3 to " + target + " failed for " + path.name() + ": " + last);
      }
      int end = json.indexOf("\"sum_received\"");
      Matcher m = BPS.matcher(json.substring(Math.max(0, end)));
      if (end < 0 || !m.find()) {
        throw new IllegalStateException("no sum_received in iperf3 output: " + json);
      }
      gbit = Double.parseDouble(m.group(1)) / 1e9;
    } finally {
      Pods.stop(server);
    }
    HostCommands.Result ping = runLong(net.pod1, List.of("ping", "-n", "-c", Integer.toString(PINGS), "-i", "0.01",
        target));
    List<Double> rtts = new ArrayList<>();
    Matcher m = PING_TIME.matcher(ping.stdout());
    while (m.find()) {
      rtts.add(Double.parseDouble(m.group(1)) * 1000);
    }
    Collections.sort(rtts);
    return new Sample(gbit, percentile(rtts, 50), rtts);
  }

  private static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Process iperfServer(String netns, int port) throws IOException {
    return new ProcessBuilder(HostCommands.inNetns(netns).wrap(
        List.of("iperf3", "-s", "-1", "-p", Integer.toString(port))))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static HostCommands.Result runLong(String netns, List<String> command) throws IOException, InterruptedException {
    // HostCommands caps commands at 10 s; iperf3 and long ping runs need more
    Process p = new ProcessBuilder(HostCommands.inNetns(netns).wrap(command))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new HostCommands.Result(command, p.exitValue(), new String(out), "");
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static double min(List<Double> v) {
    return Collections.min(v);
  }

  private static double max(List<Double> v) {
    return Collections.max(v);
  }

  private static double percentile(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
