package io.pontoon.cli.discovery;

import io.pontoon.cli.OutputFormat;
import io.pontoon.cli.UserError;
import io.pontoon.discovery.Discovered;
import io.pontoon.discovery.DiscoveryListener;
import io.pontoon.discovery.dns.BrowseResult;
import io.pontoon.discovery.dns.DnsSdBrowser;
import io.pontoon.discovery.mdns.MdnsBrowser;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ResolverConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pontoon discover}: lists clusters announced in DNS-SD and on mDNS; needs no cluster. */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description = {
        "List Pontoon clusters announced under DNS domains (DNS-SD: PTR, SRV, TXT) and, with --mdns,",
        "on the local network. Needs no cluster; peers nothing: use the URL and fingerprint shown",
        "with `pontoon peer`."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon discover --dns-domain clusters.example.com",
        "  pontoon discover --dns-domain example.com --dns-server 10.0.0.53:53 --dns-server 10.0.0.54 -o json",
        "  pontoon discover --mdns --interface eth0 --timeout 5s"})
public final class DiscoverCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dns-domain", paramLabel = "D", description = "Domain to browse (repeatable).")
  List<String> domains = new ArrayList<>();

  @Option(names = "--dns-server", paramLabel = "HOST[:PORT]",
      description = "Resolver to ask, tried in order (repeatable; default: the system's resolvers).")
  List<String> servers = new ArrayList<>();

  @Option(names = "--mdns", description = "Also browse mDNS (_pontoon._tcp.local.) on the local network.")
  boolean mdns;

  @Option(names = "--interface", paramLabel = "IF",
      description = "Interface to browse mDNS on (repeatable; default: every up, multicast IPv4 interface).")
  List<String> interfaces = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3s",
      description = "How long to browse (default: ${DEFAULT-VALUE}); e.g. 500ms, 3s, 1m.")
  String timeout;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  /** One found cluster, as printed. */
  public record Row(String name, String clusterID, String peeringURL, String fingerprint, String source,
      long ttlSeconds, List<String> addresses) {}

  @Override
  public Integer call() throws Exception {
    if (domains.isEmpty() && !mdns) {
      throw new ParameterException(spec.commandLine(), "give --dns-domain D and/or --mdns");
    }
    if (!interfaces.isEmpty() && !mdns) {
      throw new ParameterException(spec.commandLine(), "--interface needs --mdns");
    }
    if (output == OutputFormat.yaml) {
      throw new ParameterException(spec.commandLine(), "-o must be table or json");
    }
    Duration wait = DurationOption.parse(spec.commandLine(), "--timeout", timeout);
    Map<String, Row> rows = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();

    List<MdnsBrowser> browsers = mdns ? startMdns() : List.of();
    long until = System.nanoTime() + wait.toNanos();
    if (!domains.isEmpty()) {
      List<InetSocketAddress> resolvers = resolvers();
      Duration perQuery = wait.compareTo(Duration.ofSeconds(2)) < 0 ? wait : Duration.ofSeconds(2);
      DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(resolvers)
          .withQueryTimeout(perQuery).withDeadline(wait));
      List<CompletableFuture<BrowseResult>> results = domains.stream().map(browser::browse).toList();
      for (CompletableFuture<BrowseResult> f : results) {
        BrowseResult r = get(f, wait.plusSeconds(1));
        r.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
        r.failure().ifPresent(why -> failures.add(r.domain() + ": " + why));
        r.instances().forEach(d -> rows.putIfAbsent(d.announcement().clusterId(), row(d)));
      }
    }
    if (!browsers.isEmpty()) {
      long left = until - System.nanoTime();
      if (left > 0) TimeUnit.NANOSECONDS.sleep(left); // mDNS answers arrive over the whole window
      for (MdnsBrowser b : browsers) b.instances().forEach(d -> rows.putIfAbsent(d.announcement().clusterId(), row(d)));
      closeInBackground(browsers);
    }
    spec.commandLine().getErr().flush();
    if (rows.isEmpty() && !failures.isEmpty()) {
      throw new UserError("discovery failed: " + String.join("; ", failures)
          + "; check --dns-server and that the domain publishes _pontoon._tcp records");
    }
    failures.forEach(f -> spec.commandLine().getErr().println("warning: " + f));
    List<Row> list = new ArrayList<>(rows.values());
    if (list.isEmpty() && output == OutputFormat.table) {
      spec.commandLine().getOut().println("No clusters found.");
      spec.commandLine().getOut().flush();
      return 0;
    }
    List<List<String>> table = list.stream().map(r -> List.of(r.name(), r.clusterID(), r.peeringURL(),
        r.fingerprint(), r.source(), r.ttlSeconds() + "s")).toList();
    output.print(spec.commandLine().getOut(), list,
        List.of("name", "id", "endpoint", "fingerprint", "source", "ttl"), table);
    return 0;
  }

  private static Row row(Discovered d) {
    return new Row(d.announcement().clusterName(), d.announcement().clusterId(), d.announcement().peeringUrl(),
        d.announcement().fingerprint(), d.source().toString(), d.source().ttl().toSeconds(),
        d.addresses().stream().map(InetAddress::getHostAddress).toList());
  }

  private static BrowseResult get(CompletableFuture<BrowseResult> f, Duration max) throws InterruptedException {
    try {
      return f.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError("DNS browsing did not finish: " + e.getMessage());
    }
  }

  private List<InetSocketAddress> resolvers() {
    if (servers.isEmpty()) {
      List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
      if (system.isEmpty()) {
        throw new UserError("no system DNS resolver found; give one with --dns-server HOST:PORT");
      }
      return system;
    }
    List<InetSocketAddress> list = new ArrayList<>();
    for (String s : servers) list.add(HostPort.parse(spec.commandLine(), "--dns-server", s, 53));
    return list;
  }

  private List<MdnsBrowser> startMdns() throws IOException {
    Map<String, InetAddress> addresses = new LinkedHashMap<>();
    if (interfaces.isEmpty()) {
      for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
        if (usable(nif)) ipv4(nif).ifPresent(a -> addresses.put(nif.getName(), a));
      }
      if (addresses.isEmpty()) throw new UserError("no up, multicast IPv4 interface to browse mDNS on; give --interface IF");
    } else {
      for (String name : interfaces) {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null) throw new UserError("no network interface " + name + "; list them with `ip link`");
        InetAddress a = ipv4(nif).orElseThrow(() -> new UserError("interface " + name
            + " has no IPv4 address; mDNS browsing needs one"));
        addresses.put(name, a);
      }
    }
    List<MdnsBrowser> browsers = new ArrayList<>();
    DiscoveryListener quiet = new DiscoveryListener() {
      @Override
      public void appeared(Discovered instance) {}

      @Override
      public void updated(Discovered previous, Discovered current) {}

      @Override
      public void gone(Discovered instance) {}
    };
    for (Map.Entry<String, InetAddress> e : addresses.entrySet()) {
      browsers.add(MdnsBrowser.start(MdnsBrowser.Options.defaults(e.getValue()).withOrigin(e.getKey()), quiet));
    }
    return browsers;
  }

  private static boolean usable(NetworkInterface nif) throws SocketException {
    return nif.isUp() && !nif.isLoopback() && nif.supportsMulticast();
  }

  private static java.util.Optional<InetAddress> ipv4(NetworkInterface nif) {
    return nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
  }

  /** jmdns takes seconds to close; the answer is already printed, so do not make the user wait. */
  private static void closeInBackground(List<MdnsBrowser> browsers) {
    Thread t = new Thread(() -> browsers.forEach(b -> {
      try {
        b.close();
      } catch (IOException e) {
        // exiting anyway
      }
    }), "mdns-close");
    t.setDaemon(true);
    t.start();
  }
}
