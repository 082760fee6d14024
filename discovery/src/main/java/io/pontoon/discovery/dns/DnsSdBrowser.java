package io.pontoon.discovery.dns;

import io.pontoon.api.PontoonNames;
import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.Discovered;
import io.pontoon.discovery.InvalidAnnouncementException;
import io.pontoon.discovery.Source;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Unicast DNS-SD browser (RFC 6763 over RFC 2782): {@code PTR _pontoon._tcp.<domain>} lists
 * instances; for each, SRV and TXT are read in parallel, then A/AAAA of the SRV target (taken
 * from the additional section when the server put them there). Every instance resolves
 * concurrently, so the time to browse is that of the slowest chain, not the sum.
 *
 * <p>Hostile or broken data never escapes as an exception: each bad record is skipped with one
 * warning naming it, logged and returned in {@link BrowseResult#warnings()}.
 */
public final class DnsSdBrowser {
  private static final Logger LOG = LoggerFactory.getLogger(DnsSdBrowser.class);

  /**
   * @param servers resolvers tried in order for each query
   * @param queryTimeout how long one query to one resolver may take
   * @param deadline how long one browse may take in all; what is resolved by then is returned
   * @param maxInstances instances kept per domain; more are dropped with a warning
   * @param maxCnameDepth CNAMEs followed for one name before giving up
   */
  public record Options(List<InetSocketAddress> servers, Duration queryTimeout, Duration deadline,
      int maxInstances, int maxCnameDepth) {
    public Options {
      servers = List.copyOf(servers);
      if (servers.isEmpty()) throw new IllegalArgumentException("at least one DNS server is needed");
      if (maxInstances < 1) throw new IllegalArgumentException("maxInstances must be at least 1");
      if (maxCnameDepth < 0) throw new IllegalArgumentException("maxCnameDepth must not be negative");
      if (deadline.compareTo(queryTimeout) < 0) {
        throw new IllegalArgumentException("deadline " + deadline + " is shorter than the query timeout " + queryTimeout);
      }
    }

    /** 2 s per query, 5 s per browse, 1,000 instances, 8 CNAMEs. */
    public static Options defaults(List<InetSocketAddress> servers) {
      return new Options(servers, Duration.ofSeconds(2), Duration.ofSeconds(5), 1000, 8);
    }

    public Options withQueryTimeout(Duration d) {
      return new Options(servers, d, deadline.compareTo(d) < 0 ? d : deadline, maxInstances, maxCnameDepth);
    }

    public Options withDeadline(Duration d) {
      return new Options(servers, queryTimeout.compareTo(d) > 0 ? d : queryTimeout, d, maxInstances, maxCnameDepth);
    }

    public Options withMaxInstances(int n) {
      return new Options(servers, queryTimeout, deadline, n, maxCnameDepth);
    }

    public Options withMaxCnameDepth(int n) {
      return new Options(servers, queryTimeout, deadline, maxInstances, n);
    }
  }

  private final Options options;
  private final DnsResolvers resolvers;
  private final Executor executor;

  public DnsSdBrowser(Options options) {
    this(options, Clock.systemUTC(), ForkJoinPool.commonPool());
  }

  public DnsSdBrowser(Options options, Clock clock, Executor executor) {
    this.options = options;
    this.executor = executor;
    this.resolvers = new DnsResolvers(options.servers(), options.queryTimeout(), clock, executor);
  }

  /** DNS queries sent so far; cached answers send none. */
  public long queriesSent() {
    return resolvers.queriesSent();
  }

  /** Browses {@code domain}; the future always completes normally, within the deadline. */
  public CompletableFuture<BrowseResult> browse(String domain) {
    Warnings warnings = new Warnings(domain);
    String d;
    Name service;
    try {
      d = normalize(domain);
      service = Name.fromString(PontoonNames.DNS_SD_SERVICE + "." + d + ".");
    } catch (IllegalArgumentException | TextParseException e) {
      return CompletableFuture.completedFuture(new BrowseResult(String.valueOf(domain), List.of(), List.of(),
          Optional.of("'" + domain + "' is not a DNS domain name: " + e.getMessage())));
    }
    long deadlineAt = System.nanoTime() + options.deadline().toNanos();
    CompletableFuture<BrowseResult> result = lookup(service, Type.PTR, warnings)
        .thenCompose(ptr -> {
          if (ptr.failure != null) {
            return CompletableFuture.completedFuture(failed(d, warnings, ptr.failure));
          }
          List<Name> instances = instanceNames(service, ptr.records, options.maxInstances(), warnings);
          long ptrTtl = ptr.ttl;
          List<CompletableFuture<Optional<Discovered>>> pending = new ArrayList<>();
          for (Name instance : instances) {
            pending.add(resolveInstance(d, instance, ptrTtl, warnings).exceptionally(e -> {
              warnings.add("skipping instance " + instance + ": " + rootMessage(e));
              return Optional.empty();
            }));
          }
          long left = Math.max(0, deadlineAt - System.nanoTime());
          return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
              .completeOnTimeout(null, left, TimeUnit.NANOSECONDS)
              .handle((ignored, error) -> collect(d, instances, pending, warnings));
        })
        .exceptionally(e -> failed(d, warnings, rootMessage(e)));
    long total = options.deadline().toNanos();
    return result.completeOnTimeout(failed(d, warnings, "no answer for " + service + " PTR within the deadline of "
        + options.deadline().toMillis() + " ms"), total, TimeUnit.NANOSECONDS);
  }

  private BrowseResult collect(String domain, List<Name> instances,
      List<CompletableFuture<Optional<Discovered>>> pending, Warnings warnings) {
    List<Discovered> found = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      CompletableFuture<Optional<Discovered>> f = pending.get(i);
      if (f.isDone() && !f.isCompletedExceptionally()) {
        f.join().ifPresent(found::add);
      } else {
        late.add(instances.get(i).toString());
      }
    }
    if (!late.isEmpty()) {
      warnings.add(late.size() + " instance(s) under " + domain + " not resolved within the deadline of "
          + options.deadline().toMillis() + " ms: " + String.join(", ", late.subList(0, Math.min(5, late.size())))
          + (late.size() > 5 ? ", ..." : ""));
    }
    found.sort(Comparator.comparing((Discovered x) -> x.announcement().clusterName()).thenComparing(Discovered::instance));
    return new BrowseResult(domain, found, warnings.list(), Optional.empty());
  }

  private static BrowseResult failed(String domain, Warnings warnings, String why) {
    return new BrowseResult(domain, List.of(), warnings.list(), Optional.of(why));
  }

  /** The PTR targets that are instances of the service, de-duplicated, capped. */
  static List<Name> instanceNames(Name service, List<Record> ptrs, int maxInstances, Warnings warnings) {
    Set<Name> names = new LinkedHashSet<>();
    for (Record r : ptrs) {
      Name target = ((PTRRecord) r).getTarget();
      if (target.labels() != service.labels() + 1 || !target.subdomain(service)) {
        warnings.add("skipping PTR record " + r.getName() + " -> " + target + ": not an instance of " + service);
        continue;
      }
      String label = target.getLabelString(0);
      if (!printable(label)) {
        warnings.add("skipping PTR record " + r.getName() + " -> " + target + ": instance name has control characters");
        continue;
      }
      names.add(target.canonicalize());
    }
    List<Name> list = new ArrayList<>(names);
    if (list.size() > maxInstances) {
      warnings.add(service + " lists " + list.size() + " instances; keeping the first " + maxInstances
          + " (raise the instance cap to keep more)");
      list = new ArrayList<>(list.subList(0, maxInstances));
    }
    return list;
  }

  private CompletableFuture<Optional<Discovered>> resolveInstance(String domain, Name instance, long ptrTtl,
      Warnings warnings) {
    CompletableFuture<Lookup> srv = lookup(instance, Type.SRV, warnings);
    CompletableFuture<Lookup> txt = lookup(instance, Type.TXT, warnings);
    return srv.thenCombine(txt, Pair::new).thenCompose(p -> {
      Lookup s = p.a;
      Lookup t = p.b;
      String problem = problem(instance, "SRV", s);
      if (problem == null) problem = problem(instance, "TXT", t);
      if (problem != null) {
        warnings.add(problem);
        return CompletableFuture.completedFuture(Optional.<Discovered>empty());
      }
      if (t.records.size() > 1) {
        warnings.add("skipping instance " + instance + ": it has " + t.records.size()
            + " TXT records, DNS-SD allows one");
        return CompletableFuture.completedFuture(Optional.<Discovered>empty());
      }
      List<byte[]> strings = ((TXTRecord) t.records.get(0)).getStringsAsByteArrays();
      List<SRVRecord> targets = orderSrv(s.records);
      long ttl = Math.min(ptrTtl, Math.min(s.ttl, t.ttl));
      return firstReachable(domain, instance, targets, 0, strings, ttl, s.additional, new ArrayList<>(), warnings);
    });
  }

  /** Tries SRV targets in priority/weight order until one has addresses and valid TXT. */
  private CompletableFuture<Optional<Discovered>> firstReachable(String domain, Name instance, List<SRVRecord> srvs,
      int index, List<byte[]> txt, long ttl, List<Record> additional, List<String> misses, Warnings warnings) {
    if (index >= srvs.size()) {
      warnings.add("skipping instance " + instance + ": no SRV target resolves (" + String.join("; ", misses) + ")");
      return CompletableFuture.completedFuture(Optional.empty());
    }
    SRVRecord srv = srvs.get(index);
    Name target = srv.getTarget();
    String host = target.toString(true);
    if (target.equals(Name.root)) {
      warnings.add("skipping instance " + instance + ": SRV target '.' says the service is not offered there");
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (!Announcement.isHost(host) || host.matches("^[0-9.]+$")) {
      misses.add("SRV target " + printableName(target) + " is not a valid host name");
      return firstReachable(domain, instance, srvs, index + 1, txt, ttl, additional, misses, warnings);
    }
    Announcement announcement;
    try {
      announcement = Announcement.fromTxtBytes(txt, host.toLowerCase(Locale.ROOT), srv.getPort());
    } catch (InvalidAnnouncementException e) {
      warnings.add("skipping instance " + instance + ": bad TXT record: " + e.getMessage());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return addresses(target, additional, warnings).thenCompose(found -> {
      if (found.addresses.isEmpty()) {
        misses.add("SRV target " + target + " " + found.why);
        return firstReachable(domain, instance, srvs, index + 1, txt, ttl, additional, misses, warnings);
      }
      Source source = Source.dns(domain, Duration.ofSeconds(Math.min(ttl, found.ttl)));
      return CompletableFuture.completedFuture(Optional.of(
          new Discovered(announcement, source, instance.toString(), found.addresses)));
    });
  }

  private record Addresses(List<InetAddress> addresses, long ttl, String why) {}

  private record Pair<A, B>(A a, B b) {}

  private CompletableFuture<Addresses> addresses(Name target, List<Record> additional, Warnings warnings) {
    List<InetAddress> glued = new ArrayList<>();
    long glueTtl = Long.MAX_VALUE;
    for (Record r : additional) {
      if (r.getName().equals(target) && (r instanceof ARecord || r instanceof AAAARecord)) {
        glued.add(address(r));
        glueTtl = Math.min(glueTtl, r.getTTL());
      }
    }
    if (!glued.isEmpty()) {
      return CompletableFuture.completedFuture(new Addresses(glued, glueTtl, null));
    }
    return lookup(target, Type.A, warnings).thenCombine(lookup(target, Type.AAAA, warnings), (a, aaaa) -> {
      List<InetAddress> all = new ArrayList<>();
      long ttl = Long.MAX_VALUE;
      for (Lookup l : List.of(a, aaaa)) {
        if (l.failure == null && !l.records.isEmpty()) {
          l.records.forEach(r -> all.add(address(r)));
          ttl = Math.min(ttl, l.ttl);
        }
      }
      String why = a.failure != null ? a.failure : a.status;
      return new Addresses(all, ttl, "does not resolve (" + why + ")");
    });
  }

  private static InetAddress address(Record r) {
    return r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress();
  }

  private static String problem(Name instance, String type, Lookup l) {
    if (l.failure != null) return "skipping instance " + instance + ": " + type + " lookup failed: " + l.failure;
    if (l.records.isEmpty()) return "skipping instance " + instance + ": no " + type + " record (" + l.status + ")";
    return null;
  }

  /** RFC 2782: lowest priority first; within a priority, heavier weight first (deterministic). */
  static List<SRVRecord> orderSrv(List<Record> records) {
    return records.stream().map(SRVRecord.class::cast)
        .sorted(Comparator.comparingInt(SRVRecord::getPriority)
            .thenComparing(Comparator.comparingInt(SRVRecord::getWeight).reversed())
            .thenComparing(r -> r.getTarget().toString()))
        .toList();
  }

  // ---- lookups with CNAME following ---------------------------------------------------------

  /** Records of one type at a name after following CNAMEs, the smallest TTL on the way, or why none. */
  static final class Lookup {
    final List<Record> records;
    final List<Record> additional;
    final long ttl;
    final String status;
    final String failure;

    Lookup(List<Record> records, List<Record> additional, long ttl, String status, String failure) {
      this.records = records;
      this.additional = additional;
      this.ttl = ttl;
      this.status = status;
      this.failure = failure;
    }

    static Lookup failure(String why) {
      return new Lookup(List.of(), List.of(), 0, "FAILED", why);
    }
  }

  CompletableFuture<Lookup> lookup(Name name, int type, Warnings warnings) {
    return follow(name, name, type, 0, new HashSet<>(), Long.MAX_VALUE, warnings);
  }

  private CompletableFuture<Lookup> follow(Name original, Name name, int type, int depth, Set<Name> seen, long ttl,
      Warnings warnings) {
    return resolvers.query(name, type)
        .thenCompose(answer -> {
          // Walk the CNAME chain the server already put in this answer.
          Name current = name;
          long minTtl = ttl;
          int d = depth;
          Set<Name> visited = seen;
          visited.add(current);
          while (true) {
            List<Record> wanted = new ArrayList<>();
            for (Record r : answer.answers()) {
              if (r.getType() == type && r.getName().equals(current)) wanted.add(r);
            }
            if (!wanted.isEmpty()) {
              for (Record r : wanted) minTtl = Math.min(minTtl, answer.ttlOf(r));
              return CompletableFuture.completedFuture(
                  new Lookup(wanted, answer.additional(), minTtl, "NOERROR", null));
            }
            CNAMERecord cname = null;
            for (Record r : answer.answers()) {
              if (r instanceof CNAMERecord c && r.getName().equals(current)) {
                cname = c;
                break;
              }
            }
            if (cname == null) break;
            minTtl = Math.min(minTtl, answer.ttlOf(cname));
            Name next = cname.getTarget();
            if (visited.contains(next)) {
              warnings.add("skipping CNAME record " + cname.getName() + " -> " + next + ": CNAME loop while looking up "
                  + original + " " + Type.string(type));
              return CompletableFuture.completedFuture(new Lookup(List.of(), List.of(), 0, "CNAME loop", null));
            }
            if (++d > options.maxCnameDepth()) {
              warnings.add("skipping CNAME record " + cname.getName() + " -> " + next + ": more than "
                  + options.maxCnameDepth() + " CNAMEs while looking up " + original + " " + Type.string(type));
              return CompletableFuture.completedFuture(new Lookup(List.of(), List.of(), 0, "CNAME chain too long", null));
            }
            visited.add(next);
            current = next;
          }
          if (current.equals(name)) {
            String status = answer.rcode() == Rcode.NXDOMAIN ? "NXDOMAIN" : "no data";
            return CompletableFuture.completedFuture(new Lookup(List.of(), List.of(), 0, status, null));
          }
          // The chain leaves this answer: ask for the last name it reached.
          return follow(original, current, type, d, visited, minTtl, warnings);
        })
        .exceptionally(e -> Lookup.failure(rootMessage(e)));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String normalize(String domain) {
    if (domain == null || domain.isBlank()) throw new IllegalArgumentException("the domain is empty");
    String d = domain.trim().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
    if (!Announcement.isHost(d) || d.contains(":")) {
      throw new IllegalArgumentException("labels must be a-z, 0-9 and '-', separated by dots");
    }
    return d;
  }

  private static boolean printable(String s) {
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
  }

  private static String printableName(Name n) {
    String s = n.toString();
    return s.length() > 100 ? s.substring(0, 97) + "..." : s;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** One browse's warnings: each logged once at WARN, kept in order. */
  static final class Warnings {
    private final String domain;
    private final ConcurrentLinkedQueue<String> list = new ConcurrentLinkedQueue<>();

    Warnings(String domain) {
      this.domain = domain;
    }

    void add(String warning) {
      list.add(warning);
      LOG.warn("dns-sd browse domain={} warning=\"{}\"", domain, warning);
    }

    List<String> list() {
      return List.copyOf(list);
    }
  }
}
