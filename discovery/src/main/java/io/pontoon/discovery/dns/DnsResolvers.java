package io.pontoon.discovery.dns;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asynchronous DNS queries to an ordered list of resolvers: a resolver that times out, cannot be
 * reached, answers SERVFAIL/REFUSED/NOTIMP/FORMERR or sends garbage is skipped for the next one;
 * NOERROR and NXDOMAIN are final. Positive answers are cached for their smallest TTL.
 */
public final class DnsResolvers {
  private static final int EDNS_PAYLOAD = 1232;

  private final List<SimpleResolver> resolvers;
  private final Duration queryTimeout;
  private final Clock clock;
  private final Executor executor;
  private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  // Bounded queries in flight: a burst of hundreds of UDP queries overflows socket buffers
  // (the resolver's or ours) and turns into timeouts.
  private final int maxInFlight;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.Queue<Runnable> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private record Key(Name name, int type) {}

  private record Cached(DnsAnswer answer, long expiresAtMillis) {}

  public DnsResolvers(List<InetSocketAddress> servers, Duration queryTimeout, Clock clock, Executor executor) {
    if (servers.isEmpty()) throw new IllegalArgumentException("at least one DNS server is needed");
    if (queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("query timeout must be positive, got " + queryTimeout);
    }
    this.queryTimeout = queryTimeout;
    this.clock = Objects.requireNonNull(clock);
    this.executor = Objects.requireNonNull(executor);
    List<SimpleResolver> list = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      SimpleResolver r = new SimpleResolver(server);
      // dnsjava checks its timeouts about once a second; the exact limit is applied below
      r.setTimeout(queryTimeout.plusSeconds(2));
      r.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
      list.add(r);
    }
    this.resolvers = List.copyOf(list);
    this.maxInFlight = 64;
  }

  /** Queries sent so far (cache hits send none). */
  public long queriesSent() {
    return sent.get();
  }

  /** The answer for {@code name}/{@code type}: NOERROR or NXDOMAIN; a {@link DnsFailure} otherwise. */
  public CompletableFuture<DnsAnswer> query(Name name, int type) {
    Key key = new Key(name, type);
    Cached cached = cache.get(key);
    long now = clock.millis();
    if (cached != null) {
      if (cached.expiresAtMillis > now) {
        return CompletableFuture.completedFuture(ageTtl(cached, now));
      }
      cache.remove(key, cached);
    }
    return attempt(name, type, 0, new ArrayList<>()).thenApply(answer -> {
      long ttl = answer.minTtl();
      if (answer.rcode() == Rcode.NOERROR && ttl > 0) {
        cache.put(key, new Cached(answer, clock.millis() + ttl * 1000));
      }
      return answer;
    });
  }

  /** A cached answer whose TTL counts down, so callers see how long it stays valid. */
  private static DnsAnswer ageTtl(Cached cached, long now) {
    long left = Math.max(1, (cached.expiresAtMillis - now) / 1000);
    DnsAnswer a = cached.answer;
    return new DnsAnswer(a.name(), a.type(), a.rcode(), a.answers(), a.additional(), a.server() + " (cached)", left);
  }

  private CompletableFuture<DnsAnswer> attempt(Name name, int type, int index, List<String> failures) {
    if (index >= resolvers.size()) {
      return CompletableFuture.failedFuture(new DnsFailure(
          "no DNS server answered " + name + " " + Type.string(type) + ": " + String.join("; ", failures)));
    }
    SimpleResolver resolver = resolvers.get(index);
    String server = resolver.getAddress().getHostString() + ":" + resolver.getAddress().getPort();
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    CompletableFuture<Message> response = limited(() -> {
      sent.incrementAndGet();
      try {
        return resolver.sendAsync(query, executor).toCompletableFuture()
            .orTimeout(queryTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    });
    return response.handle((message, error) -> {
      if (error != null) {
        failures.add(server + " " + describe(error));
        return null;
      }
      try {
        DnsAnswer answer = ResponseReader.check(message, name, type, server);
        int rcode = answer.rcode();
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) return answer;
        failures.add(server + " answered " + Rcode.string(rcode));
      } catch (MalformedResponseException e) {
        failures.add(e.getMessage());
      }
      return null;
    }).thenCompose(answer -> answer != null
        ? CompletableFuture.completedFuture(answer)
        : attempt(name, type, index + 1, failures));
  }

  /** Runs {@code send} when fewer than {@link #maxInFlight} queries are outstanding. */
  private CompletableFuture<Message> limited(java.util.function.Supplier<CompletableFuture<Message>> send) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    waiting.add(() -> send.get().whenComplete((m, e) -> {
      inFlight.decrementAndGet();
      drain();
      if (e != null) result.completeExceptionally(e);
      else result.complete(m);
    }));
    drain();
    return result;
  }

  private void drain() {
    while (true) {
      int n = inFlight.get();
      if (n >= maxInFlight || waiting.isEmpty()) return;
      if (!inFlight.compareAndSet(n, n + 1)) continue;
      Runnable next = waiting.poll();
      if (next == null) {
        inFlight.decrementAndGet();
        continue;
      }
      next.run();
    }
  }

  private String describe(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof SocketTimeoutException || e instanceof TimeoutException) {
      return "timed out after " + queryTimeout.toMillis() + " ms";
    }
    return "failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }
}
