package io.pontoon.discovery.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A small authoritative DNS server over UDP and TCP on loopback that answers from a function, for
 * what dnsmasq refuses to serve (CNAME loops, thousands of instances, SERVFAIL) and for a
 * resolver that never answers ({@link #silent()}).
 */
public final class ScriptedDnsServer implements AutoCloseable {
  /** What to answer: an rcode and answer records (additional records optional). */
  public record Reply(int rcode, List<Record> answers, List<Record> additional) {
    public static Reply of(List<Record> answers) {
      return new Reply(Rcode.NOERROR, answers, List.of());
    }

    public static Reply rcode(int rcode) {
      return new Reply(rcode, List.of(), List.of());
    }
  }

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final BiFunction<Name, Integer, Reply> answers;
  private final boolean silent;
  private final AtomicLong queries = new AtomicLong();
  private volatile boolean closed;

  private ScriptedDnsServer(BiFunction<Name, Integer, Reply> answers, boolean silent) throws IOException {
    this.answers = answers;
    this.silent = silent;
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    ServerSocket t = null;
    DatagramSocket u = null;
    for (int i = 0; i < 20 && t == null; i++) {
      u = new DatagramSocket(new InetSocketAddress(lo, 0));
      try {
        t = new ServerSocket(u.getLocalPort(), 50, lo);
      } catch (IOException e) {
        u.close();
      }
    }
    this.udp = u;
    this.tcp = t;
    daemon("scripted-dns-udp", this::serveUdp);
    daemon("scripted-dns-tcp", this::serveTcp);
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  public static ScriptedDnsServer start(BiFunction<Name, Integer, Reply> answers) throws IOException {
    return new ScriptedDnsServer(answers, false);
  }

  /** Reads queries and never answers. */
  public static ScriptedDnsServer silent() throws IOException {
    return new ScriptedDnsServer((n, t) -> Reply.rcode(Rcode.SERVFAIL), true);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
  }

  public long queries() {
    return queries.get();
  }

  private byte[] respond(byte[] query, int max) throws IOException {
    Message q = new Message(query);
    queries.incrementAndGet();
    Record question = q.getQuestion();
    Reply reply = answers.apply(question.getName(), question.getType());
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(reply.rcode());
    m.addRecord(question, Section.QUESTION);
    reply.answers().forEach(r -> m.addRecord(r, Section.ANSWER));
    reply.additional().forEach(r -> m.addRecord(r, Section.ADDITIONAL));
    return m.toWire(max); // sets TC when it does not fit
  }

  private void serveUdp() {
    byte[] buf = new byte[4096];
    while (!closed) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        if (silent) {
          queries.incrementAndGet();
          continue;
        }
        byte[] out = respond(java.util.Arrays.copyOf(p.getData(), p.getLength()), 1232);
        udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // a query we cannot read: ignore it, as a server would
      }
    }
  }

  private void serveTcp() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        daemon("scripted-dns-conn", () -> {
          try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            int len = in.readUnsignedShort();
            byte[] query = in.readNBytes(len);
            if (silent) {
              queries.incrementAndGet();
              in.read();
              return;
            }
            byte[] answer = respond(query, 65535);
            out.writeShort(answer.length);
            out.write(answer);
            out.flush();
          } catch (IOException | RuntimeException e) {
            // connection closed or unreadable query
          }
        });
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
