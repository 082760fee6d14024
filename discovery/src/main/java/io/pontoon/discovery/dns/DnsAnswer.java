package io.pontoon.discovery.dns;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** A checked DNS response: the question it answers, its rcode, answer and additional records. */
public record DnsAnswer(Name name, int type, int rcode, List<Record> answers, List<Record> additional, String server,
    long ttlCapSeconds) {
  public DnsAnswer {
    answers = List.copyOf(answers);
    additional = List.copyOf(additional);
  }

  /** A fresh answer, its TTLs as sent. */
  public DnsAnswer(Name name, int type, int rcode, List<Record> answers, List<Record> additional, String server) {
    this(name, type, rcode, answers, additional, server, Long.MAX_VALUE);
  }

  /** Smallest TTL of the answer records (at most what is left of a cached answer), 0 if none. */
  public long minTtl() {
    return Math.min(ttlCapSeconds, answers.stream().mapToLong(Record::getTTL).min().orElse(0));
  }

  /** A record's TTL, at most what is left of a cached answer. */
  public long ttlOf(Record r) {
    return Math.min(ttlCapSeconds, r.getTTL());
  }

  public String rcodeName() {
    return Rcode.string(rcode);
  }
}
