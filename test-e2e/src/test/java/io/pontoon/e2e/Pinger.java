package io.pontoon.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code ping -D -i 0.05} running in a network namespace for as long as it is open, keeping the
 * time of every echo reply: the moment traffic came back after an outage is the first reply
 * after it began, to 50 ms, without the start-up cost of a command per check.
 */
final class Pinger implements AutoCloseable {
  // "[1765101234.123456] 64 bytes from 10.0.0.2: icmp_seq=7 ttl=62 time=0.512 ms"
  private static final Pattern REPLY = Pattern.compile("^\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from ");

  private final Process process;
  private final List<Instant> replies = new CopyOnWriteArrayList<>();

  Pinger(String netns, String address) throws IOException {
    process = new ProcessBuilder("ip", "netns", "exec", netns, "ping", "-n", "-D", "-i", "0.05", "-W", "1", address)
        .redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          Matcher m = REPLY.matcher(line);
          if (m.find()) {
            replies.add(Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000));
          }
        }
      } catch (IOException e) {
        // ping ended
      }
    }, "pinger-" + address);
    reader.setDaemon(true);
    reader.start();
  }

  /** The first echo reply at or after {@code t}. */
  Optional<Instant> firstReplyAfter(Instant t) {
    return replies.stream().filter(r -> !r.isBefore(t)).findFirst();
  }

  /** The last echo reply before {@code t}. */
  Optional<Instant> lastReplyBefore(Instant t) {
    return replies.stream().filter(r -> r.isBefore(t)).reduce((a, b) -> b);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
