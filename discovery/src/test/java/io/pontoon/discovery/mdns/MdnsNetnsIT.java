package io.pontoon.discovery.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.junit.HostRequirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mDNS across two network namespaces joined by a veth pair: the announcer runs in one, the
 * browser in the other, each as a child JVM ({@code ip netns exec NS java ...}) so the announcer
 * can be killed with SIGKILL.
 */
class MdnsNetnsIT {
  static final String ID_A = "aaaaaaaa-1111-4222-8333-444444444444";
  static final String ID_B = "bbbbbbbb-1111-4222-8333-444444444444";
  static final String FP = "sha256:" + "cd".repeat(32);

  String suffix;
  String nsA;
  String nsB;
  String addrA;
  String addrB;
  final List<Child> children = new ArrayList<>();

  @BeforeEach
  void namespaces() throws Exception {
    HostRequirements.check().root().tool("ip", "iproute2").orSkip();
    suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    nsA = "pt-mdns-a-" + suffix;
    nsB = "pt-mdns-b-" + suffix;
    int net = ThreadLocalRandom.current().nextInt(1, 250);
    addrA = "10.213." + net + ".1";
    addrB = "10.213." + net + ".2";
    String va = "pma" + suffix;
    String vb = "pmb" + suffix;
    run("ip", "netns", "add", nsA);
    run("ip", "netns", "add", nsB);
    run("ip", "link", "add", va, "netns", nsA, "type", "veth", "peer", "name", vb, "netns", nsB);
    for (String[] s : new String[][] {{nsA, va, addrA}, {nsB, vb, addrB}}) {
      run("ip", "-n", s[0], "link", "set", "lo", "up");
      run("ip", "-n", s[0], "addr", "add", s[2] + "/24", "dev", s[1]);
      run("ip", "-n", s[0], "link", "set", s[1], "up", "multicast", "on");
      run("ip", "-n", s[0], "route", "add", "224.0.0.0/4", "dev", s[1]);
    }
  }

  @AfterEach
  void cleanup() throws Exception {
    for (Child c : children) c.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (nsA != null) {
      runQuietly("ip", "netns", "del", nsA);
      runQuietly("ip", "netns", "del", nsB);
    }
  }

  @Test
  void appearUpdateGoodbyeAndExpiryAfterSigkill() throws Exception {
    Child browser = child(nsB, List.of(), BrowserMain.class.getName(), addrB);
    browser.await("READY", Duration.ofSeconds(30));

    // a long TTL, so the quick "gone" below can only come from the goodbye
    Child alpha = child(nsA, List.of("-Dnet.dns.ttl=120"), AnnouncerMain.class.getName(),
        addrA, ID_A, "alpha", "8443", FP);
    alpha.await("READY", Duration.ofSeconds(30));
    String appeared = browser.await("APPEARED alpha ", Duration.ofSeconds(10));
    // the TTL is what is left of the record's 120 s when it was read
    assertThat(appeared).matches("APPEARED alpha 8443 " + java.util.regex.Pattern.quote(addrA) + " " + FP
        + " 1[012]\\d " + ID_A);

    alpha.send("port 9443");
    alpha.await("UPDATED", Duration.ofSeconds(30));
    assertThat(browser.await("UPDATED alpha ", Duration.ofSeconds(10))).startsWith("UPDATED alpha 9443 " + addrA);

    long stop = System.nanoTime();
    alpha.send("stop");
    browser.await("GONE alpha ", Duration.ofSeconds(15));
    assertThat(Duration.ofNanos(System.nanoTime() - stop)).isLessThan(Duration.ofSeconds(15));
    assertThat(browser.lines).filteredOn(l -> l.startsWith("APPEARED alpha")).hasSize(1);

    // a short TTL: after SIGKILL no goodbye is sent; the records expire
    Child bravo = child(nsA, List.of("-Dnet.dns.ttl=4"), AnnouncerMain.class.getName(),
        addrA, ID_B, "bravo", "7443", FP);
    bravo.await("READY", Duration.ofSeconds(30));
    browser.await("APPEARED bravo 7443 ", Duration.ofSeconds(10));
    bravo.process.destroyForcibly(); // SIGKILL
    assertThat(bravo.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bravo.process.exitValue()).isEqualTo(137);
    browser.await("GONE bravo ", Duration.ofSeconds(40));
  }

  // ---- helpers ------------------------------------------------------------------------------

  final class Child {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Child(Process process) {
      this.process = process;
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) lines.add(line);
        } catch (IOException e) {
          // process gone
        }
      });
      t.setDaemon(true);
      t.start();
    }

    String await(String prefix, Duration within) {
      try {
        org.awaitility.Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50))
            .until(() -> lines.stream().anyMatch(l -> l.startsWith(prefix)) || !process.isAlive());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("no line starting with '" + prefix + "' within " + within + "; output:\n"
            + String.join("\n", lines), e);
      }
      return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
          .orElseThrow(() -> new AssertionError("process exited without '" + prefix + "': " + String.join("\n", lines)));
    }

    void send(String line) throws IOException {
      OutputStream out = process.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private Child child(String ns, List<String> jvmArgs, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    Child c = new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    children.add(c);
    return c;
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  private static void runQuietly(String... cmd) {
    try {
      run(cmd);
    } catch (IOException | InterruptedException e) {
      // best effort
    }
  }
}
