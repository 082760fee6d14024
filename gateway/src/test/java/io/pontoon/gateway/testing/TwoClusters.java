package io.pontoon.gateway.testing;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ipam.Cidr;
import io.pontoon.gateway.tunnel.TunnelConfig;
import io.pontoon.gateway.wireguard.WireGuardKeys;

/**
 * Two "clusters" on one host, both with pod CIDR 10.0.0.0/24 and a pod at the same address
 * 10.0.0.5: per cluster a pod namespace behind a gateway namespace (which holds 10.0.0.1, as a
 * node bridge would), the two gateways joined by an underlay veth. Cluster 1 sees cluster 2 as
 * 10.71.0.0/24 and cluster 2 sees cluster 1 as 10.72.0.0/24. Names are random; {@link #close()}
 * removes the namespaces.
 */
public final class TwoClusters implements AutoCloseable {
  public static final Cidr POD_CIDR = Cidr.parse("10.0.0.0/24");
  public static final String POD_IP = "10.0.0.5";
  /** How cluster 1 sees cluster 2, and cluster 2 sees cluster 1. */
  public static final Cidr ONE_SEES_TWO = Cidr.parse("10.71.0.0/24");
  public static final Cidr TWO_SEES_ONE = Cidr.parse("10.72.0.0/24");

  public final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  public final String gw1 = "ptgw-" + id + "-g1";
  public final String gw2 = "ptgw-" + id + "-g2";
  public final String pod1 = "ptgw-" + id + "-p1";
  public final String pod2 = "ptgw-" + id + "-p2";
  /** Cluster IDs: cluster 1's tunnel interface is named after cluster 2's ID and vice versa. */
  public final String clusterId1 = randomClusterId();
  public final String clusterId2 = randomClusterId();
  public final WireGuardKeys.KeyPair keys1 = WireGuardKeys.generate();
  public final WireGuardKeys.KeyPair keys2 = WireGuardKeys.generate();
  public final String underlay1 = "100.100.0.1";
  public final String underlay2 = "100.100.0.2";
  public final int port1 = 40000 + ThreadLocalRandom.current().nextInt(10000);
  public final int port2 = port1 + 1;
  private final List<String> namespaces = new ArrayList<>();
  private final HostCommands host = HostCommands.host();
  public final Cidr podCidr1;
  public final Cidr podCidr2;

  /** Both clusters on {@link #POD_CIDR}, pods at {@link #POD_IP}. */
  public TwoClusters() {
    this(POD_CIDR, POD_CIDR);
  }

  /** Clusters on the given /24s; each pod holds address .5, its gateway .1. */
  public TwoClusters(Cidr podCidr1, Cidr podCidr2) {
    this.podCidr1 = podCidr1;
    this.podCidr2 = podCidr2;
    try {
      for (String ns : List.of(gw1, gw2, pod1, pod2)) {
        host.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        HostCommands.inNetns(ns).run("ip", "link", "set", "lo", "up");
      }
      pod(pod1, gw1, "v" + id + "a", podCidr1);
      pod(pod2, gw2, "v" + id + "b", podCidr2);
      String u1 = underlayInterface1();
      String u2 = underlayInterface2();
      host.run("ip", "link", "add", u1, "netns", gw1, "type", "veth", "peer", "name", u2, "netns", gw2);
      HostCommands.inNetns(gw1).run("ip", "addr", "add", underlay1 + "/30", "dev", u1);
      HostCommands.inNetns(gw1).run("ip", "link", "set", u1, "up");
      HostCommands.inNetns(gw2).run("ip", "addr", "add", underlay2 + "/30", "dev", u2);
      HostCommands.inNetns(gw2).run("ip", "link", "set", u2, "up");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void pod(String pod, String gw, String veth, Cidr cidr) {
    host.run("ip", "link", "add", veth + "p", "netns", pod, "type", "veth", "peer", "name", veth + "g", "netns", gw);
    HostCommands p = HostCommands.inNetns(pod);
    p.run("ip", "addr", "add", cidr.address(5) + "/" + cidr.prefix(), "dev", veth + "p");
    p.run("ip", "link", "set", veth + "p", "up");
    p.run("ip", "route", "add", "default", "via", cidr.address(1));
    HostCommands g = HostCommands.inNetns(gw);
    g.run("ip", "addr", "add", cidr.address(1) + "/" + cidr.prefix(), "dev", veth + "g");
    g.run("ip", "link", "set", veth + "g", "up");
  }

  /** The underlay veth of cluster 1's gateway (towards cluster 2's) and of cluster 2's. */
  public String underlayInterface1() {
    return "u" + id + "a";
  }

  public String underlayInterface2() {
    return "u" + id + "b";
  }

  /** Cluster 1's tunnel to cluster 2 (peer ID = cluster 2's). */
  public TunnelConfig config1() {
    return new TunnelConfig(clusterId2, keys1.privateKey(), port1, 1420, keys2.publicKey(),
        underlay2 + ":" + port2, 25, podCidr1, TWO_SEES_ONE, ONE_SEES_TWO);
  }

  /** Cluster 2's tunnel to cluster 1; it waits to be contacted (no endpoint). */
  public TunnelConfig config2() {
    return new TunnelConfig(clusterId1, keys2.privateKey(), port2, 1420, keys1.publicKey(),
        null, 0, podCidr2, ONE_SEES_TWO, TWO_SEES_ONE);
  }

  public static String randomClusterId() {
    return UUID.randomUUID().toString();
  }

  @Override
  public void close() {
    for (String ns : namespaces) {
      // processes left in a namespace would keep it alive; the tests stop theirs first
      host.run(List.of("ip", "netns", "del", ns), null);
      try {
        java.nio.file.Files.deleteIfExists(HostCommands.inNetns(ns).wireGuardSocketDir());
      } catch (java.io.IOException e) {
        // a socket left in it is what the tests' own assertions report
      }
    }
    namespaces.clear();
  }
}
