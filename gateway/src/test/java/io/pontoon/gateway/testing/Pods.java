package io.pontoon.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.pontoon.gateway.HostCommands;

/** Traffic between test namespaces: ping and a one-shot TCP server that answers the peer's address. */
public final class Pods {
  private Pods() {}

  public static boolean ping(String netns, String address) {
    return HostCommands.inNetns(netns).run(List.of("ping", "-n", "-q", "-c", "1", "-W", "1", address), null).ok();
  }

  /** Starts a TCP server in {@code netns} that sends each client its source address, then closes. */
  public static Process startWhoAmIServer(String netns, int port) {
    String script = "import socket\n"
        + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        + "s.bind(('0.0.0.0', " + port + ")); s.listen(8); s.settimeout(60)\n"
        + "while True:\n"
        + "  c,a=s.accept(); c.sendall(a[0].encode()); c.close()\n";
    try {
      return new ProcessBuilder(HostCommands.inNetns(netns).wrap(List.of("python3", "-c", script)))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects from {@code netns} and returns what the server said, or null on failure. */
  public static String whoAmI(String netns, String address, int port) {
    String script = "import socket\n"
        + "c=socket.create_connection(('" + address + "', " + port + "), timeout=2)\n"
        + "print(c.recv(100).decode())\n";
    HostCommands.Result r = HostCommands.inNetns(netns).run(List.of("python3", "-c", script), null);
    return r.ok() ? r.stdout().strip() : null;
  }

  /**
   * Sends one UDP datagram with the given TTL from a connected socket and reports the ICMP error
   * the socket receives, as {@code "ECONNREFUSED 3/3 from 10.71.0.5"} (errno, ICMP type/code,
   * offender), "answer" for a reply, or null when nothing came within 2 s.
   */
  public static String udpError(String netns, String address, int port, int ttl) {
    String script = "import socket, struct, errno\n"
        + "s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        + "s.setsockopt(socket.SOL_IP, 11, 1)\n" // IP_RECVERR
        + "s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, " + ttl + ")\n"
        + "s.connect(('" + address + "', " + port + ")); s.send(b'x'); s.settimeout(2)\n"
        + "try:\n"
        + "  s.recv(10); print('answer')\n"
        + "except socket.timeout:\n"
        + "  pass\n"
        + "except OSError as e:\n"
        + "  m, anc, f, a = s.recvmsg(10, 512, socket.MSG_ERRQUEUE)\n"
        + "  for lvl, typ, data in anc:\n"
        + "    ee = struct.unpack('=IBBBBII', data[:16])\n"
        + "    print('%s %d/%d from %s' % (errno.errorcode[e.errno], ee[2], ee[3], socket.inet_ntoa(data[20:24])))\n";
    HostCommands.Result r = HostCommands.inNetns(netns).run(List.of("python3", "-c", script), null);
    return r.ok() && !r.stdout().isBlank() ? r.stdout().strip() : null;
  }

  public static void stop(Process p) {
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
