package io.pontoon.gateway.wireguard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code wg show IF dump}: tab-separated; the interface line has 4 fields (private key,
 * public key, listen port, fwmark), each peer line 8 (public key, preshared key, endpoint,
 * allowed IPs, latest handshake, rx, tx, keepalive); {@code (none)}/{@code off} for missing,
 * handshake 0 for never.
 */
public final class WgDump {
  private WgDump() {}

  public static InterfaceState parse(String dump) {
    String[] lines = dump.strip().split("\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new IllegalArgumentException("empty `wg show dump` output");
    }
    String[] head = lines[0].split("\t", -1);
    if (head.length != 4) {
      throw new IllegalArgumentException(
          "unexpected interface line of `wg show dump`: " + head.length + " fields, expected 4");
    }
    List<PeerState> peers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split("\t", -1);
      if (f.length != 8) {
        throw new IllegalArgumentException("unexpected peer line " + i + " of `wg show dump`: "
            + f.length + " fields, expected 8");
      }
      long handshake = Long.parseLong(f[4]);
      peers.add(new PeerState(
          f[0],
          !none(f[1]),
          none(f[2]) ? Optional.empty() : Optional.of(f[2]),
          none(f[3]) ? List.of() : Arrays.asList(f[3].split(",")),
          handshake == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(handshake)),
          Long.parseLong(f[5]),
          Long.parseLong(f[6]),
          none(f[7]) ? 0 : Integer.parseInt(f[7])));
    }
    return new InterfaceState(none(head[1]) ? "" : head[1], Integer.parseInt(head[2]), head[3], peers);
  }

  private static boolean none(String s) {
    return s.isEmpty() || "(none)".equals(s) || "off".equals(s);
  }
}
