package io.pontoon.gateway.tunnel;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.nat.Routes;
import io.pontoon.gateway.testing.Pods;
import io.pontoon.gateway.testing.TwoClusters;
import io.pontoon.gateway.wireguard.PeerConfig;
import io.pontoon.gateway.wireguard.WireGuard;
import io.pontoon.sandbox.junit.HostRequirements;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pod→pod iperf3 TCP throughput and ping RTT, side by side: (a) Pontoon's double-NAT tunnel
 * between two clusters on the same pod CIDR, (b) the same wireguard-go tunnel without any nft
 * table (distinct CIDRs), (c) a plain routed veth underlay without a tunnel; and the time from
 * applying a tunnel to its first handshake. Prints a table; asserts nothing.
 *
 * <p>{@code ./mvnw -B -o -pl gateway -am verify -Pbench -Dtest=GatewayBenchmark}
 */
@Tag("bench")
class GatewayBenchmark {
  static final int IPERF_SECONDS = Integer.getInteger("bench.iperfSeconds", 5);
  static final int IPERF_RUNS = Integer.getInteger("bench.iperfRuns", 3);
  static final int PINGS = Integer.getInteger("bench.pings", 200);
  static final int HANDSHAKES = Integer.getInteger("bench.handshakes", 10);
  static final Pattern PING_TIME = Pattern.compile("time=([0-9.]+) ms");
  static final Pattern BPS = Pattern.compile("\"bits_per_second\":\\s*([0-9.eE+]+)");

  record Row(String path, double gbitMedian, double gbitMin, double rttMedianUs, double rttP99Us) {}

  @Test
  void measure() throws Exception {
    HostRequirements.check().root().tool("wg", "wireguard-tools").tool("wireguard-go", "wireguard-go")
        .tool("nft", "nftables").tool("iperf3", "iperf3").tool("ping", "iputils-ping").orSkip();
    List<Row> rows = new ArrayList<>();
    List<Double> handshakeMs = new ArrayList<>();

    try (TwoClusters net = new TwoClusters()) {
      TunnelDataplane dp1 = new TunnelDataplane(HostCommands.inNetns(net.gw1));
      TunnelDataplane dp2 = new TunnelDataplane(HostCommands.inNetns(net.gw2));
      try {
        dp2.apply(net.config2());
        for (int i = 0; i < HANDSHAKES; i++) {
          dp1.remove(net.clusterId2);
          long t0 = System.nanoTime();
          dp1.apply(net.config1());
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() ->
              dp1.state(net.clusterId2).flatMap(s -> s.peer(net.keys2.publicKey()))
                  .flatMap(p -> p.latestHandshake()).isPresent());
          handshakeMs.add((System.nanoTime() - t0) / 1e6);
        }
        rows.add(measure("(a) double-NAT tunnel", net, "10.71.0.5"));
      } finally {
        dp1.remove(net.clusterId2);
        dp2.remove(net.clusterId1);
      }
    }

    Cidr c1 = Cidr.parse("10.1.0.0/24");
    Cidr c2 = Cidr.parse("10.2.0.0/24");
    try (TwoClusters net = new TwoClusters(c1, c2)) {
      HostCommands g1 = HostCommands.inNetns(net.gw1);
      HostCommands g2 = HostCommands.inNetns(net.gw2);
      WireGuard wg1 = new WireGuard(g1);
      WireGuard wg2 = new WireGuard(g2);
      String dev1 = net.config1().interfaceName();
      String dev2 = net.config2().interfaceName();
      try {
        wg2.create(dev2, 1420);
        wg2.configure(dev2, net.keys2.privateKey(), net.port2,
            List.of(new PeerConfig(net.keys1.publicKey(), null, List.of(c1), 0)));
        wg1.create(dev1, 1420);
        wg1.configure(dev1, net.keys1.privateKey(), net.port1,
            List.of(new PeerConfig(net.keys2.publicKey(), net.underlay2 + ":" + net.port2, List.of(c2), 25)));
        new Routes(g1).enableForwarding();
        new Routes(g2).enableForwarding();
        g1.run("ip", "route", "replace", c2.toString(), "dev", dev1);
        g2.run("ip", "route", "replace", c1.toString(), "dev", dev2);
        rows.add(measure("(b) same tunnel, no NAT", net, c2.address(5)));
      } finally {
        wg1.delete(dev1);
        wg2.delete(dev2);
      }
      g1.run("ip", "route", "replace", c2.toString(), "via", net.underlay2);
      g2.run("ip", "route", "replace", c1.toString(), "via", net.underlay1);
      rows.add(measure("(c) plain veth, no tunnel", net, c2.address(5)));
    }

    Collections.sort(handshakeMs);
    System.out.println();
    System.out.println("GatewayBenchmark: pod->pod, iperf3 " + IPERF_RUNS + " x " + IPERF_SECONDS + " s, "
        + PINGS + " pings at 10 ms, wireguard-go, MTU 1420, " + Runtime.getRuntime().availableProcessors() + " CPUs");
    System.out.printf(Locale.ROOT, "%-28s %14s %14s %14s %14s%n", "path", "TCP Gbit/s med", "TCP Gbit/s min",
        "RTT med (us)", "RTT p99 (us)");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-28s %14.2f %14.2f %14.0f %14.0f%n", r.path(), r.gbitMedian(), r.gbitMin(),
          r.rttMedianUs(), r.rttP99Us());
    }
    System.out.printf(Locale.ROOT, "throughput ratio (a)/(b): %.3f   RTT ratio (a)/(b): %.3f%n",
        rows.get(0).gbitMedian() / rows.get(1).gbitMedian(), rows.get(0).rttMedianUs() / rows.get(1).rttMedianUs());
    System.out.printf(Locale.ROOT, "apply Tunnel -> first handshake (n=%d): median %.0f ms, p99 %.0f ms, max %.0f ms%n",
        handshakeMs.size(), percentile(handshakeMs, 50), percentile(handshakeMs, 99),
        handshakeMs.get(handshakeMs.size() - 1));
    System.out.println();
  }

  private static Row measure(String path, TwoClusters net, String target) throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> Pods.ping(net.pod1, target));
    int port = 15201;
    List<Double> gbits = new ArrayList<>();
    for (int run = 0; run < IPERF_RUNS; run++) {
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
          throw new IllegalStateException("iperf3 to " + target + " failed for " + path + ": " + last);
        }
        int end = json.indexOf("\"sum_received\"");
        Matcher m = BPS.matcher(json.substring(Math.max(0, end)));
        if (end < 0 || !m.find()) {
          throw new IllegalStateException("no sum_received in iperf3 output: " + json);
        }
        gbits.add(Double.parseDouble(m.group(1)) / 1e9);
      } finally {
        Pods.stop(server);
      }
    }
    HostCommands.Result ping = runLong(net.pod1, List.of("ping", "-n", "-c", Integer.toString(PINGS), "-i", "0.01",
        target));
    List<Double> rtts = new ArrayList<>();
    Matcher m = PING_TIME.matcher(ping.stdout());
    while (m.find()) {
      rtts.add(Double.parseDouble(m.group(1)) * 1000);
    }
    Collections.sort(rtts);
    Collections.sort(gbits);
    return new Row(path, percentile(gbits, 50), gbits.get(0), percentile(rtts, 50), percentile(rtts, 99));
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

  private static double percentile(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
