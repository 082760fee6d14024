package io.pontoon.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.InvalidAnnouncementException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Feeds generated malformed DNS responses (bit flips, truncation, garbage tails, bad counts,
 * compression-pointer loops, random bytes) to the parser and the record readers: every one is
 * either read or refused with {@link MalformedResponseException}; nothing else escapes.
 */
class ResponseFuzzTest {
  static final int CASES = 3000;
  static final Name SERVICE = DnsSdHostileIT.nm("_pontoon._tcp.fuzz.test.");
  static final Name INSTANCE = DnsSdHostileIT.nm("alpha._pontoon._tcp.fuzz.test.");
  static final Name HOST = DnsSdHostileIT.nm("host.fuzz.test.");

  @Test
  void malformedResponsesNeverThrowAnythingButTheDeclaredException() throws Exception {
    Random random = new Random(6);
    int refused = 0;
    int read = 0;
    for (int i = 0; i < CASES; i++) {
      int type = List.of(Type.PTR, Type.SRV, Type.TXT, Type.A).get(i % 4);
      Name name = type == Type.PTR ? SERVICE : type == Type.A ? HOST : INSTANCE;
      byte[] wire = mutate(valid(name, type, random), random);
      try {
        DnsAnswer answer = ResponseReader.read(wire, name, type, "fuzz");
        use(answer);
        read++;
      } catch (MalformedResponseException e) {
        assertThat(e.getMessage()).isNotBlank();
        refused++;
      }
    }
    assertThat(read + refused).isEqualTo(CASES);
    assertThat(refused).as("most mutations break the message").isPositive();
    System.out.printf("fuzz: %d responses, %d read, %d refused%n", CASES, read, refused);
  }

  /** What the browser does with an answer: instance names, SRV order, TXT parsing. */
  private static void use(DnsAnswer answer) {
    DnsSdBrowser.Warnings w = new DnsSdBrowser.Warnings("fuzz.test");
    List<Record> ptrs = answer.answers().stream().filter(r -> r instanceof PTRRecord).toList();
    DnsSdBrowser.instanceNames(SERVICE, ptrs, 10, w);
    DnsSdBrowser.orderSrv(answer.answers().stream().filter(r -> r instanceof SRVRecord).toList());
    for (Record r : answer.answers()) {
      if (r instanceof TXTRecord t) {
        try {
          Announcement.fromTxtBytes(t.getStringsAsByteArrays(), "host.fuzz.test", 443);
        } catch (InvalidAnnouncementException e) {
          assertThat(e.getMessage()).isNotBlank();
        }
      }
    }
    answer.minTtl();
  }

  private static byte[] valid(Name name, int type, Random random) throws Exception {
    Message m = new Message(random.nextInt(65536));
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    long ttl = random.nextInt(3600);
    switch (type) {
      case Type.PTR -> {
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
          m.addRecord(new PTRRecord(name, DClass.IN, ttl, DnsSdHostileIT.nm("c" + i + "." + SERVICE)), Section.ANSWER);
        }
      }
      case Type.SRV -> {
        m.addRecord(new SRVRecord(name, DClass.IN, ttl, random.nextInt(3), random.nextInt(3), 443, HOST), Section.ANSWER);
        m.addRecord(new ARecord(HOST, DClass.IN, ttl, InetAddress.getByName("192.0.2.1")), Section.ADDITIONAL);
      }
      case Type.TXT -> m.addRecord(new TXTRecord(name, DClass.IN, ttl,
          Announcement.of("0b7c2a9e-4f1d-4c3a-9e2b-5d6f7a8b9c0d", "alpha", "h", 1, "sha256:" + "ab".repeat(32)).txt()),
          Section.ANSWER);
      default -> {
        m.addRecord(new CNAMERecord(name, DClass.IN, ttl, DnsSdHostileIT.nm("real.fuzz.test.")), Section.ANSWER);
        m.addRecord(new AAAARecord(DnsSdHostileIT.nm("real.fuzz.test."), DClass.IN, ttl,
            InetAddress.getByName("2001:db8::1")), Section.ANSWER);
      }
    }
    return m.toWire();
  }

  private static byte[] mutate(byte[] wire, Random random) {
    byte[] b = wire.clone();
    switch (random.nextInt(7)) {
      case 0 -> { // flip a few bits
        for (int i = 0; i < 1 + random.nextInt(4); i++) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      }
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length)); // truncated
      case 2 -> { // garbage tail
        byte[] tail = new byte[1 + random.nextInt(64)];
        random.nextBytes(tail);
        byte[] out = java.util.Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, out, b.length, tail.length);
        b = out;
      }
      case 3 -> { // record counts that lie
        for (int off = 4; off < 12; off += 2) {
          if (random.nextBoolean()) {
            b[off] = (byte) random.nextInt(256);
            b[off + 1] = (byte) random.nextInt(256);
          }
        }
      }
      case 4 -> { // a compression pointer to itself (a loop)
        List<Integer> pointers = new ArrayList<>();
        for (int i = 12; i < b.length - 1; i++) if ((b[i] & 0xc0) == 0xc0) pointers.add(i);
        int at = pointers.isEmpty() ? 12 + random.nextInt(Math.max(1, b.length - 13)) : pointers.get(random.nextInt(pointers.size()));
        if (at + 1 < b.length) {
          b[at] = (byte) (0xc0 | (at >> 8));
          b[at + 1] = (byte) at;
        }
      }
      case 5 -> { // random bytes of random length
        b = new byte[random.nextInt(600)];
        random.nextBytes(b);
      }
      default -> { // overwrite a run of bytes
        int start = random.nextInt(b.length);
        for (int i = start; i < Math.min(b.length, start + 1 + random.nextInt(16)); i++) b[i] = (byte) random.nextInt(256);
      }
    }
    return b;
  }
}
