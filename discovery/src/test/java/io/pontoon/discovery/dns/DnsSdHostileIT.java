package io.pontoon.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.testing.Dnsmasq;
import io.pontoon.discovery.testing.ScriptedDnsServer;
import io.pontoon.discovery.testing.ScriptedDnsServer.Reply;
import io.pontoon.sandbox.junit.HostRequirements;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Hostile announcements: each bad record is skipped with one warning naming it; the good one survives. */
class DnsSdHostileIT {
  static final String D = "hostile.test";
  static final String ID = "0b7c2a9e-4f1d-4c3a-9e2b-5d6f7a8b9c0d";
  static final String FP = "sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  private static String inst(String label) {
    return label + "._pontoon._tcp." + D;
  }

  @Test
  void badRecordsFromDnsmasqAreSkippedOneWarningEach() throws Exception {
    HostRequirements.check().tool("dnsmasq", "dnsmasq-base").orSkip();
    List<String> flags = new ArrayList<>();
    String svc = "_pontoon._tcp." + D;
    record Bad(String label, List<String> txt, String target) {}
    String name = "name=x";
    List<Bad> bad = List.of(
        new Bad("noid", List.of("v=1", "name=noid", "fp=" + FP), "h." + D),
        new Bad("nofp", List.of("v=1", "id=" + ID, "name=nofp"), "h." + D),
        new Bad("shortfp", List.of("v=1", "id=" + ID, "name=shortfp", "fp=sha256:abcd"), "h." + D),
        new Bad("nothexfp", List.of("v=1", "id=" + ID, "name=nothexfp", "fp=sha256:" + "zz".repeat(32)), "h." + D),
        new Bad("dupkeys", List.of("v=1", "id=" + ID, "id=" + ID, "name=dupkeys", "fp=" + FP), "h." + D),
        new Bad("long255", List.of("v=1", "id=" + ID, "name=" + "a".repeat(250), "fp=" + FP), "h." + D),
        new Bad("nohost", List.of("v=1", "id=" + ID, "name=nohost", "fp=" + FP), "does-not-exist." + D),
        new Bad("badtarget", List.of("v=1", "id=" + ID, "name=badtarget", "fp=" + FP), "bad_host." + D));
    for (Bad b : bad) {
      flags.add("--ptr-record=" + svc + "," + inst(b.label));
      flags.add("--srv-host=" + inst(b.label) + "," + b.target + ",443");
      flags.add(Dnsmasq.txt(inst(b.label), b.txt));
    }
    flags.add("--ptr-record=" + svc + "," + svc); // PTR loop: the service lists itself
    flags.add("--ptr-record=" + svc + ",elsewhere.example.org"); // not an instance of the service
    flags.add("--ptr-record=" + svc + "," + inst("good"));
    flags.add("--srv-host=" + inst("good") + ",h." + D + ",443");
    flags.add(Dnsmasq.txt(inst("good"), Announcement.of(ID, "good", "h", 1, FP).txt()));
    flags.add("--host-record=h." + D + ",192.0.2.1");
    assertThat(name).isNotEmpty();
    try (Dnsmasq dnsmasq = Dnsmasq.start(D, 60, flags, dir)) {
      DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(dnsmasq.address())));
      BrowseResult r = browser.browse(D).get(10, TimeUnit.SECONDS);
      assertThat(r.failure()).as(dnsmasq.log()).isEmpty();
      assertThat(r.instances()).extracting(x -> x.announcement().clusterName()).containsExactly("good");
      for (Bad b : bad) {
        assertThat(r.warnings()).as("warnings naming " + b.label).filteredOn(w -> w.contains(inst(b.label) + "."))
            .hasSize(1);
      }
      assertThat(r.warnings()).filteredOn(w -> w.contains("PTR record " + svc + ". -> " + svc + ".")).hasSize(1);
      assertThat(r.warnings()).filteredOn(w -> w.contains("elsewhere.example.org")).hasSize(1);
      assertThat(r.warnings()).hasSize(bad.size() + 2);
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("nohost").contains("does not resolve"));
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("badtarget").contains("not a valid host name"));
    }
  }

  @Test
  void cnameLoopsAndLongChainsEndWithAWarning() throws Exception {
    Name loopA = Name.fromString("loop-a." + D + ".");
    Name loopB = Name.fromString("loop-b." + D + ".");
    try (ScriptedDnsServer server = ScriptedDnsServer.start((name, type) -> {
      String n = name.toString();
      if (n.equals("_pontoon._tcp." + D + ".") && type == Type.PTR) {
        return Reply.of(List.of(ptr(name, "looped"), ptr(name, "chained"), ptr(name, "ok")));
      }
      if (n.startsWith("looped.") || n.startsWith("chained.") || n.startsWith("ok.")) {
        String label = n.substring(0, n.indexOf('.'));
        String target = switch (label) {
          case "looped" -> "loop-a." + D + ".";
          case "chained" -> "chain-0." + D + ".";
          default -> "host." + D + ".";
        };
        return type == Type.SRV ? Reply.of(List.of(new SRVRecord(name, DClass.IN, 60, 0, 0, 443, nm(target))))
            : type == Type.TXT ? Reply.of(List.of(new TXTRecord(name, DClass.IN, 60,
                Announcement.of(ID, label, "h", 1, FP).txt()))) : Reply.rcode(Rcode.NXDOMAIN);
      }
      if (name.equals(loopA)) return Reply.of(List.of(new CNAMERecord(loopA, DClass.IN, 60, loopB)));
      if (name.equals(loopB)) return Reply.of(List.of(new CNAMERecord(loopB, DClass.IN, 60, loopA)));
      if (n.startsWith("chain-")) {
        int i = Integer.parseInt(n.substring(6, n.indexOf('.')));
        return Reply.of(List.of(new CNAMERecord(name, DClass.IN, 60, nm("chain-" + (i + 1) + "." + D + "."))));
      }
      if (n.equals("host." + D + ".") && type == Type.A) {
        return Reply.of(List.of(new ARecord(name, DClass.IN, 60, InetAddress.getLoopbackAddress())));
      }
      return n.equals("host." + D + ".") ? Reply.of(List.of()) : Reply.rcode(Rcode.NXDOMAIN);
    })) {
      DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(server.address())).withMaxCnameDepth(5));
      BrowseResult r = browser.browse(D).get(10, TimeUnit.SECONDS);
      assertThat(r.instances()).extracting(x -> x.announcement().clusterName()).containsExactly("ok");
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("CNAME loop").contains("loop-"));
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("more than 5 CNAMEs"));
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("looped._pontoon._tcp." + D));
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("chained._pontoon._tcp." + D));
    }
  }

  /**
   * Thousands of instances under one domain: as many PTR records as one DNS message holds (over
   * TCP after truncation), kept up to the cap with one warning saying so.
   */
  @Test
  void thousandsOfInstancesAreCappedWithAWarning() throws Exception {
    int count = 2500;
    try (ScriptedDnsServer server = ScriptedDnsServer.start((name, type) -> {
      String n = name.toString();
      if (type == Type.PTR) {
        List<Record> ptrs = new ArrayList<>();
        for (int i = 0; i < count; i++) ptrs.add(ptr(name, "c" + i));
        return Reply.of(ptrs);
      }
      String label = n.substring(0, n.indexOf('.'));
      if (type == Type.SRV) return Reply.of(List.of(new SRVRecord(name, DClass.IN, 60, 0, 0, 443, nm("host." + D + "."))));
      if (type == Type.TXT) return Reply.of(List.of(new TXTRecord(name, DClass.IN, 60, Announcement.of(ID, label, "h", 1, FP).txt())));
      if (type == Type.A) return Reply.of(List.of(new ARecord(name, DClass.IN, 60, InetAddress.getLoopbackAddress())));
      return Reply.of(List.of());
    })) {
      DnsSdBrowser browser = new DnsSdBrowser(DnsSdBrowser.Options.defaults(List.of(server.address()))
          .withMaxInstances(300).withDeadline(Duration.ofSeconds(20)));
      BrowseResult r = browser.browse(D).get(30, TimeUnit.SECONDS);
      assertThat(r.failure()).isEmpty();
      assertThat(r.instances()).as(String.join("\n", r.warnings())).hasSize(300);
      assertThat(r.warnings()).singleElement().asString().contains("lists " + count + " instances; keeping the first 300");
    }
  }

  @Test
  void tenThousandPtrRecordsAreCappedWithOneWarning() throws Exception {
    Name service = nm("_pontoon._tcp." + D + ".");
    List<Record> ptrs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) ptrs.add(ptr(service, "c" + i));
    DnsSdBrowser.Warnings warnings = new DnsSdBrowser.Warnings(D);
    List<Name> kept = DnsSdBrowser.instanceNames(service, ptrs, 1000, warnings);
    assertThat(kept).hasSize(1000);
    assertThat(warnings.list()).singleElement().asString().contains("lists 10000 instances; keeping the first 1000");
  }

  static Name nm(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static PTRRecord ptr(Name service, String label) {
    return new PTRRecord(service, DClass.IN, 60, nm(label + "." + service));
  }
}
