package io.pontoon.discovery.testing;

import io.pontoon.discovery.ZoneRecords;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real dnsmasq on a free loopback port, in the foreground, configured only by arguments:
 * {@code local=/<domain>/} (unknown names there are NXDOMAIN) and {@code local-ttl}.
 */
public final class Dnsmasq implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private Dnsmasq(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The dnsmasq flags that serve {@code records}: PTR, SRV, TXT and the target's addresses. */
  public static List<String> flags(ZoneRecords records) {
    List<String> flags = new ArrayList<>();
    flags.add("--ptr-record=" + records.serviceName() + "," + records.instanceName());
    flags.add("--srv-host=" + records.instanceName() + "," + records.target() + ","
        + records.announcement().port() + ",0,0");
    flags.add(txt(records.instanceName(), records.announcement().txt()));
    for (InetAddress a : records.addresses()) {
      flags.add("--host-record=" + records.target() + "," + a.getHostAddress());
    }
    return flags;
  }

  /** {@code --txt-record=NAME,s1,s2}: one string per comma (no shell strips quotes here, so none are added). */
  public static String txt(String name, List<String> strings) {
    StringBuilder sb = new StringBuilder("--txt-record=").append(name);
    for (String s : strings) {
      if (s.contains(",")) throw new IllegalArgumentException("dnsmasq splits TXT strings at commas: " + s);
      sb.append(',').append(s);
    }
    return sb.toString();
  }

  public static Dnsmasq start(String domain, int localTtl, List<String> flags, Path dir) throws IOException, InterruptedException {
    int port = freePort();
    Path log = dir.resolve("dnsmasq-" + port + ".log");
    // --keep-in-foreground rather than --no-daemon: with --no-daemon dnsmasq serves TCP in its only
    // process, and a resolver keeping its TCP connection open (dnsjava does, after a truncated
    // answer) then starves every UDP query.
    List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-", "--pid-file",
        "--user=root", "--conf-file=/dev/null",
        "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
        "--local=/" + domain + "/", "--local-ttl=" + localTtl, "--cache-size=0", "--dns-forward-max=1000"));
    cmd.addAll(flags);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Dnsmasq d = new Dnsmasq(p, port, log);
    d.awaitReady(domain);
    return d;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void awaitReady(String domain) throws IOException, InterruptedException {
    SimpleResolver r = new SimpleResolver(address());
    r.setTimeout(Duration.ofMillis(200));
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) throw new IOException("dnsmasq exited: " + log());
            try {
              r.send(Message.newQuery(Record.newRecord(Name.fromString("ready-check." + domain + "."), Type.A, DClass.IN)));
              return true;
            } catch (IOException e) {
              return false; // not listening yet
            }
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IOException("dnsmasq did not answer within 10 s: " + log());
    }
  }

  /** A port free for both UDP and TCP on loopback. */
  public static int freePort() throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, 0));
           ServerSocket t = new ServerSocket(u.getLocalPort(), 1, lo)) {
        return u.getLocalPort();
      } catch (IOException e) {
        // taken for TCP; try another
      }
    }
    throw new IOException("no free loopback port");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }
}
