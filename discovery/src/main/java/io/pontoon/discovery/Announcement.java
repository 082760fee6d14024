package io.pontoon.discovery;

import io.pontoon.api.PontoonNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a cluster announces about its peering service: who it is (cluster ID and name), where
 * the service listens (host and port, from SRV or mDNS) and the fingerprint that pins its TLS
 * certificate (from TXT). Only valid values can be constructed.
 *
 * <p>TXT form (RFC 6763 section 6): the strings {@code v=1}, {@code id=<uuid>},
 * {@code name=<dns-1123 label>}, {@code fp=sha256:<64 lowercase hex>}. Keys are case-insensitive;
 * unknown keys are ignored so later versions can add some; a key given twice is an error.
 */
public record Announcement(
    String clusterId, String clusterName, String host, int port, String fingerprint, int version) {

  /** The only TXT version this code reads and writes. */
  public static final int VERSION = 1;
  /** A single TXT string holds at most 255 bytes (its length is one octet). */
  public static final int MAX_TXT_STRING_BYTES = 255;

  private static final Pattern CLUSTER_ID = Pattern.compile(PontoonNames.CLUSTER_ID_PATTERN);
  private static final Pattern FINGERPRINT = Pattern.compile(PontoonNames.FINGERPRINT_PATTERN);
  private static final Pattern HOST_LABEL =
      Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$");
  private static final Pattern IPV4 =
      Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

  public Announcement {
    requireValid(clusterId != null && CLUSTER_ID.matcher(clusterId).matches(),
        "cluster ID must be a lowercase UUID, got " + quote(clusterId));
    requireValid(PontoonNames.isDns1123Label(clusterName),
        "cluster name must be a DNS-1123 label (a-z, 0-9, '-', at most 63), got " + quote(clusterName));
    requireValid(host != null && isHost(host),
        "host must be a DNS host name or an IP address, got " + quote(host));
    requireValid(port >= 1 && port <= 65535, "port must be 1..65535, got " + port);
    requireValid(fingerprint != null && FINGERPRINT.matcher(fingerprint).matches(),
        "fingerprint must be sha256: followed by 64 lowercase hex digits, got " + quote(fingerprint));
    requireValid(version == VERSION, "protocol version must be " + VERSION + ", got " + version);
    host = stripDot(host);
  }

  /** An announcement of the current version. */
  public static Announcement of(
      String clusterId, String clusterName, String host, int port, String fingerprint) {
    return new Announcement(clusterId, clusterName, host, port, fingerprint, VERSION);
  }

  /** The TXT strings, in the order of the contract: v, id, name, fp. */
  public List<String> txt() {
    return List.of("v=" + version, "id=" + clusterId, "name=" + clusterName, "fp=" + fingerprint);
  }

  /** The TXT content as key/value pairs, as jmdns takes them. */
  public Map<String, String> txtMap() {
    return Map.of("v", Integer.toString(version), "id", clusterId, "name", clusterName, "fp", fingerprint);
  }

  /** {@code https://host:port}, brackets around IPv6 literals. */
  public String peeringUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "https://" + h + ":" + port;
  }

  /** This announcement at another endpoint (SRV and TXT come from different records). */
  public Announcement withEndpoint(String newHost, int newPort) {
    return new Announcement(clusterId, clusterName, newHost, newPort, fingerprint, version);
  }

  /**
   * Reads the TXT strings of an announcement whose endpoint is {@code host:port}.
   *
   * @throws InvalidAnnouncementException naming the first rule the strings break
   */
  public static Announcement fromTxt(List<String> strings, String host, int port) {
    List<byte[]> raw = new ArrayList<>(strings.size());
    for (String s : strings) {
      raw.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return fromTxtBytes(raw, host, port);
  }

  /** {@link #fromTxt} over raw character-strings, as they are on the wire. */
  public static Announcement fromTxtBytes(List<byte[]> strings, String host, int port) {
    if (strings == null || strings.isEmpty()) {
      throw new InvalidAnnouncementException("TXT is empty; it needs v=1, id=, name= and fp=");
    }
    String version = null;
    String id = null;
    String name = null;
    String fp = null;
    Set<String> seen = new HashSet<>();
    for (byte[] bytes : strings) {
      if (bytes.length > MAX_TXT_STRING_BYTES) {
        throw new InvalidAnnouncementException(
            "TXT string of " + bytes.length + " bytes is longer than " + MAX_TXT_STRING_BYTES);
      }
      String s = new String(bytes, StandardCharsets.UTF_8);
      if (s.isEmpty()) {
        continue; // RFC 6763 6.1: an empty string is allowed and means nothing
      }
      int eq = s.indexOf('=');
      String key = (eq < 0 ? s : s.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (key.isEmpty()) {
        throw new InvalidAnnouncementException("TXT string " + quote(s) + " has no key before '='");
      }
      if (!seen.add(key)) {
        if (isKnown(key)) {
          throw new InvalidAnnouncementException("TXT key " + quote(key) + " appears more than once");
        }
        continue; // RFC 6763 6.4: later occurrences of an unknown key are ignored
      }
      if (!isKnown(key)) {
        continue;
      }
      if (eq < 0) {
        throw new InvalidAnnouncementException("TXT key " + quote(key) + " has no value");
      }
      String value = s.substring(eq + 1);
      switch (key) {
        case "v" -> version = value;
        case "id" -> id = value;
        case "name" -> name = value;
        default -> fp = value;
      }
    }
    if (version == null) throw new InvalidAnnouncementException("TXT has no v= (protocol version)");
    if (!version.equals(Integer.toString(VERSION))) {
      throw new InvalidAnnouncementException(
          "TXT v=" + quote(version) + " is not a supported protocol version (this build reads v=" + VERSION + ")");
    }
    if (id == null) throw new InvalidAnnouncementException("TXT has no id= (cluster ID)");
    if (name == null) throw new InvalidAnnouncementException("TXT has no name= (cluster name)");
    if (fp == null) throw new InvalidAnnouncementException("TXT has no fp= (certificate fingerprint)");
    return new Announcement(id, name, host, port, fp, VERSION);
  }

  /** Whether {@code host} is a host name of LDH labels or an IPv4/IPv6 literal (no lookups). */
  public static boolean isHost(String host) {
    if (host == null) return false;
    String h = stripDot(host);
    if (h.isEmpty() || h.length() > 253) return false;
    if (IPV4.matcher(h).matches()) return true;
    if (h.contains(":")) return IPV6.matcher(h).matches() && isIpv6Literal(h);
    for (String label : h.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) return false;
    }
    // An all-numeric name that is not an IPv4 address is rejected: resolvers treat it oddly.
    return !h.matches("^[0-9.]+$");
  }

  private static boolean isIpv6Literal(String h) {
    try {
      // A literal with ':' never triggers a lookup in InetAddress.getByName.
      return java.net.InetAddress.getByName(h) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static boolean isKnown(String key) {
    return key.equals("v") || key.equals("id") || key.equals("name") || key.equals("fp");
  }

  private static String stripDot(String host) {
    return host != null && host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static void requireValid(boolean ok, String message) {
    if (!ok) throw new InvalidAnnouncementException(message);
  }

  /** Quotes a value for a message, shortened so a hostile 64 KiB value does not flood logs. */
  static String quote(String s) {
    if (s == null) return "nothing";
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    StringBuilder sb = new StringBuilder("'");
    for (char c : shown.toCharArray()) {
      if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
      else sb.append(c);
    }
    return sb.append('\'').toString();
  }

  @Override
  public String toString() {
    return clusterName + " (" + clusterId + ") at " + peeringUrl() + " " + fingerprint;
  }
}
