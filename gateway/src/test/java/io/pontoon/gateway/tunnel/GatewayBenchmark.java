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
 * clusters on the same pod CIDR (stateless rules in a netdev table hooked to the tunnel interface),
 * (a1) the same stateless rewrite in the IP hooks (prerouting/forward/postrouting/output, with
 * notrack) as Pontoon did before, (a0) the conntrack-based prefix NAT it used before that (both for
 * reference), (b) the same wireguard-go tunnel without any nft table (distinct CIDRs); and, to show
 * the NAT's own cost where nothing slow hides it, (c) a plain routed veth underlay without a
 * tunnel, (d) the same veth with Pontoon's NAT rules on it, (d1) with the IP-hook ones, (d0) with the
 * conntrack ones. Also the time from applying a tunnel to its first handshake. Prints tables;
 * asserts nothing.
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
    List<List<Path>> groups = new ArrayList<>();

    try (TwoClusters natNet = new TwoClusters(); TwoClusters hookNet = new TwoClusters();
        TwoClusters conntrackNet = new TwoClusters(); TwoClusters plainNet = new TwoClusters(c1, c2);
        TwoClusters natVeth = new TwoClusters(); TwoClusters hookVeth = new TwoClusters();
        TwoClusters conntrackVeth = new TwoClusters(); TwoClusters plainVeth = new TwoClusters(c1, c2)) {
      TunnelDataplane a1 = new TunnelDataplane(HostCommands.inNetns(natNet.gw1));
      TunnelDataplane a2 = new TunnelDataplane(HostCommands.inNetns(natNet.gw2));
      TunnelDataplane h1 = new TunnelDataplane(HostCommands.inNetns(hookNet.gw1));
      TunnelDataplane h2 = new TunnelDataplane(HostCommands.inNetns(hookNet.gw2));
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

        // the reference tunnels: Pontoon's dataplane, then its table swapped for the older rules
        h2.apply(hookNet.config2());
        h1.apply(hookNet.config1());
        h1.nft().applyScript(ipHookNat(TunnelDataplane.tableName(hookNet.config1().interfaceName()),
            hookNet.config1().nat()));
        h2.nft().applyScript(ipHookNat(TunnelDataplane.tableName(hookNet.config2().interfaceName()),
            hookNet.config2().nat()));
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
        routeOverUnderlay(hookVeth, TwoClusters.ONE_SEES_TWO, TwoClusters.TWO_SEES_ONE);
        routeOverUnderlay(conntrackVeth, TwoClusters.ONE_SEES_TWO, TwoClusters.TWO_SEES_ONE);
        new Nft(HostCommands.inNetns(natVeth.gw1)).apply("pontoon-bench", List.of(underlayNat1(natVeth)));
        new Nft(HostCommands.inNetns(natVeth.gw2)).apply("pontoon-bench", List.of(underlayNat2(natVeth)));
        new Nft(HostCommands.inNetns(hookVeth.gw1)).applyScript(ipHookNat("pontoon-bench", underlayNat1(hookVeth)));
        new Nft(HostCommands.inNetns(hookVeth.gw2)).applyScript(ipHookNat("pontoon-bench", underlayNat2(hookVeth)));
        new Nft(HostCommands.inNetns(conntrackVeth.gw1)).applyScript(conntrackNat("pontoon-bench",
            underlayNat1(conntrackVeth)));
        new Nft(HostCommands.inNetns(conntrackVeth.gw2)).applyScript(conntrackNat("pontoon-bench",
            underlayNat2(conntrackVeth)));

        groups.addAll(List.of(
            List.of(new Path("(a) double NAT, netdev", natNet, "10.71.0.5"),
                new Path("(a1) double NAT, IP hooks", hookNet, "10.71.0.5"),
                new Path("(a0) double NAT, conntrack", conntrackNet, "10.71.0.5"),
                new Path("(b) same tunnel, no NAT", plainNet, c2.address(5))),
            List.of(new Path("(d) veth, NAT netdev", natVeth, "10.71.0.5"),
                new Path("(d1) veth, NAT IP hooks", hookVeth, "10.71.0.5"),
                new Path("(d0) veth, NAT conntrack", conntrackVeth, "10.71.0.5"),
                new Path("(c) plain veth, no tunnel", plainVeth, c2.address(5)))));
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
              Path p = group.get((round + k) % group.size()); // a a1 a0 b / a1 a0 b a / ...
              samples.get(p.name()).add(measure(p));
            }
          }
        }
      } finally {
        a1.remove(natNet.clusterId2);
        a2.remove(natNet.clusterId1);
        h1.remove(hookNet.clusterId2);
        h2.remove(hookNet.clusterId1);
        r1.remove(conntrackNet.clusterId2);
        r2.remove(conntrackNet.clusterId1);
        wg1.delete(dev1);
        wg2.delete(dev2);
      }
    }
    print(groups, samples, handshakeMs);
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
        TwoClusters.ONE_SEES_TWO, 1500);
  }

  private static PeerNat underlayNat2(TwoClusters net) {
    return new PeerNat(net.underlayInterface2(), TwoClusters.POD_CIDR, TwoClusters.ONE_SEES_TWO,
        TwoClusters.TWO_SEES_ONE, 1500);
  }

  /** A script that replaces Pontoon's table {@code table} (any family) by an ip table of that name. */
  private static String replacedByIpTable(String table) {
    return "table netdev " + table + " {\n}\ndelete table netdev " + table + "\n"
        + "table ip " + table + " {\n}\ndelete table ip " + table + "\ntable ip " + table + " {\n";
  }

  /**
   * The stateless rules as Pontoon rendered them before they moved to the tunnel device's own
   * hooks: the same rewrites in the IP hooks, which every packet of the namespace crosses, plus
   * notrack for tunnel traffic. The ICMP-error chains are left empty: TCP never enters them.
   */
  private static String ipHookNat(String table, PeerNat c) {
    String dev = '"' + c.interfaceName() + '"';
    String errors = " icmp type { destination-unreachable, time-exceeded, parameter-problem }";
    String host = Cidr.formatAddress(c.localPodCidr().size() - 1);
    return replacedByIpTable(table)
        + "  chain prerouting {\n    type filter hook prerouting priority raw; policy accept;\n"
        + "    iifname " + dev + " notrack\n"
        + "    ip daddr " + c.remoteRemapped() + " notrack\n"
        + "    iifname " + dev + " ip daddr " + c.tunnelAddress() + " accept\n"
        + "    iifname " + dev + errors + " jump icmp-in\n"
        + "    iifname " + dev + " ip daddr " + c.localRemapped() + " ip daddr set ip daddr & " + host + " | "
        + Cidr.formatAddress(c.localPodCidr().network()) + "\n  }\n"
        + "  chain output {\n    type filter hook output priority raw; policy accept;\n"
        + "    ip daddr " + c.remoteRemapped() + " notrack\n  }\n"
        + "  chain postrouting {\n    type filter hook postrouting priority srcnat; policy accept;\n"
        + "    oifname " + dev + errors + " jump icmp-out\n"
        + "    oifname " + dev + " ip saddr " + c.localPodCidr() + " ip saddr set ip saddr & " + host + " | "
        + Cidr.formatAddress(c.localRemapped().network()) + "\n  }\n"
        + "  chain forward {\n    type filter hook forward priority mangle; policy accept;\n"
        + "    oifname " + dev + " tcp flags syn tcp option maxseg size set rt mtu\n"
        + "    iifname " + dev + " tcp flags syn tcp option maxseg size set rt mtu\n  }\n"
        + "  chain icmp-in {\n  }\n  chain icmp-out {\n  }\n}\n";
  }

  /** The rules Pontoon rendered before its NAT became stateless: conntrack prefix NAT. */
  private static String conntrackNat(String table, PeerNat c) {
    String dev = '"' + c.interfaceName() + '"';
    return replacedByIpTable(table)
        + "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
        + "    iifname " + dev + " ip daddr " + c.tunnelAddress() + " accept\n"
        + "    iifname " + dev + " ip daddr " + c.localRemapped() + " dnat ip prefix to " + c.localPodCidr() + "\n  }\n"
        + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
        + "    oifname " + dev + " ip saddr " + c.localPodCidr() + " snat ip prefix to " + c.localRemapped() + "\n  }\n"
        + "  chain forward {\n    type filter hook forward priority mangle; policy accept;\n"
        + "    oifname " + dev + " tcp flags syn tcp option maxseg size set rt mtu\n"
        + "    iifname " + dev + " tcp flags syn tcp option maxseg size set rt mtu\n  }\n}\n";
  }

  private static void print(List<List<Path>> groups, Map<String, List<Sample>> samples, List<Double> handshakeMs) {
    System.out.println();
    System.out.println("GatewayBenchmark: pod->pod, " + ROUNDS + " rounds, order rotating within each group "
        + "(a a1 a0 b / a1 a0 b a / ..., d d1 d0 c / ...); per round and path iperf3 1 x " + IPERF_SECONDS
        + " s and " + PINGS + " pings at 10 ms; wireguard-go, MTU 1420, " + Runtime.getRuntime().availableProcessors()
        + " CPUs, load average at the end " + loadAverage());
    List<String> summary = new ArrayList<>();
    for (List<Path> group : groups) {
      summary.addAll(printRounds(group.stream().map(p -> label(p.name())).toList(),
          group.stream().map(p -> samples.get(p.name())).toList()));
    }
    System.out.println();
    System.out.println(String.format(Locale.ROOT, "%-30s %14s %14s %14s %14s %14s", "path (all rounds)",
        "TCP Gbit/s med", "TCP Gbit/s min", "TCP Gbit/s max", "RTT med (us)", "RTT p99 (us)"));
    for (String name : samples.keySet()) {
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

  /** "(a1) double NAT, IP hooks" → "a1". */
  private static String label(String name) {
    return name.substring(1, name.indexOf(')'));
  }

  /**
   * Prints one group's rounds with each path's ratio to the group's baseline (its last path);
   * returns the summary lines.
   */
  private static List<String> printRounds(List<String> labels, List<List<Sample>> paths) {
    int n = labels.size();
    String base = labels.get(n - 1);
    List<Sample> sb = paths.get(n - 1);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%5s |", "round"));
    labels.forEach(l -> head.append(String.format(Locale.ROOT, " %8s", l + " Gb/s")));
    head.append(" |");
    labels.subList(0, n - 1).forEach(l -> head.append(String.format(Locale.ROOT, " %7s", l + "/" + base)));
    head.append(" |");
    labels.forEach(l -> head.append(String.format(Locale.ROOT, " %8s", l + " RTT")));
    head.append(" |");
    labels.subList(0, n - 1).forEach(l -> head.append(String.format(Locale.ROOT, " %7s", l + "/" + base)));
    System.out.println();
    System.out.println(head);
    List<List<Double>> tput = new ArrayList<>();
    List<List<Double>> rtt = new ArrayList<>();
    for (int k = 0; k < n - 1; k++) {
      tput.add(new ArrayList<>());
      rtt.add(new ArrayList<>());
    }
    for (int i = 0; i < sb.size(); i++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d |", i + 1));
      for (List<Sample> s : paths) {
        line.append(String.format(Locale.ROOT, " %8.3f", s.get(i).gbit()));
      }
      line.append(" |");
      for (int k = 0; k < n - 1; k++) {
        tput.get(k).add(paths.get(k).get(i).gbit() / sb.get(i).gbit());
        rtt.get(k).add(paths.get(k).get(i).rttMedianUs() / sb.get(i).rttMedianUs());
        line.append(String.format(Locale.ROOT, " %7.3f", tput.get(k).get(i)));
      }
      line.append(" |");
      for (List<Sample> s : paths) {
        line.append(String.format(Locale.ROOT, " %8.0f", s.get(i).rttMedianUs()));
      }
      line.append(" |");
      for (int k = 0; k < n - 1; k++) {
        line.append(String.format(Locale.ROOT, " %7.3f", rtt.get(k).get(i)));
      }
      System.out.println(line);
    }
    StringBuilder med = new StringBuilder(String.format(Locale.ROOT, "%5s |", "med"));
    paths.forEach(s -> med.append(String.format(Locale.ROOT, " %8.3f", median(s.stream().map(Sample::gbit).toList()))));
    med.append(" |");
    tput.forEach(t -> med.append(String.format(Locale.ROOT, " %7.3f", median(t))));
    med.append(" |");
    paths.forEach(s -> med.append(String.format(Locale.ROOT, " %8.0f",
        median(s.stream().map(Sample::rttMedianUs).toList()))));
    med.append(" |");
    rtt.forEach(t -> med.append(String.format(Locale.ROOT, " %7.3f", median(t))));
    System.out.println(med);
    List<String> summary = new ArrayList<>();
    for (int k = 0; k < n - 1; k++) {
      summary.add(String.format(Locale.ROOT,
          "per-round ratio %s/%s: throughput median %.3f (min %.3f, max %.3f), RTT median %.3f", labels.get(k), base,
          median(tput.get(k)), min(tput.get(k)), max(tput.get(k)), median(rtt.get(k))));
    }
    return summary;
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
