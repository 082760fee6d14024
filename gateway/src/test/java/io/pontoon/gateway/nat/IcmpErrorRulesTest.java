package io.pontoon.gateway.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pontoon.gateway.ipam.Cidr;
import org.junit.jupiter.api.Test;

/**
 * Executes the rendered rules on ICMP error messages the way nf_tables does (typed writes update
 * the ICMP checksum incrementally, RFC 1624; raw writes do not) and checks the result: the quoted
 * address is translated and the message's checksum is valid.
 */
class IcmpErrorRulesTest {
  static final Pattern RULE = Pattern.compile("icmp type (\\d+) icmp code (\\d+) @th,64,8 0x45 "
      + "@th,(\\d+),32 & 0x(\\p{XDigit}{8}) == 0x(\\p{XDigit}{8}) @th,\\3,32 set @th,\\3,32 & 0x(\\p{XDigit}{8}) "
      + "\\| 0x(\\p{XDigit}{8}) icmp type set (\\d+) icmp code set (\\d+) @th,0,16 set 0x(\\p{XDigit}{4})");

  @Test
  void translatedErrorsKeepAValidChecksumForRandomBlocks() {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      int prefix = 8 + random.nextInt(23);
      Cidr from = Cidr.ofSize(random.nextLong(1L << 32) & ~((1L << (32 - prefix)) - 1), 1L << (32 - prefix));
      Cidr to = Cidr.ofSize(random.nextLong(1L << 32) & ~((1L << (32 - prefix)) - 1), 1L << (32 - prefix));
      int offset = random.nextBoolean() ? IcmpErrorRules.INNER_SOURCE : IcmpErrorRules.INNER_DESTINATION;
      List<String> rules = IcmpErrorRules.render(offset, from, to).lines().toList();
      assertThat(rules).hasSize(21);
      for (String rule : rules) {
        Matcher m = RULE.matcher(rule.strip());
        assertThat(m.matches()).as(rule).isTrue();
        long host = random.nextLong(from.size());
        byte[] msg = errorMessage(random, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            offset / 8, from.network() + host);
        apply(m, msg);
        assertThat(read32(msg, offset / 8)).isEqualTo(to.network() + host);
        assertThat(msg[0] & 0xFF).isEqualTo(Integer.parseInt(m.group(1)));
        assertThat(msg[1] & 0xFF).isEqualTo(Integer.parseInt(m.group(2)));
        assertThat(checksum(msg)).as("checksum after %s on %s -> %s", rule, from, to).isZero();
      }
    }
  }

  @Test
  void deltaIsTheDifferenceOfTheNetworkSums() {
    // 10.0.0.0 -> 10.72.0.0 adds 0x0048; back subtracts it
    assertThat(IcmpErrorRules.checksumDelta(Cidr.parse("10.0.0.0/24"), Cidr.parse("10.72.0.0/24"))).isEqualTo(0x48);
    assertThat(IcmpErrorRules.checksumDelta(Cidr.parse("10.72.0.0/24"), Cidr.parse("10.0.0.0/24"))).isEqualTo(0xffb7);
  }

  /** What nf_tables does with the rule's statements, in order. */
  private static void apply(Matcher m, byte[] msg) {
    int at = Integer.parseInt(m.group(3)) / 8;
    long netMask = Long.parseLong(m.group(4), 16);
    long match = Long.parseLong(m.group(5), 16);
    if ((msg[8] & 0xFF) != 0x45 || (read32(msg, at) & netMask) != match) {
      return;
    }
    write32(msg, at, (read32(msg, at) & Long.parseLong(m.group(6), 16)) | Long.parseLong(m.group(7), 16)); // raw
    typedWrite(msg, 0, Integer.parseInt(m.group(8)));
    typedWrite(msg, 1, Integer.parseInt(m.group(9)));
    int word = Integer.parseInt(m.group(10), 16); // raw
    msg[0] = (byte) (word >> 8);
    msg[1] = (byte) word;
  }

  /** A byte of the first word written with the checksum updated: HC' = ~(~HC + ~m + m'). */
  private static void typedWrite(byte[] msg, int index, int value) {
    int old = ((msg[0] & 0xFF) << 8) | (msg[1] & 0xFF);
    msg[index] = (byte) value;
    int now = ((msg[0] & 0xFF) << 8) | (msg[1] & 0xFF);
    int hc = ((msg[2] & 0xFF) << 8) | (msg[3] & 0xFF);
    int sum = IcmpErrorRules.onesAdd(IcmpErrorRules.onesAdd(~hc & 0xFFFF, ~old & 0xFFFF), now);
    int updated = ~sum & 0xFFFF;
    msg[2] = (byte) (updated >> 8);
    msg[3] = (byte) updated;
  }

  private static byte[] errorMessage(Random random, int type, int code, int addressAt, long address) {
    byte[] msg = new byte[8 + 20 + 8];
    random.nextBytes(msg);
    msg[0] = (byte) type;
    msg[1] = (byte) code;
    msg[8] = 0x45;
    write32(msg, addressAt, address);
    msg[2] = 0;
    msg[3] = 0;
    int c = checksum(msg);
    msg[2] = (byte) (c >> 8);
    msg[3] = (byte) c;
    assertThat(checksum(msg)).isZero();
    return msg;
  }

  /** One's complement of the one's-complement sum: 0 for a message with a valid checksum. */
  private static int checksum(byte[] msg) {
    int sum = 0;
    for (int i = 0; i < msg.length; i += 2) {
      sum = IcmpErrorRules.onesAdd(sum, ((msg[i] & 0xFF) << 8) | (msg[i + 1] & 0xFF));
    }
    return ~sum & 0xFFFF;
  }

  private static long read32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
  }

  private static void write32(byte[] b, int at, long v) {
    b[at] = (byte) (v >> 24);
    b[at + 1] = (byte) (v >> 16);
    b[at + 2] = (byte) (v >> 8);
    b[at + 3] = (byte) v;
  }
}
