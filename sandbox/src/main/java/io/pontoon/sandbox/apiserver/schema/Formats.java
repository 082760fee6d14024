package io.pontoon.sandbox.apiserver.schema;

import java.net.InetAddress;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The string formats kube-apiserver checks in custom resources. Formats it does not know are not
 * checked, as there.
 */
final class Formats {
  private static final Pattern UUID = Pattern.compile(
      "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern IPV4 = Pattern.compile(
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
  private static final Pattern HOSTNAME = Pattern.compile(
      "^([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\\.?$");
  private static final Pattern MAC = Pattern.compile("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

  private Formats() {}

  /** Null when {@code value} is fine for {@code format}, else a short reason. */
  static String check(String format, String value) {
    return switch (format) {
      case "date-time", "datetime" -> parses(() -> OffsetDateTime.parse(value));
      case "date" -> parses(() -> LocalDate.parse(value));
      case "uuid", "uuid3", "uuid4", "uuid5" -> UUID.matcher(value).matches() ? null : "uuid";
      case "ipv4" -> IPV4.matcher(value).matches() ? null : "ipv4";
      case "ipv6" -> value.contains(":") && isInetAddress(value) ? null : "ipv6";
      case "cidr" -> isCidr(value) ? null : "cidr";
      case "hostname" -> value.length() <= 255 && HOSTNAME.matcher(value).matches() ? null : "hostname";
      case "mac" -> MAC.matcher(value).matches() ? null : "mac";
      case "email" -> EMAIL.matcher(value).matches() ? null : "email";
      case "byte" -> parses(() -> Base64.getDecoder().decode(value));
      default -> null;
    };
  }

  private static String parses(Runnable parse) {
    try {
      parse.run();
      return null;
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return "unparsable";
    }
  }

  private static boolean isCidr(String v) {
    int slash = v.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = v.substring(0, slash);
    String bits = v.substring(slash + 1);
    if (!bits.matches("[0-9]{1,3}")) {
      return false;
    }
    int n = Integer.parseInt(bits);
    boolean v4 = IPV4.matcher(ip).matches();
    return v4 ? n <= 32 : ip.contains(":") && isInetAddress(ip) && n <= 128;
  }

  /** Only literal addresses: the characters are checked before asking the resolver-free parser. */
  private static boolean isInetAddress(String v) {
    if (!v.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(v);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
